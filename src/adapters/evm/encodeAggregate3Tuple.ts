import { type Address, type Hex, isAddress } from 'viem'
import { BaseError } from '../../errors/index.js'

/** One call of a Multicall3 `aggregate3`: its target, whether it may fail, and its calldata. */
export type Aggregate3Call = { readonly target: Address; readonly allowFailure: boolean; readonly callData: Hex }

const ZEROS = '0'.repeat(64)
const HEX = /^0x[0-9a-fA-F]*$/
const TRUE_WORD = `${ZEROS.slice(1)}1`
/** A tuple's head: the address and bool words, then the offset of its bytes (3 words, 0x60). */
const BYTES_OFFSET_WORD = `${ZEROS.slice(2)}60`

/**
 * Encodes one `(address target, bool allowFailure, bytes callData)` tuple of an `aggregate3` as
 * the ABI does inside the calls array: hex digits without `0x`, a whole number of 32-byte words.
 * A read made at every cycle encodes its tuple once; `encodeAggregate3` assembles them.
 *
 * Throws a `BaseError` when the target is not an address (viem's `isAddress`, checksum included)
 * or the calldata is not whole bytes of hex. Addresses are written in lower case and calldata in
 * the case given, as viem writes them.
 */
export function encodeAggregate3Tuple(call: Aggregate3Call): string {
  const { target, callData } = call
  if (typeof target !== 'string' || !isAddress(target)) {
    throw new BaseError(`An aggregate3 call has a target that is not an address: expected 0x and 40 hex digits with a valid checksum if mixed-case, found ${String(target).slice(0, 66)}.`, {
      code: 'invalid_parameter',
    })
  }
  if (typeof callData !== 'string' || callData.length % 2 !== 0 || !HEX.test(callData)) {
    throw new BaseError(`The aggregate3 call to ${target} has calldata that is not whole bytes of hex: found ${String(callData).slice(0, 66)}.`, { code: 'invalid_parameter' })
  }
  const length = (callData.length - 2) / 2
  const padding = (32 - (length % 32)) % 32
  return `${ZEROS.slice(40)}${target.slice(2).toLowerCase()}${call.allowFailure ? TRUE_WORD : ZEROS}${BYTES_OFFSET_WORD}${length.toString(16).padStart(64, '0')}${callData.slice(2)}${ZEROS.slice(0, padding * 2)}`
}
