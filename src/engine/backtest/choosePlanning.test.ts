import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN } from '../../../test/fixtureMoney.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import { choosePlanning } from './choosePlanning.js'
import { createDustDetector } from './createDustDetector.js'
import { refreshHoldings } from './refreshHoldings.js'

const ABOVE_THRESHOLD = { ignoreThreshold: false, weighRisk: false }
const EVERYTHING = { ignoreThreshold: true, weighRisk: false }
const WORTH_SELLING = { ignoreThreshold: true, weighRisk: true }

/** What a run of `policy` holding 3 EIGEN asks for, over or under its threshold, at an hour with or without a credit, on a Monday or not. */
function choose(policy: BacktestPolicy, exceeds: boolean, credited: boolean, monday: boolean, holds = true) {
  const replay = fixtureReplay()
  const state = fixtureRun(replay, policy)
  if (holds) claim(state, EIGEN, '3')
  refreshHoldings(replay, state)
  state.exceedsThreshold = exceeds
  return choosePlanning(replay, state, fixtureHour(replay, 0, { credited: credited ? [...state.claimable.values()] : undefined, monday }))
}

describe('choosePlanning', () => {
  it('waits, whatever the policy, while the run holds nothing', () => {
    for (const policy of ['threshold', 'every_receipt', 'weekly', 'cost_aware'] as const) expect(choose(policy, true, true, true, false)).toBeUndefined()
  })

  it('plans the threshold policy only above its dust_delta, with the threshold check', () => {
    expect(choose('threshold', true, false, false)).toEqual(ABOVE_THRESHOLD)
    expect(choose('threshold', false, true, true)).toBeUndefined()
  })

  it('plans everything at each receipt for every_receipt, and on Mondays for weekly', () => {
    expect(choose('every_receipt', false, true, false)).toEqual(EVERYTHING)
    expect(choose('every_receipt', true, false, true)).toBeUndefined()
    expect(choose('weekly', false, false, true)).toEqual(EVERYTHING)
    expect(choose('weekly', true, true, false)).toBeUndefined()
  })

  it('plans the cost-aware policy above its dust_delta as the threshold does, and at a receipt only the sales worth making', () => {
    expect(choose('cost_aware', true, true, false)).toEqual(ABOVE_THRESHOLD)
    expect(choose('cost_aware', false, true, false)).toEqual(WORTH_SELLING)
    expect(choose('cost_aware', false, false, true)).toBeUndefined()
  })

  it("asks the conversion policies (decideConversions) on the facts of the hour, the run's dust_delta as the risk budget", () => {
    // Equity 2,000,000 USDT: the 0.002 budget is 4,000 USDT of EIGEN at 1 USDT; gas is 1 gwei every hour, so at its median: cheap.
    const decide = (policy: BacktestPolicy, eigen: string, gasWindowHours?: number) => {
      const replay = fixtureReplay()
      const run = fixtureRun(replay, policy)
      const state = gasWindowHours === undefined ? run : { ...run, spec: { ...run.spec, parameters: { gasWindowHours } } }
      claim(state, EIGEN, eigen)
      refreshHoldings(replay, state)
      const hour = fixtureHour(replay, 0)
      createDustDetector(replay)(state, hour)
      return choosePlanning(replay, state, hour)?.decision?.orders.map((order) => [order.token, order.amount.toDecimalString(), order.venueKinds?.join('+') ?? 'any'])
    }
    expect(decide('riskiest_first', '5000')).toEqual([['EIGEN', '3000', 'any']])
    expect(decide('riskiest_first', '4000')).toBeUndefined()
    // At the replay's first hour one gas price is known: with the default week-long window that is too few to call gas
    // cheap (MIN_GAS_SAMPLES), so gas_aware holds under its budget; a one-hour window judges it at once.
    expect(decide('gas_aware', '2000')).toBeUndefined()
    expect(decide('gas_aware', '2000', 1)).toEqual([['EIGEN', '2000', 'any']])
    expect(decide('gas_aware', '1999', 1)).toBeUndefined()
    // A claim is 90,000 gas × 1 gwei = 0.00009 ETH = 0.18 USDT: worth it from 36 USDT claimable (50 bps).
    expect(decide('claim_batching', '36')).toEqual([['EIGEN', '36', 'any']])
    expect(decide('claim_batching', '35.99')).toBeUndefined()
    // Over the budget venue_size sells, on a CEX for a sale this size, and on a DEX too only when gas is judged cheap.
    expect(decide('venue_size', '4001')).toEqual([['EIGEN', '4001', 'cex']])
    expect(decide('venue_size', '4001', 1)).toEqual([['EIGEN', '4001', 'cex+dex']])
    expect(decide('venue_size', '4000')).toBeUndefined()
  })
})
