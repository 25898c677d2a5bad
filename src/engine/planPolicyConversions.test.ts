import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI } from '../../test/fixtureMoney.js'
import type { ConversionOrder } from '../domain/policy/ConversionPolicy.js'
import { Amount } from '../domain/money/index.js'
import type { Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { createDustDetector } from './backtest/createDustDetector.js'
import { refreshHoldings } from './backtest/refreshHoldings.js'
import { planPolicyConversions } from './planPolicyConversions.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** 5,000 EIGEN and 100 ETHFI claimable on the fixture's CEX-only market (EIGEN and ETHFI at 1 USDT), planned by these orders. */
async function planOrders(orders: readonly ConversionOrder[]) {
  const replay = fixtureReplay()
  const state = fixtureRun(replay, 'riskiest_first')
  claim(state, EIGEN, '5000')
  claim(state, ETHFI, '100')
  refreshHoldings(replay, state)
  const hour = fixtureHour(replay, 0)
  createDustDetector(replay)(state, hour)
  const strategy: Strategy = {
    policy: state.policy,
    registry: replay.registry,
    natives: replay.natives,
    planning: replay.planning,
    balanceSources: [],
    priceSources: [],
    equitySource: { name: 'none', fetchEquity: () => Promise.reject(new Error('Not asked in this test.')) },
    venues: replay.market.venues(0),
    gasPrices: [{ chain: 'ethereum', fetchGasPrice: async () => replay.market.gasPriceWei(0) }],
    executionMode: 'dry-run',
    monitoringIntervalMs: 300_000,
  }
  const scan = { snapshot: state.detection.snapshot, holdings: state.holdings, priceBook: hour.priceBook }
  const { plan } = await planPolicyConversions({ logger: quiet }, { strategy, scan, decision: { orders, why: 'test' } })
  return {
    sales: plan.instructions.map((instruction) => [instruction.token, instruction.venue, instruction.chosen.amountIn.toDecimalString(), instruction.chosen.residual.toDecimalString()]),
    skipped: plan.skipped.map((skip) => [skip.token, skip.reason, skip.amount?.toDecimalString()]),
  }
}

describe('planPolicyConversions', () => {
  it('plans only the tokens ordered, a partial order capped at its amount, and reports the others as held', async () => {
    expect(await planOrders([{ token: 'EIGEN', amount: Amount.parse(EIGEN, '3000') }])).toEqual({
      sales: [['EIGEN', 'binance', '3000', '2000']],
      skipped: [['ETHFI', 'below_threshold', '100']],
    })
  })

  it('plans an order restricted to venue kinds on those venues only', async () => {
    // The fixture market has a CEX only: an order for a DEX finds no route; one for a CEX sells there.
    const planned = await planOrders([
      { token: 'EIGEN', amount: Amount.parse(EIGEN, '5000'), venueKinds: ['dex'] },
      { token: 'ETHFI', amount: Amount.parse(ETHFI, '100'), venueKinds: ['cex'] },
    ])
    expect(planned).toEqual({ sales: [['ETHFI', 'binance', '100', '0']], skipped: [['EIGEN', 'no_route', '5000']] })
  })
})
