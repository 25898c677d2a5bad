import type { DustPolicy, DustSnapshot } from '../dust/index.js'
import { Amount, type Currency, type PriceBook } from '../money/index.js'
import type { ConversionPolicy, HourFacts, TokenFacts } from './ConversionPolicy.js'
import { trailingPercentile } from './trailingPercentile.js'

export type CollectHourFactsParameters = {
  readonly policy: DustPolicy
  readonly conversionPolicy: ConversionPolicy
  /** The hour's detection; its `dustTokens` list every dust holding with its value. */
  readonly snapshot: DustSnapshot
  /** The hysteresis verdict on dust_delta (a backtest run's own, or the live scan's). */
  readonly exceedsThreshold: boolean
  readonly priceBook: PriceBook
  /** Trailing hourly volatility of a token in the share class, scaled by 10^18. */
  readonly volatility: (token: Currency) => bigint
  /** Hourly gas prices in wei, oldest first, the current hour's last; empty when none is known. */
  readonly gasSamples: readonly bigint[]
  /**
   * The `gasPercentile` of the last `gasWindowHours` samples, when the caller has it already (the
   * backtest works it out once per hour for all its runs); worked out from `gasSamples` otherwise.
   */
  readonly cheapGasWei?: bigint | undefined
  /** Gas units of one claim. */
  readonly claimGasUnits: bigint
  /** The coin gas is paid in; `undefined` when the chain has none configured. */
  readonly native: Currency | undefined
}

/**
 * Builds what a conversion policy decides on from an hour's detection, gas prices and
 * volatilities: the same function for the backtest and the live monitor, so that both decide
 * on the same facts. Tokens with `convert: false` are left out of `tokens`, though their value
 * stays in `dustValue`.
 */
export function collectHourFacts(parameters: CollectHourFactsParameters): HourFacts {
  const { policy, conversionPolicy, snapshot, priceBook, native } = parameters
  const shareClass = policy.shareClass
  const bySymbol = new Map<string, { token: Currency; held: Amount; value: Amount; claimableValue: Amount }>()
  for (const dust of snapshot.dustTokens) {
    const token = dust.amount.currency
    if (policy.tokenSettings.get(token.symbol)?.convert === false) continue
    const entry = bySymbol.get(token.symbol) ?? { token, held: Amount.zero(token), value: Amount.zero(shareClass), claimableValue: Amount.zero(shareClass) }
    bySymbol.set(token.symbol, {
      token,
      held: entry.held.add(dust.amount),
      value: entry.value.add(dust.value),
      claimableValue: dust.source === 'claimable_rewards' ? entry.claimableValue.add(dust.value) : entry.claimableValue,
    })
  }
  const tokens: TokenFacts[] = [...bySymbol.values()]
    .filter((entry) => entry.held.isPositive())
    .sort((a, b) => (a.token.symbol < b.token.symbol ? -1 : a.token.symbol > b.token.symbol ? 1 : 0))
    .map((entry) => ({ ...entry, volatility: parameters.volatility(entry.token) }))
  const window = parameters.gasSamples.slice(-conversionPolicy.gasWindowHours)
  const gasPriceWei = window[window.length - 1]
  const nativePrice = native ? priceBook.price(native, shareClass) : undefined
  const claimCost = gasPriceWei !== undefined && native && nativePrice ? nativePrice.quoteAmount(Amount.fromRaw(native, parameters.claimGasUnits * gasPriceWei), 'up') : undefined
  return {
    equity: snapshot.equity,
    dustValue: snapshot.totalDustValue,
    exceedsThreshold: parameters.exceedsThreshold,
    tokens,
    gasPriceWei,
    cheapGasWei: 'cheapGasWei' in parameters ? parameters.cheapGasWei : trailingPercentile(window, conversionPolicy.gasPercentile),
    claimCost,
  }
}
