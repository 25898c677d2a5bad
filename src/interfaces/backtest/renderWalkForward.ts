import type { WalkForwardReport } from '../../app/backtest/runPolicyGridWalkForward.js'
import type { Amount, Fraction } from '../../domain/money/index.js'
import { THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import { REQUIRED_SAVING } from '../../engine/backtest/compareWalkForward.js'
import { type RiskAxis, riskOf } from '../../engine/backtest/pickWalkForward.js'
import { formatTable } from '../cli/formatTable.js'

const hourText = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`
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
  const lines = [
    `Walk-forward of ${report.mode}: ${report.position.toDecimalString()} weETH, valued in ${share}.`,
    `Chosen on ${hourText(report.choose.from)} to ${hourText(report.choose.to)} (${report.choose.hours.toLocaleString('en-US')} hours, ${report.gridRuns} runs: each policy at ${report.values.length} values of dust_delta), reported on ${hourText(report.report.from)} to ${hourText(report.report.to)} (${report.report.hours.toLocaleString('en-US')} hours).`,
    `Risk: ${AXIS_TEXT[report.axis]}.`,
    "Cost: all-in, the fees, price impact and gas (claims included) of the half's conversions, plus what selling the dust still held at its end would cost, less what selling the dust held at its start would have cost: no policy looks cheap by leaving its dust for later.",
    `Rule: on the first half, each policy takes its dust_delta of least all-in cost at no more risk than the seed's threshold at dust_delta ${report.dustDelta.toDecimalString(8)} (first half: ${money(report.chooseBaseline.cost)} ${share}, ${riskText(report.chooseBaseline.risk)} bps); * marks a policy with no such run, which takes its least risky one.`,
    '',
    `Second half, against the threshold at dust_delta ${report.dustDelta.toDecimalString(8)} (all-in ${money(report.reportBaseline.cost)} ${share}, of which conversions ${money(report.reportBaseline.conversionCost)}; ${riskText(report.reportBaseline.risk)} bps, ${report.reportBaseline.conversions} conversions):`,
    formatTable(header, rows, new Set(header.slice(1, 7))),
    '',
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
    dust_delta: report.dustDelta.toDecimalString(18),
    risk_axis: report.axis,
    rule: 'lowest all-in cost among runs with risk <= the threshold at dust_delta on the first half; beats = cost <= 70% of the threshold and risk <= the threshold on the second half',
    choose: { ...span(report.choose), grid_runs: report.gridRuns, values: report.values.map((value) => value.toDecimalString(18)), threshold: baseline(report.chooseBaseline) },
    report: { ...span(report.report), threshold: baseline(report.reportBaseline) },
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
