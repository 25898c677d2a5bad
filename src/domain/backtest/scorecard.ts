import { BaseError, CurrencyMismatchError } from '../../errors/index.js'
import { Amount, Fraction, isSameCurrency } from '../money/index.js'
import { VOLATILITY_SCALE } from './holdingRisk.js'

const BPS = 10_000n

/** What a run accumulated over its hours, from which its scorecard is drawn. */
export type ScorecardParameters = {
  /** Fees, price impact and gas of every conversion, in the share class. */
  readonly conversionCost: Amount
  /** What the dust held at the first scored hour adds to selling the scored hours' rewards, priced as `liquidationCost` is (zero when the run started holding nothing). */
  readonly openingLiquidationCost: Amount
  /** What selling the dust still held at the last hour would cost. */
  readonly liquidationCost: Amount
  /** The hourly dust ratio (dust value over equity) averaged over the hours. */
  readonly meanDustRatio: Fraction
  /** Σ over hours of `scorecardHourRisk`: share-class base units times `VOLATILITY_SCALE`. */
  readonly riskSum: bigint
  /** Σ over hours of the equity, in the share class. */
  readonly equitySum: Amount
  /** The number of hours summed. */
  readonly hours: number
  /** The share class the run ended with: proceeds plus the dust still held. */
  readonly result: Amount
  /** Every reward converted at its hour, at once and for free. */
  readonly ideal: Amount
}

/** A run's honest scorecard: what it paid, the risk it took by holding dust, and (beside, never ranked) its realised P&L. */
export type Scorecard = {
  readonly conversionCost: Amount
  readonly openingLiquidationCost: Amount
  readonly liquidationCost: Amount
  /**
   * The cost a run is ranked on: its conversions, plus selling what it still holds at the end,
   * less what the dust it held at the start adds to that. Marked to liquidation at both ends, a
   * policy that leaves its dust unconverted is charged for it, and one that inherited dust is not.
   */
  readonly allInCost: Amount
  /** The time-weighted dust value in bps of equity: the mean ratio × 10,000. */
  readonly timeWeightedDustBps: Fraction
  /** Σ over hours and dust tokens of value × trailing hourly volatility, in the share class, rounded up. */
  readonly exAnteRisk: Amount
  /** The same sum in bps of the mean equity, exact. */
  readonly exAnteRiskBps: Fraction
  /** Result less the ideal: where prices happened to go, not how good the policy was. */
  readonly realisedPnl: Amount
}

/**
 * Draws a run's scorecard from its sums: the costs as given and the all-in cost, the mean dust ratio in bps, the
 * ex-ante risk in the share class (rounded up, against us) and in bps of the mean equity
 * (`riskSum × hours × 10,000 / (VOLATILITY_SCALE × equitySum)`, exact), and the realised P&L.
 *
 * Throws `CurrencyMismatchError` when the amounts are not all in one currency, and a
 * `BaseError` (`invalid_parameter`) for a negative hour count or risk sum, or for a risk taken
 * against no equity.
 */
export function scorecard(parameters: ScorecardParameters): Scorecard {
  const { conversionCost, openingLiquidationCost, liquidationCost, riskSum, equitySum, hours, result, ideal } = parameters
  const share = conversionCost.currency
  for (const amount of [openingLiquidationCost, liquidationCost, equitySum, result, ideal]) {
    if (!isSameCurrency(share, amount.currency)) throw new CurrencyMismatchError('score a run', share.symbol, amount.currency.symbol)
  }
  if (!Number.isInteger(hours) || hours < 0 || riskSum < 0n) {
    throw new BaseError('A run cannot be scored from negative sums.', {
      code: 'invalid_parameter',
      details: `Expected a whole number of hours of at least 0 and a risk sum of at least 0, found ${hours} hours and a risk sum of ${riskSum}.`,
    })
  }
  let exAnteRiskBps = Fraction.ZERO
  if (riskSum > 0n) {
    if (!equitySum.isPositive()) {
      throw new BaseError('A run held dust at risk against no equity, so its risk has no size in bps.', {
        code: 'invalid_parameter',
        details: `Expected a positive equity summed over ${hours} hours, found ${equitySum.toDecimalString()} ${share.symbol}.`,
      })
    }
    exAnteRiskBps = new Fraction(riskSum * BigInt(hours) * BPS, VOLATILITY_SCALE * equitySum.raw).reduce()
  }
  return {
    conversionCost,
    openingLiquidationCost,
    liquidationCost,
    allInCost: conversionCost.add(liquidationCost).subtract(openingLiquidationCost),
    timeWeightedDustBps: parameters.meanDustRatio.multiply(BPS).reduce(),
    exAnteRisk: Amount.fromRaw(share, new Fraction(riskSum, VOLATILITY_SCALE).toBigInt('up')),
    exAnteRiskBps,
    realisedPnl: result.subtract(ideal),
  }
}
