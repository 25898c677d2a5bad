import { CurrencyMismatchError } from '../../errors/index.js'
import { type Amount, isSameCurrency } from '../money/index.js'

/** One dust holding at an hour: its value in the share class and the token's trailing hourly volatility (scaled by `VOLATILITY_SCALE`). */
export type ExposedValue = { readonly value: Amount; readonly volatility: bigint }

/**
 * Sums an hour's ex-ante risk of the dust held: Σ value × σ over the holdings, in base units of
 * the share class times `VOLATILITY_SCALE`, exact (no rounding). Throws `CurrencyMismatchError`
 * when the values are not all in one currency.
 */
export function scorecardHourRisk(exposures: readonly ExposedValue[]): bigint {
  let risk = 0n
  const first = exposures[0]?.value.currency
  for (const { value, volatility } of exposures) {
    if (first && !isSameCurrency(first, value.currency)) throw new CurrencyMismatchError('add', first.symbol, value.currency.symbol)
    risk += value.raw * volatility
  }
  return risk
}
