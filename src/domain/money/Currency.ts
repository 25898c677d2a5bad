import { InvalidAmountError } from '../../errors/index.js'

/** Is a token or coin as the registry knows it: a symbol and how many decimals its base unit has. */
export type Currency = {
  readonly symbol: string
  readonly decimals: number
  /** Chain the token lives on (`ethereum`), absent for an off-chain unit such as USD. */
  readonly chain?: string | undefined
  /** Contract address; absent for a chain's native coin. */
  readonly address?: `0x${string}` | undefined
}

/** Creates a currency, checking its symbol and decimals. */
export function createCurrency(parameters: Currency): Currency {
  const { symbol, decimals } = parameters
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(symbol)) {
    throw new InvalidAmountError(`A currency symbol must be 1 to 32 letters, digits, '.', '_' or '-', found "${symbol}".`)
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
    throw new InvalidAmountError(`${symbol} decimals must be a whole number from 0 to 36, found ${decimals}.`)
  }
  return Object.freeze({ ...parameters })
}

/**
 * Tells whether two currencies are the same unit: same symbol, decimals and chain, and the same
 * contract address (compared without case) — USDC on two chains are two currencies.
 */
export function isSameCurrency(a: Currency, b: Currency): boolean {
  if (a === b) return true
  return a.symbol === b.symbol && a.decimals === b.decimals && a.chain === b.chain && a.address?.toLowerCase() === b.address?.toLowerCase()
}
