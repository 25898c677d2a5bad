import type { DiscoveredToken, TokenDiscoveryKey } from '../../ports/index.js'
import { ADDRESS_PATTERN, checkTokenDiscoveryKey, tokenDiscoveryRefusal } from './checkTokenDiscoveryKey.js'
import { describeValue } from './describeValue.js'

/** Tells whether a value is a block number a BIGINT column holds (0 to 2^63 - 1). */
function isBlock(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value < 2n ** 63n
}

/**
 * Checks what `recordTokenDiscovery` is given: the key, a cursor that is a block number, and
 * tokens found at or before it. Gives the key and the tokens with their addresses in lower case,
 * each address once, at its earliest block.
 */
export function checkTokenDiscoveryRecord(
  key: TokenDiscoveryKey,
  found: { readonly scannedTo: bigint; readonly tokens: readonly DiscoveredToken[] },
): { key: TokenDiscoveryKey; scannedTo: bigint; tokens: DiscoveredToken[] } {
  const checked = checkTokenDiscoveryKey(key, 'record')
  if (!isBlock(found.scannedTo)) throw tokenDiscoveryRefusal('record', `Expected scannedTo to be a block number (a bigint from 0), found ${describeValue(found.scannedTo)}.`)
  const tokens = new Map<string, DiscoveredToken>()
  found.tokens.forEach((token, index) => {
    const address: unknown = token.address
    if (typeof address !== 'string' || !ADDRESS_PATTERN.test(address))
      throw tokenDiscoveryRefusal('record', `Expected tokens[${index}].address to be a 0x address of 40 hexadecimal digits, found ${describeValue(address)}.`)
    if (!isBlock(token.firstBlock) || token.firstBlock > found.scannedTo)
      throw tokenDiscoveryRefusal('record', `Expected tokens[${index}].firstBlock to be a block number from 0 to scannedTo (${found.scannedTo}), found ${describeValue(token.firstBlock)}.`)
    const lower = address.toLowerCase()
    const earlier = tokens.get(lower)
    if (earlier === undefined || token.firstBlock < earlier.firstBlock) tokens.set(lower, { address: lower, firstBlock: token.firstBlock })
  })
  return { key: checked, scannedTo: found.scannedTo, tokens: [...tokens.values()] }
}
