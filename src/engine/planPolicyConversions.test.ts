import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI, USDT } from '../../test/fixtureMoney.js'
import { createStaticAmmVenue } from '../adapters/static/createStaticAmmVenue.js'
import type { DustPolicy } from '../domain/dust/index.js'
import { Amount, Fraction } from '../domain/money/index.js'
import type { ConversionPlan } from '../domain/planning/ConversionPlan.js'
import { type ConversionOrder, type ConversionPolicy, DEFAULT_CONVERSION_POLICY, type HourFacts } from '../domain/policy/ConversionPolicy.js'
import { decideConversions } from '../domain/policy/decideConversions.js'
import type { Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { createDustDetector } from './backtest/createDustDetector.js'
import { refreshHoldings } from './backtest/refreshHoldings.js'
import { planPolicyConversions, planPolicyDecision } from './planPolicyConversions.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** The fixture's CEX-only market (EIGEN and ETHFI at 1 USDT, a 5 USDT minimum) with these whole tokens claimable, and `settings` of dust_tokens. */
function market(eigen: string, ethfi: string, settings: DustPolicy['tokenSettings'] = new Map()) {
  const replay = fixtureReplay()
  const run = fixtureRun(replay, 'riskiest_first')
  const state = { ...run, policy: { ...run.policy, tokenSettings: settings } }
  claim(state, EIGEN, eigen)
  claim(state, ETHFI, ethfi)
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
  return { strategy, scan }
}

/** A plan as its sales (token, venue, amount in, residual) and its skipped tokens (token, reason, amount). */
function summary(plan: ConversionPlan) {
  return {
    sales: plan.instructions.map((instruction) => [instruction.token, instruction.venue, instruction.chosen.amountIn.toDecimalString(), instruction.chosen.residual.toDecimalString()]),
    skipped: plan.skipped.map((skip) => [skip.token, skip.reason, skip.amount?.toDecimalString()]),
  }
}

/** 5,000 EIGEN and 100 ETHFI claimable, planned by these orders. */
async function planOrders(orders: readonly ConversionOrder[], settings?: DustPolicy['tokenSettings']) {
  const { strategy, scan } = market('5000', '100', settings)
  const { plan } = await planPolicyConversions({ logger: quiet }, { strategy, scan, decision: { orders, why: 'test' } })
  return summary(plan)
}

/** A DEX, "uniswap", with one deep pool of `token` against USDT at 1 USDT apiece. */
function uniswapTrading(token: typeof EIGEN) {
  return createStaticAmmVenue({
    name: 'uniswap',
    chain: 'ethereum',
    pools: [{ name: `uniswap_v2:${token.symbol}/USDT`, token0: token, token1: USDT, reserve0: 10n ** 30n, reserve1: 10n ** 18n, feeBps: new Fraction(30n) }],
    gas: { swap: 180_000n, extraHop: 70_000n },
  })
}

describe('planPolicyConversions', () => {
  it('plans only the tokens ordered, a partial order capped at its amount, and reports the others as held', async () => {
    expect(await planOrders([{ token: 'EIGEN', amount: Amount.parse(EIGEN, '3000') }])).toEqual({
      sales: [['EIGEN', 'binance', '3000', '2000']],
      skipped: [['ETHFI', 'below_threshold', '100']],
    })
  })

  it('plans an order restricted to venue kinds on those venues, and on every venue when the strategy has none of those kinds', async () => {
    const { strategy, scan } = market('5000', '100')
    // A DEX besides the fixture's CEX: an order for the DEX is planned there, one for the CEX there.
    const dex = uniswapTrading(EIGEN)
    const orders: ConversionOrder[] = [
      { token: 'EIGEN', amount: Amount.parse(EIGEN, '5000'), venueKinds: ['dex'] },
      { token: 'ETHFI', amount: Amount.parse(ETHFI, '100'), venueKinds: ['cex'] },
    ]
    const both = await planPolicyConversions({ logger: quiet }, { strategy: { ...strategy, venues: [...strategy.venues, dex] }, scan, decision: { orders, why: 'test' } })
    expect(summary(both.plan)).toEqual({
      sales: [
        ['EIGEN', 'uniswap', '5000', '0'],
        ['ETHFI', 'binance', '100', '0'],
      ],
      skipped: [],
    })
    // The fixture alone has a CEX only: the order for a DEX cannot be kept, and the dust is over its budget, so it sells on the CEX.
    expect(await planOrders(orders)).toEqual({
      sales: [
        ['EIGEN', 'binance', '5000', '0'],
        ['ETHFI', 'binance', '100', '0'],
      ],
      skipped: [],
    })
  })

  it('says why a restricted order found no route, naming the restriction', async () => {
    const { strategy, scan } = market('5000', '100')
    // A DEX that trades no EIGEN: the order restricted to it finds no route there.
    const dex = uniswapTrading(ETHFI)
    const { plan } = await planPolicyConversions(
      { logger: quiet },
      { strategy: { ...strategy, venues: [...strategy.venues, dex] }, scan, decision: { orders: [{ token: 'EIGEN', amount: Amount.parse(EIGEN, '5000'), venueKinds: ['dex'] }], why: 'test' } },
    )
    const eigen = plan.skipped.find((skip) => skip.token === 'EIGEN')
    expect(eigen?.reason).toBe('no_route')
    expect(eigen?.detail).toBe('No venue trades a path of at most 2 hops from EIGEN to USDT. (the dust policy sends this sale to dex venues only: uniswap)')
  })

  it('reports a token the policy does not order with its own reason: disabled by convert: false, or unpriced', async () => {
    const settings = new Map([['ETHFI', { convert: false }]])
    expect(await planOrders([{ token: 'EIGEN', amount: Amount.parse(EIGEN, '5000') }], settings)).toEqual({
      sales: [['EIGEN', 'binance', '5000', '0']],
      skipped: [['ETHFI', 'disabled', '100']],
    })
    // A token without a price in the share class is held as unpriced, as the seed's path says, not as held by the policy.
    const { strategy, scan } = market('5000', '100')
    const unpriced = { ...scan, priceBook: scan.priceBook.without('uniswap_v3_close') }
    const { plan } = await planPolicyConversions({ logger: quiet }, { strategy, scan: unpriced, decision: { orders: [], why: 'test' } })
    expect(summary(plan).skipped).toEqual([
      ['EIGEN', 'unpriced', '5000'],
      ['ETHFI', 'unpriced', '100'],
    ])
  })
})

describe('planPolicyDecision', () => {
  /** Equity 2,000,000 USDT, so riskiest_first's 20 bps budget is 4,000 USDT and its target 2,000; the tokens' volatilities scaled by 10^18. */
  function hourFacts(tokens: ReadonlyArray<readonly [typeof EIGEN, string, bigint]>): HourFacts {
    const usdt = (value: string) => Amount.parse(USDT, value)
    const held = tokens.map(([token, value, volatility]) => ({ token, held: Amount.parse(token, value), value: usdt(value), claimableValue: usdt(value), volatility }))
    const dustValue = held.reduce((sum, token) => sum.add(token.value), usdt('0'))
    return { equity: usdt('2000000'), dustValue, exceedsThreshold: false, tokens: held, gasPriceWei: 10n ** 9n, cheapGasWei: undefined, claimCost: undefined }
  }
  const riskiestFirst: ConversionPolicy = { ...DEFAULT_CONVERSION_POLICY, name: 'riskiest_first' }

  it('passes over a token riskiest_first ordered that cannot be sold, and sells the next in rank instead, keeping the reason the planner gave', async () => {
    // ETHFI ranks first (3 USDT at 100 % an hour) but is under the CEX's 5 USDT minimum; EIGEN (5,000 at 0.01 %) must make up for it.
    const { strategy, scan } = market('5000', '3')
    const facts = hourFacts([
      [EIGEN, '5000', 10n ** 14n],
      [ETHFI, '3', 10n ** 18n],
    ])
    const decision = decideConversions(riskiestFirst, facts)
    expect(decision?.orders.map((order) => [order.token, order.amount.toDecimalString()])).toEqual([
      ['ETHFI', '3'],
      ['EIGEN', '3000'],
    ])
    if (!decision) return
    const planned = await planPolicyDecision({ logger: quiet }, { strategy, scan, decision, conversionPolicy: riskiestFirst, facts })
    // 5,003 USDT of dust down to 2,000: all 3,003 from EIGEN, since ETHFI's 3 cannot go.
    expect(summary(planned.plan)).toEqual({ sales: [['EIGEN', 'binance', '3003', '1997']], skipped: [['ETHFI', 'below_venue_minimum', '3']] })
    expect(planned.decision.orders.map((order) => [order.token, order.amount.toDecimalString()])).toEqual([['EIGEN', '3003']])
    // Planned alone, the first decision would have left the dust at 2,003 USDT, over the target.
    const once = await planPolicyConversions({ logger: quiet }, { strategy, scan, decision })
    expect(summary(once.plan).sales).toEqual([['EIGEN', 'binance', '3000', '2000']])
  })

  it('keeps the warning of a venue that failed to quote a token it passed over', async () => {
    // The CEX answers for EIGEN but fails for ETHFI (the riskiest): ETHFI is passed over, and the failure is still said.
    const { strategy, scan } = market('5000', '300')
    const [cex] = strategy.venues
    if (!cex) throw new Error('The fixture has a CEX.')
    const halting = {
      ...cex,
      quoteSync: undefined,
      quote: (path: Parameters<typeof cex.quote>[0], amount: Parameters<typeof cex.quote>[1]) =>
        path[0]?.symbol === 'ETHFI' ? Promise.reject(new Error('ETHFI/USDT is halted')) : cex.quote(path, amount),
    }
    const facts = hourFacts([
      [EIGEN, '5000', 10n ** 14n],
      [ETHFI, '300', 10n ** 18n],
    ])
    const decision = decideConversions(riskiestFirst, facts)
    if (!decision) throw new Error('riskiest_first should convert 5,300 USDT over a 4,000 budget.')
    const planned = await planPolicyDecision({ logger: quiet }, { strategy: { ...strategy, venues: [halting] }, scan, decision, conversionPolicy: riskiestFirst, facts })
    expect(summary(planned.plan)).toEqual({ sales: [['EIGEN', 'binance', '3300', '1700']], skipped: [['ETHFI', 'venue_unavailable', '300']] })
    expect(planned.warnings.map((warning) => [warning.code, warning.token, warning.message])).toEqual([['venue_failed', 'ETHFI', 'Venue binance could not quote ETHFI: ETHFI/USDT is halted']])
  })

  it('plans the decision as it is for a policy that orders whole holdings, even when one cannot be sold', async () => {
    const { strategy, scan } = market('5000', '3')
    const facts = hourFacts([
      [EIGEN, '5000', 10n ** 14n],
      [ETHFI, '3', 10n ** 18n],
    ])
    const gasAware: ConversionPolicy = { ...DEFAULT_CONVERSION_POLICY, name: 'gas_aware' }
    const decision = decideConversions(gasAware, facts)
    if (!decision) throw new Error('gas_aware should convert 5,003 USDT over a 4,000 budget.')
    const planned = await planPolicyDecision({ logger: quiet }, { strategy, scan, decision, conversionPolicy: gasAware, facts })
    expect(planned.decision).toBe(decision)
    expect(summary(planned.plan)).toEqual({ sales: [['EIGEN', 'binance', '5000', '0']], skipped: [['ETHFI', 'below_venue_minimum', '3']] })
  })
})
