import type { Address } from 'viem'
import type { Currency } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'

/** Returns the contract address of a token; throws for a currency without one (a chain's native coin). */
export function requireTokenAddress(currency: Currency): Address {
  if (currency.address === undefined) {
    throw new BaseError(`${currency.symbol} has no contract address: a token was expected, found a native coin.`, { code: 'invalid_parameter' })
  }
  return currency.address
}
