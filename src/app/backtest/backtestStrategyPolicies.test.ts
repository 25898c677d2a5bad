import { beforeAll, describe, expect, it } from 'vitest'
import { resolveDataDir } from './resolveDataDir.js'
import { loadConfig } from '../../app/loadConfig.js'
import type { LoadedConfig } from '../../config/index.js'
import { Fraction } from '../../domain/money/index.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import { type BacktestReport, backtestStrategy } from './backtestStrategy.js'

const dataDir = resolveDataDir({})
const decimal = Fraction.fromDecimalString
/** Two weeks of the real history, 2025-03-01 to 2025-03-14: two weekly EIGEN receipts (the 2nd and the 9th, at 00:00 UTC). */
const WINDOW = { from: Date.UTC(2025, 2, 1), to: Date.UTC(2025, 2, 14, 23) }
const POLICIES = ['threshold', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'] as const

let usdt: LoadedConfig
let report: BacktestReport

beforeAll(async () => {
  usdt = await loadConfig({ file: 'configs/modes/usdt_eth_staking_hedged_simple.yaml', env: {} })
  // dust_delta 0.002 (the configuration's) and 0.0002: about 200 EIGEN a week is some 1 bp of a 1,000 weETH position.
  report = await backtestStrategy({ loaded: usdt, position: decimal('1000'), dataDir, ...WINDOW, sweep: [decimal('0.0002')], policies: POLICIES })
}, 60_000)

/** A run's conversions as hour, token, venue, amount sold and cost in USDT. */
const conversions = (run: BacktestRunResult | undefined) =>
  run?.conversions.map((conversion) => [new Date(conversion.at).toISOString().slice(0, 13), conversion.token, conversion.venue, conversion.amount.toDecimalString(), conversion.cost.toDecimalString()])

const runOf = (result: BacktestReport, policy: string, delta: string) => result.runs.find((run) => run.policy === policy && run.dustDelta.equals(decimal(delta)))

describe('backtestStrategy with the conversion policies on two weeks of the real history', () => {
  it('replays 336 hours for each policy at both budgets; at 20 bps none but claim_batching converts two weeks of rewards', () => {
    expect(report.hours).toBe(336)
    expect(report.runs.map((run) => `${run.policy} ${run.dustDelta.toSignificant(2)}`)).toEqual(POLICIES.flatMap((policy) => [`${policy} 0.002`, `${policy} 0.0002`]))
    for (const policy of ['threshold', 'gas_aware', 'venue_size', 'riskiest_first']) expect(conversions(runOf(report, policy, '0.002'))).toEqual([])
    // Each weekly claim's gas is under 50 bps of the EIGEN claimed: claim_batching claims and sells both, whatever the budget.
    expect(conversions(runOf(report, 'claim_batching', '0.002'))).toEqual(conversions(runOf(report, 'claim_batching', '0.0002')))
  })

  it('converts plausibly at a 2 bps budget: the threshold once both receipts exceed it, the others by their own rules', () => {
    // The threshold sells both weeks' EIGEN on the CEX when the second receipt lifts the dust over 2 bps.
    expect(conversions(runOf(report, 'threshold', '0.0002'))).toEqual([['2025-03-09T00', 'EIGEN', 'binance', '406.62', '0.994736']])
    // Gas-aware sells each receipt in the first hour its gas is at or under the week's median, the dust being past half the budget.
    expect(conversions(runOf(report, 'gas_aware', '0.0002'))).toEqual([
      ['2025-03-02T01', 'EIGEN', 'binance', '202.72', '0.743256'],
      ['2025-03-09T00', 'EIGEN', 'binance', '203.9', '0.599372'],
    ])
    // Claim batching sells each receipt in its hour: the claim is worth its gas.
    expect(conversions(runOf(report, 'claim_batching', '0.0002'))).toEqual([
      ['2025-03-02T00', 'EIGEN', 'binance', '202.72', '0.944178'],
      ['2025-03-09T00', 'EIGEN', 'binance', '203.9', '0.599372'],
    ])
    // With the default cex_min_value of 1 USDT every sale may go to the CEX, as the threshold's does.
    expect(conversions(runOf(report, 'venue_size', '0.0002'))).toEqual(conversions(runOf(report, 'threshold', '0.0002')))
    // Riskiest-first sells only what brings the dust down to half the budget: 226.53 of 406.62 EIGEN, for less cost.
    expect(conversions(runOf(report, 'riskiest_first', '0.0002'))).toEqual([['2025-03-09T00', 'EIGEN', 'binance', '226.53', '0.643506']])
  })

  it('sends venue_size sales under cex_min_value to the DEX when gas is cheap', async () => {
    const config = {
      ...usdt.config,
      dust_policy: {
        name: 'venue_size' as const,
        gas_percentile: 50,
        gas_window_hours: 168,
        volatility_hours: 720,
        cheap_share: '0.5',
        claim_cost_max_bps: 50,
        cex_min_value: '1000',
        target_share: '0.5',
      },
    }
    const sized = await backtestStrategy({ loaded: { ...usdt, config }, position: decimal('1000'), dataDir, ...WINDOW, sweep: [decimal('0.0002')], policies: ['venue_size'] })
    // About 450 USDT of EIGEN, under 1,000: Uniswap, at about four times the CEX's cost on this pool.
    expect(conversions(runOf(sized, 'venue_size', '0.0002'))).toEqual([['2025-03-09T00', 'EIGEN', 'uniswap', '406.6237693989459747', '3.946217']])
  })
})
