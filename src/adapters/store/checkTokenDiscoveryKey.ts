import type { TokenDiscoveryKey } from '../../ports/index.js'
import { describeValue } from './describeValue.js'
import { EventStoreError } from './EventStoreError.js'

/** A 0x address of 20 bytes, in any case. */
export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/

/** Builds the error of a refused token discovery parameter. */
export function tokenDiscoveryRefusal(what: 'read' | 'record', details: string): EventStoreError {
  return new EventStoreError(`Cannot ${what} the token discovery.`, { code: 'invalid_parameter', details })
}

/** Checks a token discovery's key, and gives it with the wallet in lower case (addresses are compared without case). */
export function checkTokenDiscoveryKey(key: TokenDiscoveryKey, what: 'read' | 'record' = 'read'): TokenDiscoveryKey {
  for (const field of ['strategyMode', 'chain'] as const) {
    const value: unknown = key[field]
    if (typeof value !== 'string' || value.length === 0) throw tokenDiscoveryRefusal(what, `Expected ${field} to be a non-empty string, found ${describeValue(value)}.`)
  }
  const wallet: unknown = key.wallet
  if (typeof wallet !== 'string' || !ADDRESS_PATTERN.test(wallet)) throw tokenDiscoveryRefusal(what, `Expected wallet to be a 0x address of 40 hexadecimal digits, found ${describeValue(wallet)}.`)
  return { strategyMode: key.strategyMode, chain: key.chain, wallet: wallet.toLowerCase() }
}
