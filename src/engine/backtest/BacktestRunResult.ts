import type { Amount, Fraction } from '../../domain/money/index.js'
import type { SkipReason } from '../../domain/planning/SkipReason.js'
import type { BacktestPolicy } from './BacktestPolicy.js'

/** Scale of the hourly ratios a run keeps: 10^18 stands for a ratio of 1. */
export const RATIO_SCALE = 10n ** 18n

/** One conversion a policy made. */
export type BacktestConversion = {
  readonly at: number
  readonly token: string
  readonly amount: Amount
  readonly venue: string
  readonly path: readonly string[]
  /** Value of what was sold at the hour's independent price. */
  readonly value: Amount
  /** Trading fees, price impact and gas, in the share class. */
  readonly cost: Amount
  /** What the share class gained: output less gas. */
  readonly netOutput: Amount
}

/** What one policy did over the replay. */
export type BacktestRunResult = {
  readonly policy: BacktestPolicy
  /** The `dust_delta` it ran with (the threshold and the cost-aware cap; reported for the others too). */
  readonly dustDelta: Fraction
  readonly conversions: readonly BacktestConversion[]
  /** Value of everything converted at the hour's price. */
  readonly convertedValue: Amount
  /** Fees, price impact and gas of every conversion. */
  readonly totalCost: Amount
  /** Hourly dust ratio averaged over the hours (each hour after that hour's conversions). */
  readonly meanDustRatio: Fraction
  /** Highest ratio seen, before or after the hour's conversions. */
  readonly maxDustRatio: Fraction
  readonly maxDustRatioAt: number
  /** Share class the conversions brought in. */
  readonly proceeds: Amount
  /** Dust still held at the last hour, at its price. */
  readonly remainingDustValue: Amount
  /** Proceeds plus the dust still held. */
  readonly result: Amount
  /** Plans that left a token unconverted, by reason (the threshold not being met is not counted). */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>
  /** The scorecard's cost: fees, price impact and gas (claims included) of every conversion, in the share class; equal to `totalCost`. */
  readonly conversionCost: Amount
  /** What the dust carried into the first scored hour adds to selling the scored hours' rewards, at the last hour as the end's liquidation is priced (`L(carried + rewards) − L(rewards)`; market moves between the two do not count): zero unless a warm-up came before. */
  readonly openingLiquidationCost: Amount
  /** What selling every dust token still held at the last hour would cost: fees, impact and gas of the live planner's routes, plus the value of what no route could sell. */
  readonly liquidationCost: Amount
  /** The cost that ranks runs: conversion cost + liquidation cost − opening liquidation cost, so that no run looks cheap by leaving its dust for later. */
  readonly allInCost: Amount
  /** Time-weighted dust value in bps of equity: `meanDustRatio` × 10,000, exact. */
  readonly timeWeightedDustBps: Fraction
  /** Ex-ante risk of the dust held: Σ over hours and dust tokens of value × the token's trailing hourly volatility (not annualised), rounded up. */
  readonly exAnteRisk: Amount
  /** `exAnteRisk` in bps of the mean equity over the hours, exact. */
  readonly exAnteRiskBps: Fraction
  /** Result less the ideal (the report's "vs ideal"): shown beside the scorecard, never used to rank. */
  readonly realisedPnl: Amount
  /** Per hour, the dust ratio scaled by `RATIO_SCALE` (kept only for the runs asked for). */
  readonly ratios?: readonly bigint[] | undefined
}
