import type { Amount } from '../../domain/money/index.js'
import { askedJson, clippedWindowLine, hourText } from './describeWindow.js'
import { Fraction } from '../../domain/money/index.js'
import { BACKTEST_POLICIES, type BacktestPolicy, POLICY_DESCRIPTIONS, THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import { formatTable } from '../cli/formatTable.js'
import { backtestFrontier } from './backtestFrontier.js'
import type { BacktestReport } from '../../app/backtest/backtestStrategy.js'

const BPS = 10_000n
/** The frontier runs the text names; the rest are in `--json`. */
const FRONTIER_SHOWN = 12

/** What one run comes to: the run's own figures (its hourly ratios aside) and those derived from them, exactly. */
export type RunFigures = Omit<BacktestRunResult, 'conversions' | 'ratios'> & {
  readonly conversions: number
  /** Cost over value converted, in bps; `undefined` with nothing converted. */
  readonly costBps: Fraction | undefined
  /** Result less the ideal: negative is worse than converting every reward at once for free. */
  readonly vsIdeal: Amount
  readonly vsIdealBps: Fraction | undefined
}

export function runFigures(report: BacktestReport, run: BacktestRunResult): RunFigures {
  const vsIdeal = run.result.subtract(report.ideal)
  return {
    policy: run.policy,
    dustDelta: run.dustDelta,
    conversions: run.conversions.length,
    convertedValue: run.convertedValue,
    totalCost: run.totalCost,
    costBps: run.convertedValue.isPositive() ? new Fraction(run.totalCost.raw * BPS, run.convertedValue.raw) : undefined,
    meanDustRatio: run.meanDustRatio,
    maxDustRatio: run.maxDustRatio,
    maxDustRatioAt: run.maxDustRatioAt,
    proceeds: run.proceeds,
    remainingDustValue: run.remainingDustValue,
    result: run.result,
    vsIdeal,
    vsIdealBps: report.ideal.isPositive() ? new Fraction(vsIdeal.raw * BPS, report.ideal.raw) : undefined,
    skipped: run.skipped,
    conversionCost: run.conversionCost,
    openingLiquidationCost: run.openingLiquidationCost,
    liquidationCost: run.liquidationCost,
    allInCost: run.allInCost,
    timeWeightedDustBps: run.timeWeightedDustBps,
    exAnteRisk: run.exAnteRisk,
    exAnteRiskBps: run.exAnteRiskBps,
    realisedPnl: run.realisedPnl,
  }
}

/** The runs at the configuration's dust_delta, one per policy, in the order they ran. */
export function primaryRuns(report: BacktestReport): BacktestRunResult[] {
  return report.runs.filter((run) => run.dustDelta.equals(report.dustDelta))
}

/** The cost-aware policy against the seed's threshold at the configuration's dust_delta, when both ran. */
export type PolicyComparison = { readonly costAware: RunFigures; readonly threshold: RunFigures }

export function comparePolicies(report: BacktestReport): PolicyComparison | undefined {
  const runs = primaryRuns(report)
  const costAware = runs.find((run) => run.policy === 'cost_aware')
  const threshold = runs.find((run) => run.policy === 'threshold')
  if (!costAware || !threshold) return undefined
  return { costAware: runFigures(report, costAware), threshold: runFigures(report, threshold) }
}

const bps = (value: Fraction | undefined, rounding: 'up' | 'down' | 'half_up' = 'half_up') => (value === undefined ? '-' : value.toDecimalPlaces(2, rounding))
/** A ratio in bps to two decimals; a positive ratio under 0.005 bps shows as `<0.01` rather than as none. */
const ratioBps = (ratio: Fraction) => {
  const text = ratio.multiply(BPS).toDecimalPlaces(2)
  return text === '0.00' && ratio.numerator > 0n ? '<0.01' : text
}
const deltaText = (delta: Fraction) => delta.toDecimalString(8)
/** Ex-ante risk in bps to two decimals, rounded up (against the policy); a positive risk never shows as none. */
const riskBps = (value: Fraction) => value.toDecimalPlaces(2, 'up')

/** An amount with thousands separators: cents for USDT, micro-ether for ETH, unless `places` says. */
function money(amount: Amount, places = amount.currency.decimals >= 18 ? 6 : 2): string {
  const [whole = '0', fraction] = amount.toDecimalPlaces(places).split('.')
  const negative = whole.startsWith('-')
  const digits = negative ? whole.slice(1) : whole
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`
}

/** A difference with its sign: `+138.11`, `-1,792.73`. */
function signed(amount: Amount): string {
  const text = money(amount)
  return amount.isNegative() || text.replace(/[0.,]/g, '') === '' ? text : `+${text}`
}

/** What a skip reason means in a backtest, where the same few recur. */
const SKIP_GLOSS: Partial<Record<string, string>> = {
  below_amount_step: 'a remainder under the CEX amount step',
  below_venue_minimum: 'under the CEX minimum notional',
  net_output_not_positive: 'gas would eat the sale',
  slippage_above_limit: 'price impact beyond max_slippage_bps',
  gas_price_above_cap: 'gas above max_gas_price_gwei',
}

function skippedText(skipped: BacktestRunResult['skipped']): string {
  const entries = Object.entries(skipped)
  return entries.length === 0 ? '' : entries.map(([reason, count]) => `${reason} ×${count}${SKIP_GLOSS[reason] ? ` (${SKIP_GLOSS[reason]})` : ''}`).join(', ')
}

/** The first lines of the report: the position and window (and what of the window asked the history lacked), the history used, and what was received. */
function summaryLines(report: BacktestReport): string[] {
  const share = report.shareClass.symbol
  const filled = Object.entries(report.filled)
  const gaps = filled.every(([, count]) => count === 0) ? 'no hour was missing from any series' : `hours carried forward: ${filled.map(([series, count]) => `${series} ${count}`).join(', ')}`
  const fees = [...new Set(Object.values(report.feeBps).map((fee) => `${fee.divide(100n).toDecimalString(4)}%`))].join(', ')
  const received = [...report.received.values()].map((amount) => `${money(amount, 6)} ${amount.currency.symbol}`)
  const clipped = clippedWindowLine(report.asked, report.from, report.to)
  return [
    `Backtest of ${report.mode}: ${report.position.toDecimalString()} weETH held from ${hourText(report.from)} to ${hourText(report.to)} (${report.hours.toLocaleString('en-US')} hours), valued in ${share}.`,
    ...(clipped === undefined ? [] : [clipped]),
    `History: Uniswap v3 hourly closes (pool fee ${fees}), the Aave weETH/ETH oracle and hourly gas prices; ${gaps}.`,
    `Received: ${received.length > 0 ? received.join(' and ') : 'nothing'}${report.creditsOutside > 0 ? ` (${report.creditsOutside} reward${report.creditsOutside === 1 ? '' : 's'} fell outside the window and are left out)` : ''}; worth ${money(report.ideal)} ${share} at the prices of their hours (the ideal: every reward converted at once, for free).`,
  ]
}

/**
 * The table of the sweep: a row per swept value of dust_delta and policy that reads it (in the
 * order of `BACKTEST_POLICIES`), with its conversions, all-in cost, mean ratio, ex-ante risk and,
 * not ranked, realised P&L. Values are told apart exactly, however close.
 */
function sweepLines(report: BacktestReport, sweep: readonly Fraction[]): string[] {
  const byDelta = new Map<string, Map<BacktestPolicy, RunFigures>>()
  for (const run of report.runs) {
    if (!THRESHOLD_POLICIES.has(run.policy)) continue
    const key = run.dustDelta.exactKey()
    const entry = byDelta.get(key) ?? new Map<BacktestPolicy, RunFigures>()
    entry.set(run.policy, runFigures(report, run))
    byDelta.set(key, entry)
  }
  const share = report.shareClass.symbol
  const header = ['dust_delta', 'policy', 'conversions', `all-in cost ${share}`, 'mean bps', 'risk bps', `P&L ${share} (not ranked)`]
  const rows: string[][] = []
  for (const delta of sweep) {
    const figures = byDelta.get(delta.exactKey())
    for (const policy of BACKTEST_POLICIES) {
      const run = figures?.get(policy)
      if (run) rows.push([deltaText(delta), policy, String(run.conversions), money(run.allInCost), ratioBps(run.meanDustRatio), riskBps(run.exAnteRiskBps), money(run.realisedPnl)])
    }
  }
  return ['', `Sweep of dust_delta (${sweep.length} values; amounts in ${share}):`, formatTable(header, rows, new Set(header.filter((column) => column !== 'policy')))]
}

/** The report as text for people: the data used, what was received, a table of the policies, the comparison, and the sweep. */
export function renderBacktest(report: BacktestReport): string {
  const share = report.shareClass.symbol
  const lines = summaryLines(report)
  lines.push('')
  const header = [
    'policy',
    'dust_delta',
    'conversions',
    `converted ${share}`,
    `cost ${share}`,
    'cost bps',
    `end liquidation ${share}`,
    `all-in cost ${share}`,
    'time-weighted bps',
    'max ratio bps',
    'ex-ante risk bps',
    `result ${share}`,
    `realised P&L ${share} (not ranked)`,
    'P&L bps (not ranked)',
  ]
  const right = new Set(header.slice(1))
  const row = (figures: RunFigures) => [
    figures.policy,
    deltaText(figures.dustDelta),
    String(figures.conversions),
    money(figures.convertedValue),
    money(figures.totalCost),
    bps(figures.costBps, 'up'),
    money(figures.liquidationCost),
    money(figures.allInCost),
    ratioBps(figures.meanDustRatio),
    ratioBps(figures.maxDustRatio),
    riskBps(figures.exAnteRiskBps),
    money(figures.result),
    money(figures.realisedPnl),
    bps(figures.vsIdealBps),
  ]
  const primary = primaryRuns(report).map((run) => runFigures(report, run))
  lines.push(formatTable(header, primary.map(row), right))
  lines.push('')
  for (const figures of primary) {
    const skipped = skippedText(figures.skipped)
    lines.push(`  ${figures.policy}: ${POLICY_DESCRIPTIONS[figures.policy]}.${skipped ? ` Plans that left a token unconverted: ${skipped}.` : ''}`)
  }
  lines.push(
    `  cost: fees, price impact and gas of every conversion (claims included). end liquidation: what selling the dust still held at the end would cost, planned the same way (dust no route can sell counted at its value). all-in cost: cost + end liquidation − what selling the dust held at the start would cost, priced at the end too (zero unless a warm-up came first); it ranks the runs and draws the frontier. ratio: dust value over the weETH position's value, each hour; time-weighted: its mean.`,
  )
  lines.push("  ex-ante risk: each hour, every dust token's value × its trailing hourly volatility against the share class (not annualised), summed over the hours, in bps of the mean equity.")
  lines.push(`  result: ${share} brought in plus the dust still held at the end. realised P&L: result less the ideal; where prices went, shown but not ranked.`)
  const efficient = backtestFrontier(report).flatMap((line) => line.points.filter((point) => point.efficient).map((point) => `${point.policy} ${point.parameter}`))
  const shown = efficient.length > FRONTIER_SHOWN ? [...efficient.slice(0, FRONTIER_SHOWN), `and ${efficient.length - FRONTIER_SHOWN} more (--json lists them)`] : efficient
  lines.push(`  Frontier (no other run costs less at no more ex-ante risk): ${shown.join(', ')}.`)
  const comparison = comparePolicies(report)
  if (comparison) {
    const { costAware: a, threshold: t } = comparison
    lines.push('')
    lines.push(
      `cost_aware against the seed's threshold at dust_delta ${deltaText(report.dustDelta)}: cost ${money(a.totalCost)} against ${money(t.totalCost)} ${share} (${signed(a.totalCost.subtract(t.totalCost))}); mean exposure ${ratioBps(a.meanDustRatio)} against ${ratioBps(t.meanDustRatio)} bps, max ${ratioBps(a.maxDustRatio)} against ${ratioBps(t.maxDustRatio)} bps; result ${money(a.result)} against ${money(t.result)} ${share} (${signed(a.result.subtract(t.result))}).`,
    )
  }
  if (report.sweep) lines.push(...sweepLines(report, report.sweep))
  return lines.join('\n')
}

/** One run as JSON: its figures and every conversion it made. */
function serializeRun(report: BacktestReport, result: BacktestRunResult) {
  const figures = runFigures(report, result)
  return {
    policy: figures.policy,
    dust_delta: figures.dustDelta.toDecimalString(18),
    conversions: figures.conversions,
    converted_value: figures.convertedValue.toDecimalString(),
    total_cost: figures.totalCost.toDecimalString(),
    cost_bps: figures.costBps?.toDecimalString(6, 'up') ?? null,
    mean_dust_ratio: figures.meanDustRatio.toDecimalString(18, 'down'),
    max_dust_ratio: figures.maxDustRatio.toDecimalString(18, 'down'),
    max_dust_ratio_at: new Date(figures.maxDustRatioAt).toISOString(),
    proceeds: figures.proceeds.toDecimalString(),
    remaining_dust_value: figures.remainingDustValue.toDecimalString(),
    result: figures.result.toDecimalString(),
    vs_ideal: figures.vsIdeal.toDecimalString(),
    vs_ideal_bps: figures.vsIdealBps?.toDecimalString(6) ?? null,
    conversion_cost: figures.conversionCost.toDecimalString(),
    opening_liquidation_cost: figures.openingLiquidationCost.toDecimalString(),
    liquidation_cost: figures.liquidationCost.toDecimalString(),
    all_in_cost: figures.allInCost.toDecimalString(),
    time_weighted_dust_bps: figures.timeWeightedDustBps.toDecimalString(18, 'down'),
    ex_ante_risk: figures.exAnteRisk.toDecimalString(),
    ex_ante_risk_bps: figures.exAnteRiskBps.toDecimalString(18, 'up'),
    realised_pnl: figures.realisedPnl.toDecimalString(),
    skipped: figures.skipped,
    conversion_list: result.conversions.map((conversion) => ({
      at: new Date(conversion.at).toISOString(),
      token: conversion.token,
      amount: conversion.amount.toDecimalString(),
      venue: conversion.venue,
      path: conversion.path,
      value: conversion.value.toDecimalString(),
      cost: conversion.cost.toDecimalString(),
      net_output: conversion.netOutput.toDecimalString(),
    })),
  }
}

/** The report as JSON: decimal strings for every amount and ratio, ISO times, snake_case names. */
export function serializeBacktest(report: BacktestReport, plots: readonly string[] = []) {
  const comparison = comparePolicies(report)
  return {
    strategy_mode: report.mode,
    share_class: report.shareClass.symbol,
    position_weeth: report.position.toDecimalString(),
    from: new Date(report.from).toISOString(),
    to: new Date(report.to).toISOString(),
    asked: askedJson(report.asked),
    hours: report.hours,
    hours_filled: report.filled,
    files: report.files,
    pool_fee_bps: Object.fromEntries(Object.entries(report.feeBps).map(([series, fee]) => [series, fee.toDecimalString(6)])),
    received: Object.fromEntries([...report.received].map(([token, amount]) => [token, amount.toDecimalString()])),
    credits_outside_window: report.creditsOutside,
    ideal: report.ideal.toDecimalString(),
    dust_delta: report.dustDelta.toDecimalString(18),
    sweep: report.sweep?.map((delta) => delta.toDecimalString(18)) ?? null,
    comparison: comparison
      ? {
          dust_delta: report.dustDelta.toDecimalString(18),
          cost_difference: comparison.costAware.totalCost.subtract(comparison.threshold.totalCost).toDecimalString(),
          mean_dust_ratio_difference: comparison.costAware.meanDustRatio.subtract(comparison.threshold.meanDustRatio).toDecimalString(18, 'down'),
          result_difference: comparison.costAware.result.subtract(comparison.threshold.result).toDecimalString(),
        }
      : null,
    runs: report.runs.map((run) => serializeRun(report, run)),
    // The frontier plot's points, camelCase as the plot's own data: cost in the share class, risk in bps of equity.
    frontier: backtestFrontier(report).flatMap((line) =>
      line.points.map((point) => ({
        policy: point.policy,
        parameter: point.parameter,
        costDecimal: point.cost.toDecimalString(),
        riskBps: point.riskBps.toDecimalString(18, 'up'),
        efficient: point.efficient,
      })),
    ),
    plots,
    replay_ms: Math.round(report.replayMs),
  }
}
