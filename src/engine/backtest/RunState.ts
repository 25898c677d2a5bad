import type { DustPolicy, DustSnapshot, Holding } from '../../domain/dust/index.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import type { SkipReason } from '../../domain/planning/SkipReason.js'
import type { ConversionPolicy, HourFacts } from '../../domain/policy/ConversionPolicy.js'
import type { BacktestReplay, RunSpec } from './BacktestReplay.js'
import type { BacktestConversion } from './BacktestRunResult.js'
import type { ThresholdCheck } from './createThresholdCheck.js'

/** A detection of an hour, with its ratio scaled by `RATIO_SCALE` for fast comparison. */
export type Detection = {
  readonly snapshot: DustSnapshot
  readonly scaled: bigint
  /** The hour's ex-ante risk of this dust (`scorecardHourRisk`), worked out once for the runs sharing the detection. */
  risk?: bigint
  /** What conversion policies decide on at this detection's hour (`collectRunFacts`), kept for the runs sharing it. */
  facts?: KeptFacts[]
}

/** The hour facts of a detection for one gas window and percentile, token settings and hysteresis verdict. */
export type KeptFacts = {
  readonly hour: number
  readonly gasWindowHours: number
  readonly gasPercentile: number
  readonly tokenSettings: DustPolicy['tokenSettings']
  readonly exceedsThreshold: boolean
  readonly facts: HourFacts
}

/** Where one run stands in the replay: what it holds, what it decided last, and its running totals. */
export type RunState = {
  readonly spec: RunSpec
  readonly policy: DustPolicy
  readonly claimable: Map<string, Amount>
  readonly wallet: Map<string, Amount>
  holdings: Holding[]
  /** The holdings as a key: runs holding the same share one detection per hour. */
  signature: string
  /** This hour's detection, shared with the runs holding the same. */
  detection: Detection
  /** Whether the ratio exceeds this run's dust_delta now (the previous hour's answer until the detection runs: the hysteresis reads it). */
  exceedsThreshold: boolean
  proceeds: Amount
  totalCost: Amount
  convertedValue: Amount
  readonly conversions: BacktestConversion[]
  ratioSum: bigint
  maxRatio: Fraction
  /** `maxRatio` scaled by `RATIO_SCALE`, rounded down: compared each hour instead of the fraction. */
  maxScaled: bigint
  maxRatioAt: number
  /** Σ over hours of the dust's ex-ante risk (`scorecardHourRisk`): share-class base units × `VOLATILITY_SCALE`. */
  riskSum: bigint
  readonly skipped: Partial<Record<SkipReason, number>>
  readonly ratios: bigint[] | undefined
  /** The run's hysteresis check on its dust_delta, built at its first detection. */
  thresholdCheck?: ThresholdCheck | undefined
  /** The run's conversion policy (`dust_policy`), built at its first decision, when it has one. */
  conversionPolicy?: ConversionPolicy | undefined
}

export type CreateRunStateParameters = {
  readonly spec: RunSpec
  /** The first hour of the replay, in ms. */
  readonly first: number
  /** The number of hours replayed. */
  readonly hours: number
  /** Whether the run keeps its hourly ratios. */
  readonly keepRatios: boolean
}

/** Creates a run that holds nothing yet, before the first hour. */
export function createRunState(replay: BacktestReplay, parameters: CreateRunStateParameters): RunState {
  const { basePolicy, shareClass } = replay
  const { spec, first } = parameters
  const nothing: DustSnapshot = {
    timestamp: first,
    strategyMode: basePolicy.mode,
    shareClass: shareClass.symbol,
    totalDustValue: Amount.zero(shareClass),
    dustTokens: [],
    unpricedTokens: [],
    equity: Amount.zero(shareClass),
    dustRatio: Fraction.ZERO,
    dustDelta: basePolicy.dustDelta,
    exceedsThreshold: false,
  }
  return {
    spec,
    policy: { ...basePolicy, dustDelta: spec.dustDelta },
    claimable: new Map(),
    wallet: new Map(),
    holdings: [],
    signature: '',
    detection: { scaled: 0n, snapshot: nothing },
    exceedsThreshold: false,
    proceeds: Amount.zero(shareClass),
    totalCost: Amount.zero(shareClass),
    convertedValue: Amount.zero(shareClass),
    conversions: [],
    ratioSum: 0n,
    maxRatio: Fraction.ZERO,
    maxScaled: 0n,
    maxRatioAt: first,
    riskSum: 0n,
    skipped: {},
    ratios: parameters.keepRatios ? new Array<bigint>(parameters.hours) : undefined,
  }
}
