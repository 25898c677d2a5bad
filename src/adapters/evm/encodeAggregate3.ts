import type { Hex } from 'viem'
import { BaseError } from '../../errors/index.js'

/** `aggregate3((address,bool,bytes)[])`'s selector. */
const AGGREGATE3_SELECTOR = '0x82ad56cb'
/** The offset of the calls array: it follows its own offset word. */
const ARRAY_OFFSET_WORD = `${'0'.repeat(62)}20`

/** Writes a whole number as one 32-byte word of hex, without its `0x`. */
const word = (value: number) => value.toString(16).padStart(64, '0')

/**
 * Assembles the calldata of Multicall3's `aggregate3(calls)` from its calls' tuples, each encoded
 * by `encodeAggregate3Tuple`: the same bytes as viem's
 * `encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] })`, built on
 * hex strings. The batcher sends tens of thousands of reads a cycle, and viem's general encoder
 * spent most of a cycle's CPU on them.
 *
 * Throws a `BaseError` when a tuple is not a whole number of 32-byte words of hex digits.
 */
export function encodeAggregate3(tuples: readonly string[]): Hex {
  const count = tuples.length
  const parts: string[] = new Array(3 + 2 * count)
  parts[0] = AGGREGATE3_SELECTOR
  parts[1] = ARRAY_OFFSET_WORD
  parts[2] = word(count)
  // The tuples' offsets count from the first offset word, after the array's length.
  let offset = count * 32
  for (let index = 0; index < count; index += 1) {
    const tuple = tuples[index] as string
    if (typeof tuple !== 'string' || tuple.length < 256 || tuple.length % 64 !== 0) {
      throw new BaseError(
        `Tuple ${index} of an aggregate3 is not an encoded call: expected at least 4 words of hex digits, found ${typeof tuple === 'string' ? `${tuple.length} digits` : typeof tuple}.`,
        {
          code: 'invalid_parameter',
        },
      )
    }
    parts[3 + index] = word(offset)
    parts[3 + count + index] = tuple
    offset += tuple.length / 2
  }
  return parts.join('') as Hex
}
