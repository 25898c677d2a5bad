import { describe, expect, it } from 'vitest'
import type { WalkForwardReport } from '../../app/backtest/runPolicyGridWalkForward.js'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import type { BacktestPolicy } from '../../engine/backtest/BacktestPolicy.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import type { WalkForwardRow } from '../../engine/backtest/compareWalkForward.js'
import { renderWalkForward, serializeWalkForward } from './renderWalkForward.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6 })
const usdt = (text: string) => Amount.parse(USDT, text)
const decimal = Fraction.fromDecimalString
const HOUR = 3_600_000
const FROM = Date.UTC(2025, 0, 1)

/** A first-half run with what the report reads of it: its all-in cost and its ex-ante risk. */
function firstHalf(policy: BacktestPolicy, delta: string, allIn: string, riskBps: string): BacktestRunResult {
  const zero = Amount.zero(USDT)
  return {
    policy,
    dustDelta: decimal(delta),
    conversions: [],
    convertedValue: zero,
    totalCost: zero,
    meanDustRatio: Fraction.ZERO,
    maxDustRatio: Fraction.ZERO,
    maxDustRatioAt: FROM,
    proceeds: zero,
    remainingDustValue: zero,
    result: zero,
    skipped: {},
    conversionCost: zero,
    openingLiquidationCost: zero,
    liquidationCost: usdt(allIn),
    allInCost: usdt(allIn),
    timeWeightedDustBps: Fraction.ZERO,
    exAnteRisk: zero,
    exAnteRiskBps: decimal(riskBps),
    realisedPnl: zero,
  }
}

function row(
  policy: BacktestPolicy,
  delta: string,
  conversions: number,
  conversionCost: string,
  allIn: string,
  riskBps: string,
  vs: string | undefined,
  beats: boolean,
  withinBudget = true,
): WalkForwardRow {
  return {
    policy,
    dustDelta: decimal(delta),
    withinBudget,
    cost: usdt(allIn),
    conversionCost: usdt(conversionCost),
    risk: decimal(riskBps),
    conversions,
    costVsThreshold: vs === undefined ? undefined : decimal(vs),
    beatsThreshold: beats,
  }
}

function report(rows: readonly WalkForwardRow[], changes: Partial<WalkForwardReport> = {}): WalkForwardReport {
  return {
    mode: 'usdt_test',
    shareClass: USDT,
    position: Amount.parse(createCurrency({ symbol: 'weETH', decimals: 18 }), '1000'),
    dustDelta: decimal('0.002'),
    choose: { from: FROM, to: FROM + 335 * HOUR, hours: 336 },
    report: { from: FROM + 336 * HOUR, to: FROM + 671 * HOUR, hours: 336 },
    asked: { from: undefined, to: undefined },
    axis: 'ex_ante_risk_bps',
    values: [decimal('0.001'), decimal('0.002'), decimal('0.003')],
    candidates: [decimal('0.001'), decimal('0.002'), decimal('0.003')],
    gridRuns: 7,
    chooseBaseline: { cost: usdt('31.25'), conversionCost: usdt('30.47'), risk: decimal('746.701'), conversions: 4 },
    reportBaseline: { cost: usdt('9.56'), conversionCost: usdt('0'), risk: decimal('604.69'), conversions: 0 },
    baselineNegligible: false,
    negligibleBelow: usdt('1'),
    picks: [
      { policy: 'threshold', run: firstHalf('threshold', '0.002', '31.25', '746.701'), withinBudget: true },
      { policy: 'gas_aware', run: firstHalf('gas_aware', '0.003', '20', '700'), withinBudget: true },
      { policy: 'weekly', run: firstHalf('weekly', '0.002', '13.5', '800'), withinBudget: false },
    ],
    rows,
    elapsedMs: 1234.4,
    ...changes,
  }
}

describe('renderWalkForward', () => {
  it('prints the halves, the all-in rule and a row per policy, its cost beside the conversions’ own, risk rounded up', () => {
    const text = renderWalkForward(
      report([
        row('threshold', '0.002', 0, '0', '9.56', '604.69', '0', false),
        row('gas_aware', '0.003', 2, '5.5', '6.5', '480.291', '-0.32', true),
        row('weekly', '0.002', 17, '13.53', '13.51', '5.64', '0.413', false, false),
      ]),
    )
    expect(text).toContain(
      "Chosen on 2025-01-01 00:00 UTC to 2025-01-14 23:00 UTC (336 hours, 7 runs: each policy that reads dust_delta at 3 values of it, the configuration's 0.002 among them, the others once), reported on 2025-01-15 00:00 UTC to 2025-01-28 23:00 UTC (336 hours).",
    )
    expect(text).toContain('Cost: all-in, the fees, price impact and gas (claims included) of the half')
    expect(text).toContain('(first half: 31.25 USDT, 746.71 bps), a tie going to the lower risk, then to dust_delta 0.002, then to the smaller value;')
    expect(text).toContain('Second half, against the threshold at dust_delta 0.002 (all-in 9.56 USDT, of which conversions 0.00; 604.69 bps, 0 conversions):')
    const table = text.split('\n').filter((line) => /^(policy|threshold|gas_aware|weekly)/.test(line))
    expect(table).toEqual([
      'policy     dust_delta  conversions  conversion cost USDT  all-in cost USDT  risk bps  all-in vs threshold  beats by ≥30%',
      'threshold       0.002            0                  0.00              9.56    604.69                 0.0%  no',
      'gas_aware       0.003            2                  5.50              6.50    480.30               -32.0%  yes',
      'weekly*             -           17                 13.53             13.51      5.64               +41.3%  no',
    ])
    expect(text.endsWith('Beating the threshold by at least 30% at equal or lower risk: gas_aware.')).toBe(true)
  })

  it('says when the window asked reaches past the history, in the text and the JSON, and says nothing when it does not', () => {
    expect(renderWalkForward(report([]))).not.toContain('The window asked')
    expect(serializeWalkForward(report([])).asked).toEqual({ from: null, to: null })
    const wide = report([], { asked: { from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 28, 23) } })
    const lines = renderWalkForward(wide).split('\n')
    expect(lines[2]).toBe(
      'The window asked begins at 2024-01-01 00:00 UTC, before the first hour from it at which every series of the history has a row, so the replay begins at 2025-01-01 00:00 UTC.',
    )
    expect(lines[3]?.startsWith('Risk: ')).toBe(true)
    expect(serializeWalkForward(wide).asked).toEqual({ from: '2024-01-01T00:00:00.000Z', to: '2025-01-28T23:00:00.000Z' })
  })

  it('says plainly when no policy beats the threshold, and shows no percentage against a baseline that cost nothing or less', () => {
    const text = renderWalkForward(report([row('threshold', '0.002', 0, '0', '-0.05', '604.71', undefined, false), row('gas_aware', '0.003', 0, '0', '0.1', '745.86', undefined, false)]))
    expect(text).toContain('gas_aware       0.003            0                  0.00              0.10    745.86                    -  no')
    expect(text).toContain('threshold       0.002            0                  0.00             -0.05    604.71                    -  no')
    expect(text.endsWith('No policy costs 30% less than the threshold at equal or lower risk on the second half.')).toBe(true)
  })

  it('serializes the same figures as decimal strings, with each choice’s first-half all-in cost', () => {
    const json = serializeWalkForward(report([row('threshold', '0.002', 0, '0', '9.56', '604.69', '0', false), row('gas_aware', '0.003', 2, '5.5', '6.5', '480.291', '-0.32', true)]))
    expect(json.choose).toMatchObject({
      hours: 336,
      grid_runs: 7,
      values: ['0.001', '0.002', '0.003'],
      candidates: ['0.001', '0.002', '0.003'],
      threshold: { cost: '31.25', conversion_cost: '30.47', risk_bps: '746.701', conversions: 4 },
    })
    expect(json.report.threshold).toEqual({ cost: '9.56', conversion_cost: '0', risk_bps: '604.69', conversions: 0 })
    expect(json.report.baseline_negligible).toBe(false)
    expect(json.policies[1]).toEqual({
      policy: 'gas_aware',
      dust_delta: '0.003',
      within_budget: true,
      reads_dust_delta: true,
      choose_cost: '20',
      choose_risk_bps: '700',
      conversions: 2,
      cost: '6.5',
      conversion_cost: '5.5',
      risk_bps: '480.291',
      cost_vs_threshold: '-0.32',
      beats_threshold: true,
    })
    expect(json.elapsed_ms).toBe(1234)
  })
  it('counts the configuration’s dust_delta among the candidates when the grid lacks it, and says 1 hour, 1 run, 1 conversion in the singular', () => {
    const hour = (at: number) => ({ from: at, to: at, hours: 1 })
    const text = renderWalkForward(
      report([row('threshold', '0.002', 0, '0', '9.56', '604.69', '0', false)], {
        choose: hour(FROM),
        report: hour(FROM + HOUR),
        values: [decimal('0.0005')],
        candidates: [decimal('0.0005'), decimal('0.002')],
        gridRuns: 1,
        reportBaseline: { cost: usdt('9.56'), conversionCost: usdt('1'), risk: decimal('604.69'), conversions: 1 },
      }),
    )
    expect(text).toContain(
      "(1 hour, 1 run: each policy that reads dust_delta at 2 values of it, the grid's 1 and the configuration's 0.002, the others once), reported on 2025-01-01 01:00 UTC to 2025-01-01 01:00 UTC (1 hour).",
    )
    expect(text).toContain('604.69 bps, 1 conversion):')
    const json = serializeWalkForward(report([], { values: [decimal('0.0005')], candidates: [decimal('0.0005'), decimal('0.002')] }))
    expect([json.choose.values, json.choose.candidates]).toEqual([['0.0005'], ['0.0005', '0.002']])
  })

  it('says in one line when the threshold cost under 1 USDT, keeping the verdicts, and says so in the JSON', () => {
    const rows = [row('threshold', '0.002', 0, '0', '0.01', '5', '0', false), row('cost_aware', '0.002', 3, '1', '-0.89', '4', '-89', true)]
    const cheap = report(rows, { reportBaseline: { cost: usdt('0.01'), conversionCost: usdt('0'), risk: decimal('5'), conversions: 0 }, baselineNegligible: true })
    const text = renderWalkForward(cheap)
    expect(text).toContain('cost_aware       0.002            3                  1.00             -0.89      4.00             -8900.0%  yes')
    expect(text).toContain(
      "\n\nThe threshold's all-in cost here is 0.01 USDT, under one USDT: a percentage of it says little.\nBeating the threshold by at least 30% at equal or lower risk: cost_aware.",
    )
    expect(serializeWalkForward(cheap).report).toMatchObject({ baseline_negligible: true, negligible_below: '1' })
    // An ETH share class names what one USDT was worth in ETH.
    const eth = createCurrency({ symbol: 'ETH', decimals: 18 })
    const inEth = (text: string) => Amount.parse(eth, text)
    const ethBaseline = { cost: inEth('0.000325430445183510'), conversionCost: inEth('0'), risk: decimal('5'), conversions: 0 }
    const ethCheap = report([], { shareClass: eth, reportBaseline: ethBaseline, baselineNegligible: true, negligibleBelow: inEth('0.000526315789473684') })
    expect(renderWalkForward(ethCheap)).toContain(
      "The threshold's all-in cost here is 0.000325 ETH, under one USDT (0.000526315789473684 ETH at the last hour's price): a percentage of it says little.",
    )
    const none = report([row('threshold', '0.002', 0, '0', '-0.05', '5', undefined, false)], {
      reportBaseline: { cost: usdt('-0.05'), conversionCost: usdt('0'), risk: decimal('5'), conversions: 0 },
      baselineNegligible: true,
    })
    expect(renderWalkForward(none)).toContain("The threshold's all-in cost here is -0.05 USDT, not above zero: no percentage of it is shown, and no policy can beat it.")
    expect(renderWalkForward(report(rows))).not.toContain('says little')
  })
})
