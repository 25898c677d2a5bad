import { type Address, hexToString, trim } from 'viem'
import type { EvmCallBatcher } from './createEvmCallBatcher.js'
import { UNKNOWN_SYMBOL, sanitizeTokenSymbol } from './sanitizeTokenSymbol.js'

/** The most decimals a currency may have (`createCurrency`). */
export const MAX_TOKEN_DECIMALS = 36

// `symbol()` as the standard declares it, and as older tokens (MKR, SAI) return it: a bytes32.
const symbolAsString = [{ type: 'function', name: 'symbol', stateMutability: 'view', inputs: [], outputs: [{ type: 'string' }] }] as const
const symbolAsBytes32 = [{ type: 'function', name: 'symbol', stateMutability: 'view', inputs: [], outputs: [{ type: 'bytes32' }] }] as const
// Read as a uint256, not a uint8: a hostile token may answer any word, and it is checked here.
const decimalsAsWord = [{ type: 'function', name: 'decimals', stateMutability: 'view', inputs: [], outputs: [{ type: 'uint256' }] }] as const

/**
 * Gas counted for a metadata read in the batcher's chunking: a 10 kB string symbol read from
 * storage measures about 700,000 gas. Only a budget for splitting chunks, not a limit.
 */
const METADATA_READ_GAS = 1_000_000n

export type ReadTokenMetadataParameters = {
  batcher: EvmCallBatcher
  address: Address
}

/** What a token says of itself, made safe: its symbol as a label, its decimals when they can be used. */
export type ReadTokenMetadataReturnType = {
  /** The sanitised symbol (`sanitizeTokenSymbol`), `UNKNOWN` when `symbol()` reverts or answers neither a string nor a bytes32. */
  symbol: string
  /** Whether `symbol()` answered a string or a bytes32 (even one sanitised to `UNKNOWN`). */
  symbolRead: boolean
  /** `decimals()` when it answers a whole number from 0 to 36; undefined when it reverts or answers more. */
  decimals: number | undefined
}

/** Gives the text of a bytes32 symbol: its bytes up to the first zero, read as UTF-8. */
function wordText(word: `0x${string}`): string {
  const text = hexToString(trim(word, { dir: 'right' }))
  const end = text.indexOf('\u0000')
  return end === -1 ? text : text.slice(0, end)
}

/**
 * Reads a token's `symbol()` and `decimals()` through the chain's call batcher, in the same
 * batch as any other read of the tick, and never fails: a token may revert, answer a bytes32
 * where a string is expected, a 10 kB string, control characters or a decimals of 255. The
 * symbol is read both as a string and as a bytes32 (two calls of the same batch), the string
 * taken when it decodes.
 */
export async function readTokenMetadata(parameters: ReadTokenMetadataParameters): Promise<ReadTokenMetadataReturnType> {
  const { batcher, address } = parameters
  const [asString, asWord, decimals] = await Promise.allSettled([
    batcher.read({ address, abi: symbolAsString, functionName: 'symbol', gas: METADATA_READ_GAS }),
    batcher.read({ address, abi: symbolAsBytes32, functionName: 'symbol', gas: METADATA_READ_GAS }),
    batcher.read({ address, abi: decimalsAsWord, functionName: 'decimals' }),
  ])
  let symbol = UNKNOWN_SYMBOL
  let symbolRead = false
  if (asString.status === 'fulfilled') {
    symbol = sanitizeTokenSymbol(asString.value)
    symbolRead = true
  } else if (asWord.status === 'fulfilled') {
    // A string answer decodes as a bytes32 too (its offset word): only a failed string decoding gets
    // here. Bytes that are not UTF-8 become U+FFFD, which the sanitising drops.
    symbol = sanitizeTokenSymbol(wordText(asWord.value))
    symbolRead = true
  }
  const places = decimals.status === 'fulfilled' && decimals.value <= BigInt(MAX_TOKEN_DECIMALS) ? Number(decimals.value) : undefined
  return { symbol, symbolRead, decimals: places }
}
