import type { DustPolicy, DustSnapshot } from '../dust/index.js'
import { CurrencyMismatchError } from '../../errors/index.js'
import { Amount, type Currency, type PriceBook, isSameCurrency } from '../money/index.js'
import { type ConversionPolicy, type HourFacts, type TokenFacts, minGasSamples } from './ConversionPolicy.js'
import { priceClaim } from './priceClaim.js'
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
  /**
   * What one claim costs now, when the caller has it already (the backtest works it out once per
   * hour for all its runs); worked out from the last gas sample, `claimGasUnits` and the price of
   * `native` otherwise.
   */
  readonly claimCost?: Amount | undefined
  /** Gas units of one claim. */
  readonly claimGasUnits: bigint
  /** The coin gas is paid in; `undefined` when the chain has none configured. */
  readonly native: Currency | undefined
}

/** Refuses to sum amounts of two currencies, as `Amount.add` does. */
function expectCurrency(expected: Currency, found: Currency): void {
  if (!isSameCurrency(expected, found)) throw new CurrencyMismatchError('add', expected.symbol, found.symbol)
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
  // Summed in place (a backtest collects these for every distinct holding at every hour).
  const bySymbol = new Map<string, { token: Currency; held: bigint; value: bigint; claimableValue: bigint }>()
  for (const dust of snapshot.dustTokens) {
    const token = dust.amount.currency
    if (policy.tokenSettings.get(token.symbol)?.convert === false) continue
    const entry = bySymbol.get(token.symbol)
    const claimable = dust.source === 'claimable_rewards'
    if (entry === undefined) {
      expectCurrency(shareClass, dust.value.currency)
      bySymbol.set(token.symbol, { token, held: dust.amount.raw, value: dust.value.raw, claimableValue: claimable ? dust.value.raw : 0n })
      continue
    }
    expectCurrency(entry.token, token)
    expectCurrency(shareClass, dust.value.currency)
    entry.held += dust.amount.raw
    entry.value += dust.value.raw
    if (claimable) entry.claimableValue += dust.value.raw
  }
  const tokens: TokenFacts[] = [...bySymbol.values()]
    .filter((entry) => entry.held > 0n)
    .sort((a, b) => (a.token.symbol < b.token.symbol ? -1 : a.token.symbol > b.token.symbol ? 1 : 0))
    .map((entry) => {
      const maxSell = policy.tokenSettings.get(entry.token.symbol)?.maxSellPerRun
      return {
        token: entry.token,
        held: Amount.fromRaw(entry.token, entry.held),
        value: Amount.fromRaw(shareClass, entry.value),
        claimableValue: Amount.fromRaw(shareClass, entry.claimableValue),
        volatility: parameters.volatility(entry.token),
        ...(maxSell === undefined ? {} : { maxSell }),
      }
    })
  const window = parameters.gasSamples.slice(-conversionPolicy.gasWindowHours)
  const gasPriceWei = window[window.length - 1]
  return {
    equity: snapshot.equity,
    dustValue: snapshot.totalDustValue,
    exceedsThreshold: parameters.exceedsThreshold,
    tokens,
    gasPriceWei,
    cheapGasWei: 'cheapGasWei' in parameters ? parameters.cheapGasWei : trailingPercentile(window, conversionPolicy.gasPercentile, minGasSamples(conversionPolicy.gasWindowHours)),
    claimCost: 'claimCost' in parameters ? parameters.claimCost : priceClaim({ priceBook, shareClass, native, claimGasUnits: parameters.claimGasUnits, gasPriceWei }),
  }
}
