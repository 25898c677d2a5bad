import type { WalkForwardReport } from '../../app/backtest/runPolicyGridWalkForward.js'
import { askedJson, clippedWindowLine, hourText } from './describeWindow.js'
import type { Amount, Fraction } from '../../domain/money/index.js'
import { THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import { REQUIRED_SAVING } from '../../engine/backtest/compareWalkForward.js'
import { type RiskAxis, riskOf } from '../../engine/backtest/pickWalkForward.js'
import { formatTable } from '../cli/formatTable.js'

const AXIS_TEXT: Readonly<Record<RiskAxis, string>> = {
  ex_ante_risk_bps: 'ex-ante risk (dust value × trailing volatility, summed over the hours, in bps of equity)',
  mean_dust_ratio_bps: 'time-weighted dust ratio in bps (the scorecard’s ex-ante risk is not in these results)',
}

/** An amount with thousands separators: cents for USDT, micro-ether for ETH. */
function money(amount: Amount): string {
  const [whole = '0', fraction] = amount.toDecimalPlaces(amount.currency.decimals >= 18 ? 6 : 2).split('.')
  const negative = whole.startsWith('-')
  const grouped = (negative ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`
}
/** A count and its noun, singular for one: "1 hour", "4,284 hours". */
const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`
/** Risk in bps to two decimals, rounded up (against the policy). */
const riskText = (risk: Fraction) => risk.toDecimalPlaces(2, 'up')
/** A relative cost as a signed percentage to one decimal. */
const percent = (value: Fraction | undefined) => {
  if (value === undefined) return '-'
  const text = value.multiply(100n).toDecimalPlaces(1)
  return value.isNegative() || text === '0.0' || text === '-0.0' ? `${text.replace(/^-0\.0$/, '0.0')}%` : `+${text}%`
}

/** Renders a walk-forward for a terminal: the two halves, the rule, and the table of each policy's choice on the second half. */
export function renderWalkForward(report: WalkForwardReport): string {
  const share = report.shareClass.symbol
  const header = [
    'policy',
    'dust_delta',
    'conversions',
    `conversion cost ${share}`,
    `all-in cost ${share}`,
    'risk bps',
    'all-in vs threshold',
    `beats by ≥${REQUIRED_SAVING.multiply(100n).toDecimalString(0)}%`,
  ]
  const rows = report.rows.map((row) => [
    row.withinBudget ? row.policy : `${row.policy}*`,
    // A policy that never reads dust_delta has nothing to choose.
    THRESHOLD_POLICIES.has(row.policy) ? row.dustDelta.toDecimalString(8) : '-',
    String(row.conversions),
    money(row.conversionCost),
    money(row.cost),
    riskText(row.risk),
    percent(row.costVsThreshold),
    row.beatsThreshold ? 'yes' : 'no',
  ])
  const beaten = report.rows.filter((row) => row.beatsThreshold).map((row) => row.policy)
  const configured = report.dustDelta.toDecimalString(8)
  // The replay runs the configuration's dust_delta beside the grid's (the threshold at it is the baseline), so it is a candidate too.
  const inGrid = report.values.some((value) => value.equals(report.dustDelta))
  const candidates = inGrid
    ? `${count(report.candidates.length, 'value')} of it, the configuration's ${configured} among them`
    : `${count(report.candidates.length, 'value')} of it, the grid's ${report.values.length.toLocaleString('en-US')} and the configuration's ${configured}`
  const baseCost = report.reportBaseline.cost
  const negligible = !report.baselineNegligible
    ? []
    : baseCost.isPositive()
      ? [
          `The threshold's all-in cost here is ${money(baseCost)} ${share}, under one USDT${share === 'USDT' ? '' : ` (${report.negligibleBelow.toDecimalString()} ${share} at the last hour's price)`}: a percentage of it says little.`,
        ]
      : [`The threshold's all-in cost here is ${money(baseCost)} ${share}, not above zero: no percentage of it is shown, and no policy can beat it.`]
  const clipped = clippedWindowLine(report.asked, report.choose.from, report.report.to)
  const lines = [
    `Walk-forward of ${report.mode}: ${report.position.toDecimalString()} weETH, valued in ${share}.`,
    `Chosen on ${hourText(report.choose.from)} to ${hourText(report.choose.to)} (${count(report.choose.hours, 'hour')}, ${count(report.gridRuns, 'run')}: each policy that reads dust_delta at ${candidates}, the others once), reported on ${hourText(report.report.from)} to ${hourText(report.report.to)} (${count(report.report.hours, 'hour')}).`,
    ...(clipped === undefined ? [] : [clipped]),
    `Risk: ${AXIS_TEXT[report.axis]}.`,
    "Cost: all-in, the fees, price impact and gas (claims included) of the half's conversions, plus what selling the dust still held at its end would cost, less what the dust held at its start adds to selling the half's rewards: no policy looks cheap by leaving its dust for later, nor dear by selling what it inherited.",
    `Rule: on the first half, each policy takes its dust_delta of least all-in cost at no more risk than the seed's threshold at dust_delta ${report.dustDelta.toDecimalString(8)} (first half: ${money(report.chooseBaseline.cost)} ${share}, ${riskText(report.chooseBaseline.risk)} bps), a tie going to the lower risk, then to dust_delta ${configured}, then to the smaller value; * marks a policy with no such run, which takes its least risky one.`,
    '',
    `Second half, against the threshold at dust_delta ${report.dustDelta.toDecimalString(8)} (all-in ${money(report.reportBaseline.cost)} ${share}, of which conversions ${money(report.reportBaseline.conversionCost)}; ${riskText(report.reportBaseline.risk)} bps, ${count(report.reportBaseline.conversions, 'conversion')}):`,
    formatTable(header, rows, new Set(header.slice(1, 7))),
    '',
    ...negligible,
    beaten.length > 0
      ? `Beating the threshold by at least ${REQUIRED_SAVING.multiply(100n).toDecimalString(0)}% at equal or lower risk: ${beaten.join(', ')}.`
      : `No policy costs ${REQUIRED_SAVING.multiply(100n).toDecimalString(0)}% less than the threshold at equal or lower risk on the second half.`,
  ]
  return lines.join('\n')
}

/** The walk-forward as one JSON-ready object: amounts and fractions as decimal strings, hours as ISO times. */
export function serializeWalkForward(report: WalkForwardReport) {
  const span = (half: WalkForwardReport['choose']) => ({ from: new Date(half.from).toISOString(), to: new Date(half.to).toISOString(), hours: half.hours })
  const baseline = (value: WalkForwardReport['chooseBaseline']) => ({
    cost: value.cost.toDecimalString(),
    conversion_cost: value.conversionCost.toDecimalString(),
    risk_bps: value.risk.toDecimalString(12),
    conversions: value.conversions,
  })
  return {
    mode: report.mode,
    share_class: report.shareClass.symbol,
    position_weeth: report.position.toDecimalString(),
    asked: askedJson(report.asked),
    dust_delta: report.dustDelta.toDecimalString(18),
    risk_axis: report.axis,
    rule: 'lowest all-in cost among runs with risk <= the threshold at dust_delta on the first half, candidates the grid values and dust_delta, a tie to the lower risk, then dust_delta, then the smaller value; beats = cost <= 70% of the threshold and risk <= the threshold on the second half',
    choose: {
      ...span(report.choose),
      grid_runs: report.gridRuns,
      values: report.values.map((value) => value.toDecimalString(18)),
      candidates: report.candidates.map((value) => value.toDecimalString(18)),
      threshold: baseline(report.chooseBaseline),
    },
    report: { ...span(report.report), threshold: baseline(report.reportBaseline), baseline_negligible: report.baselineNegligible, negligible_below: report.negligibleBelow.toDecimalString() },
    policies: report.rows.map((row, index) => {
      const pick = report.picks[index]
      return {
        policy: row.policy,
        dust_delta: row.dustDelta.toDecimalString(18),
        within_budget: row.withinBudget,
        reads_dust_delta: THRESHOLD_POLICIES.has(row.policy),
        choose_cost: pick?.run.allInCost.toDecimalString(),
        choose_risk_bps: pick ? riskOf(pick.run, report.axis).toDecimalString(12) : undefined,
        conversions: row.conversions,
        cost: row.cost.toDecimalString(),
        conversion_cost: row.conversionCost.toDecimalString(),
        risk_bps: row.risk.toDecimalString(12),
        cost_vs_threshold: row.costVsThreshold?.toDecimalString(12),
        beats_threshold: row.beatsThreshold,
      }
    }),
    elapsed_ms: Math.round(report.elapsedMs),
  }
}
