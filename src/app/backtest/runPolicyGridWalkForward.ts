import { rewardSchedule } from '../../domain/backtest/rewardSchedule.js'
import { Amount, type Currency, Fraction } from '../../domain/money/index.js'
import type { BacktestPolicy } from '../../engine/backtest/BacktestPolicy.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import { type WalkForwardRow, compareWalkForward } from '../../engine/backtest/compareWalkForward.js'
import { type RiskAxis, type WalkForwardPick, pickWalkForward, riskOf } from '../../engine/backtest/pickWalkForward.js'
import { requireWalkForwardReceipts } from '../../engine/backtest/requireWalkForwardReceipts.js'
import { type HourSpan, splitWalkForward } from '../../engine/backtest/splitWalkForward.js'
import { SourceError } from '../../errors/index.js'
import type { AskedWindow } from './backtestStrategy.js'
import { loadBacktestHistory } from './loadBacktestHistory.js'
import { type RunPolicyGridParameters, runPolicyGrid } from './runPolicyGrid.js'

export type RunPolicyGridWalkForwardParameters = Omit<RunPolicyGridParameters, 'onProgress'> & {
  /** Told of the hours replayed over both halves (the first half's grid, then the picks on the second), and of the runs under way. */
  readonly onProgress?: ((done: number, total: number, runs: number) => void) | undefined
}

/** A half's threshold baseline, as the table shows it. */
export type WalkForwardBaseline = { readonly cost: Amount; readonly conversionCost: Amount; readonly risk: Fraction; readonly conversions: number }

/** A walk-forward: the parameters each policy chose on the first half, and how they did on the second. */
export type WalkForwardReport = {
  readonly mode: string
  readonly shareClass: Currency
  readonly position: Amount
  /** The configuration's `dust_delta`: the threshold at it is the baseline of both halves. */
  readonly dustDelta: Fraction
  readonly choose: HourSpan
  readonly report: HourSpan
  /** The window asked: the halves split the part of it the history covers. */
  readonly asked: AskedWindow
  readonly axis: RiskAxis
  /** The grid's values of `dust_delta`, sorted. */
  readonly values: readonly Fraction[]
  /**
   * The values each policy that reads `dust_delta` chose among, sorted: the grid's and the
   * configuration's, which the replay runs anyway (the threshold at it is the baseline).
   */
  readonly candidates: readonly Fraction[]
  /** Runs replayed on the first half. */
  readonly gridRuns: number
  readonly chooseBaseline: WalkForwardBaseline
  readonly reportBaseline: WalkForwardBaseline
  /** Whether the second half's baseline cost under one USDT (its worth in ETH for an ETH share class): a percentage of it says little. */
  readonly baselineNegligible: boolean
  /** One USDT in the share class, at the window's last ETH close for ETH: the cost under which the baseline is negligible. */
  readonly negligibleBelow: Amount
  readonly picks: readonly WalkForwardPick[]
  readonly rows: readonly WalkForwardRow[]
  /** Wall time of both halves, in ms. */
  readonly elapsedMs: number
}

/**
 * One USDT in the share class, under which a baseline's cost is negligible: one USDT itself, or
 * its worth in ETH at `ethUsdt` (USDT per ETH, the window's last close), rounded up, so that a
 * cost in base units is under it exactly when it is worth less than one USDT.
 */
function oneUsdtIn(shareClass: Currency, ethUsdt: Fraction | undefined): Amount {
  if (shareClass.symbol === 'USDT') return Amount.fromTokens(shareClass, Fraction.ONE, 'down')
  if (ethUsdt === undefined || ethUsdt.numerator <= 0n)
    throw new SourceError('history', 'The history has no positive ETH price in USDT at its last hour.', { details: `Expected a close above zero, found ${ethUsdt?.toSignificant(8) ?? 'none'}.` })
  return Amount.fromTokens(shareClass, ethUsdt.invert(), 'up')
}

const baselineOf = (run: BacktestRunResult, axis: RiskAxis): WalkForwardBaseline => ({
  cost: run.allInCost,
  conversionCost: run.conversionCost,
  risk: riskOf(run, axis),
  conversions: run.conversions.length,
})

/**
 * Runs a walk-forward on the window (the whole history by default): splits it at its midpoint
 * (`splitWalkForward`), refuses it unless each half holds a reward receipt
 * (`requireWalkForwardReceipts`), replays the grid on the first half with `runPolicyGrid`,
 * chooses each policy's `dust_delta` there among the grid's values and the configuration's
 * (`pickWalkForward`: the cheapest at no more risk than the seed's threshold at the
 * configuration's `dust_delta`), then replays only those choices over the whole
 * window, scoring only the second half, and compares each with the threshold there
 * (`compareWalkForward`). The first half is the second's warm-up: what each run holds at the
 * midpoint carries into it, as it would live, so a policy that left dust unconverted when the
 * first half ended meets it again. Nothing of the second half is seen before the choices are made.
 */
export async function runPolicyGridWalkForward(parameters: RunPolicyGridWalkForwardParameters): Promise<WalkForwardReport> {
  const started = performance.now()
  const { hourly, rewards } = await loadBacktestHistory({ dataDir: parameters.dataDir, from: parameters.from, to: parameters.to })
  const from = hourly.hours[0]
  const to = hourly.hours.at(-1)
  if (from === undefined || to === undefined) throw new SourceError('history', 'The history has no hour.', { details: 'Expected at least one hour every series covers, found none.' })
  const { choose, report } = splitWalkForward({ from, to })
  // Only the instants count here, and no oracle rate moves one: the replay prices the credits itself.
  const credits = rewardSchedule({ eigenRows: rewards.eigenRows, ethfiRows: rewards.ethfiRows, oracle: () => Fraction.ONE, position: parameters.position })
  requireWalkForwardReceipts({ choose, report, receipts: credits.map((credit) => credit.at) })
  // The second replay runs the whole window, scoring only the second half: the first is its warm-up.
  const total = choose.hours + choose.hours + report.hours
  const tell = (offset: number) => (done: number, _total: number, runs: number) => parameters.onProgress?.(offset + done, total, runs)
  // The seed's threshold is the baseline of both halves, whichever policies were asked for.
  const asked = parameters.policies
  const withBaseline = asked && !asked.includes('threshold') ? (['threshold', ...asked] as const) : asked
  const first = await runPolicyGrid({ ...parameters, policies: withBaseline, from: choose.from, to: choose.to, onProgress: tell(0) })
  const { axis, baseline, picks } = pickWalkForward({ runs: first.runs, dustDelta: first.dustDelta })
  // Keyed by the exact fraction: a rounded key would merge two choices finer than its last place.
  const chosen = [...new Map(picks.map((pick) => [pick.run.dustDelta.exactKey(), pick.run.dustDelta] as const)).values()]
  const policies: readonly BacktestPolicy[] = picks.map((pick) => pick.policy)
  const second = await runPolicyGrid({ ...parameters, from: choose.from, to: report.to, scoreFrom: report.from, values: chosen, policies, onProgress: tell(choose.hours) })
  // The loader refuses a price at or under zero, so this cannot fail after the replays.
  const negligibleBelow = oneUsdtIn(first.shareClass, hourly.values.ethUsdt.at(-1))
  const compared = compareWalkForward({ axis, picks, runs: second.runs, dustDelta: second.dustDelta, negligibleBelow })
  return {
    mode: first.mode,
    shareClass: first.shareClass,
    position: first.position,
    dustDelta: first.dustDelta,
    choose,
    report,
    asked: { from: parameters.from, to: parameters.to },
    axis,
    values: [...parameters.values].sort((a, b) => a.compare(b)),
    candidates: [...parameters.values.filter((value) => !value.equals(first.dustDelta)), first.dustDelta].sort((a, b) => a.compare(b)),
    gridRuns: first.runs.length,
    chooseBaseline: baselineOf(baseline, axis),
    reportBaseline: baselineOf(compared.baseline, axis),
    baselineNegligible: compared.baselineNegligible,
    negligibleBelow,
    picks,
    rows: compared.rows,
    elapsedMs: performance.now() - started,
  }
}
