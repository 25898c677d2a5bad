import { Amount, type Currency, Fraction, type PriceBook } from '../../domain/money/index.js'
import { type BacktestRunResult, RATIO_SCALE } from './BacktestRunResult.js'
import type { RunState } from './RunState.js'

export type SummarizeRunParameters = {
  readonly shareClass: Currency
  /** The last hour's prices, at which the dust still held is valued. */
  readonly lastBook: PriceBook
  /** The number of hours replayed, over which the ratio is averaged. */
  readonly hours: number
}

/** Sums up what a run did: its totals, its mean and peak dust ratio, and the dust it still holds at the last hour's prices. */
export function summarizeRun(state: RunState, parameters: SummarizeRunParameters): BacktestRunResult {
  const { shareClass, lastBook } = parameters
  let remaining = Amount.zero(shareClass)
  for (const holding of state.holdings) {
    const price = lastBook.price(holding.amount.currency, shareClass)
    if (price) remaining = remaining.add(price.quoteAmount(holding.amount, 'down'))
  }
  return {
    policy: state.spec.policy,
    dustDelta: state.spec.dustDelta,
    conversions: state.conversions,
    convertedValue: state.convertedValue,
    totalCost: state.totalCost,
    meanDustRatio: new Fraction(state.ratioSum, RATIO_SCALE * BigInt(parameters.hours)).reduce(),
    maxDustRatio: state.maxRatio,
    maxDustRatioAt: state.maxRatioAt,
    proceeds: state.proceeds,
    remainingDustValue: remaining,
    result: state.proceeds.add(remaining),
    skipped: state.skipped,
    ratios: state.ratios,
  }
}
