import type { Hex } from 'viem'
import { BaseError } from '../../errors/index.js'

/** The answer of one call of a Multicall3 `aggregate3`: whether it succeeded, and what it returned. */
export type Aggregate3Result = { success: boolean; returnData: Hex }

const LOWER_HEX = /^0x[0-9a-f]*$/
const ANY_HEX = /^0x[0-9a-fA-F]*$/
/** The 50 high hex digits of a word that holds a whole number JavaScript counts exactly (below 2^56). */
const HIGH_ZEROS = '0'.repeat(50)
const BOOL_ZEROS = '0'.repeat(63)

/** Refuses an answer that is not a well-formed `aggregate3` result, saying what was expected and found. */
function malformed(expected: string, found: string): BaseError {
  return new BaseError(`The aggregate3 answer is malformed: expected ${expected}, found ${found}.`, { code: 'source_failed' })
}

/**
 * Decodes the answer of Multicall3's `aggregate3`, a `(bool success, bytes returnData)[]`, as viem's
 * `decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data })` does, but on the
 * hex string itself: the batcher decodes tens of thousands of results a cycle, and viem's general
 * decoder spends most of a cycle's CPU on them.
 *
 * It follows the offsets as viem does and refuses what viem refuses: no data, fewer than 32 bytes,
 * an offset or length that points outside the data or that is not a safe integer, a bool other than
 * 0 or 1, and more decoded bytes than 32 times the data (shared tails). It also refuses an odd number
 * of hex digits, which viem would pad: a node that sends them does not follow JSON-RPC. Return data is
 * lowercase hex, as viem gives it.
 */
export function decodeAggregate3Result(data: Hex): Aggregate3Result[] {
  if (typeof data !== 'string' || !LOWER_HEX.test(data)) {
    if (typeof data !== 'string' || !ANY_HEX.test(data)) throw malformed('0x and hex digits', typeof data === 'string' ? `${data.slice(0, 66)}${data.length > 66 ? '…' : ''}` : typeof data)
    return decodeAggregate3Result(data.toLowerCase() as Hex)
  }
  if (data.length % 2 !== 0) throw malformed('whole bytes (an even number of hex digits)', `${data.length - 2} hex digits`)
  const size = (data.length - 2) / 2
  if (size === 0) throw malformed('data', 'none (0x)')
  if (size < 32) throw malformed('at least 32 bytes', `${size}`)

  /** Checks that the cursor may stand at `position`, as viem's cursor does before each move. */
  const seek = (position: number) => {
    if (position < 0 || position > size - 1) throw malformed(`a position within the ${size} bytes`, `position ${position}`)
  }
  /** Reads the word at `position` as a safe whole number (an offset, a length or a bool). */
  const read = (position: number): number => {
    seek(position)
    if (position + 32 > size) throw malformed(`a word within the ${size} bytes`, `a word at position ${position}`)
    const at = 2 + position * 2
    const value = data.startsWith(HIGH_ZEROS, at) ? Number.parseInt(data.slice(at + 50, at + 64), 16) : Number.POSITIVE_INFINITY
    if (!Number.isSafeInteger(value)) throw malformed('an offset or length below 2^53', `0x${data.slice(at, at + 64)} at position ${position}`)
    return value
  }

  const start = read(0)
  const count = read(start)
  const startOfData = start + 32
  const limit = size * 32
  let used = 0
  // Not allocated from `count`: a hostile count fails on its first offset, not on a huge array.
  const results: Aggregate3Result[] = []
  for (let index = 0; index < count; index += 1) {
    const tuple = startOfData + read(startOfData + index * 32)
    seek(tuple)
    if (tuple + 32 > size) throw malformed(`a word within the ${size} bytes`, `the success flag of result ${index} at position ${tuple}`)
    const flagAt = 2 + tuple * 2
    const flag = data.charCodeAt(flagAt + 63)
    // '0' is 48 and '1' is 49: a bool is the word 0 or the word 1, nothing else.
    if (!data.startsWith(BOOL_ZEROS, flagAt) || (flag !== 48 && flag !== 49)) throw malformed('a success flag of 0 or 1', `0x${data.slice(flagAt, flagAt + 64)} in result ${index}`)
    const bytes = tuple + read(tuple + 32)
    const length = read(bytes)
    let returnData: Hex = '0x'
    if (length > 0) {
      const from = bytes + 32
      if (from + length > size) throw malformed(`the ${length} bytes of result ${index} within the ${size} bytes`, `them to end at byte ${from + length}`)
      used += length
      if (used > limit) throw malformed(`at most ${limit} bytes of return data in all (32 times the answer)`, `more`)
      returnData = `0x${data.slice(2 + from * 2, 2 + (from + length) * 2)}`
    }
    seek(startOfData + 32)
    results.push({ success: flag === 49, returnData })
  }
  seek(32)
  return results
}
