import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI } from '../../test/fixtureMoney.js'
import { type ConversionDecision, type ConversionPolicy, type ConversionPolicyName, DEFAULT_CONVERSION_POLICY } from '../domain/policy/ConversionPolicy.js'
import { decideConversions } from '../domain/policy/decideConversions.js'
import type { Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import type { BacktestReplay, ReplayHour } from './backtest/BacktestReplay.js'
import type { RunState } from './backtest/RunState.js'
import { choosePlanning } from './backtest/choosePlanning.js'
import { collectRunFacts } from './backtest/collectRunFacts.js'
import { createDustDetector } from './backtest/createDustDetector.js'
import { planRunConversions } from './backtest/planRunConversions.js'
import { refreshHoldings } from './backtest/refreshHoldings.js'
import { createPolicyPlanner } from './createPolicyPlanner.js'
import { scanStrategy } from './scanStrategy.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** EIGEN/WETH closes (EIGEN at 1, 1.2, 0.8, 1, 1.1, 1 USDT) and gas prices in gwei, hour by hour. */
const EIGEN_WETH = ['0.0005', '0.0006', '0.0004', '0.0005', '0.00055', '0.0005']
const GAS_GWEI = [30n, 10n, 50n, 20n, 5n, 40n]
/** EIGEN and ETHFI claimable at each hour, in whole tokens: the dust grows past the 4,000 USDT budget. */
const CLAIMED = [
  ['1000', '100'],
  ['1900', '200'],
  ['2500', '2000'],
  ['3300', '2000'],
  ['3500', '2200'],
  ['5000', '3000'],
]

/** The fixture replay (USDT share class, equity 2,000,000 USDT, dust_delta 0.002) with these gas prices. */
function replayWithGas(): BacktestReplay {
  const replay = fixtureReplay(EIGEN_WETH)
  return { ...replay, market: { ...replay.market, gasPriceWei: (index) => (GAS_GWEI[index] ?? 0n) * 10n ** 9n } }
}

/** The live strategy the monitor would run at this hour: the run's holdings as claimable rewards, the hour's prices, equity, venues and gas. */
function liveStrategy(replay: BacktestReplay, state: RunState, hour: ReplayHour, conversionPolicy: ConversionPolicy): Strategy {
  const { market } = replay
  return {
    policy: state.policy,
    conversionPolicy,
    registry: replay.registry,
    natives: replay.natives,
    planning: replay.planning,
    balanceSources: [{ name: 'etherfi', source: 'claimable_rewards', fetchHoldings: async () => [...state.holdings] }],
    priceSources: [{ name: 'history', fetchPrices: async () => [...hour.priceBook.prices] }],
    equitySource: { name: 'position', fetchEquity: async () => ({ equity: market.equity(hour.index), unpriced: [] }) },
    venues: market.venues(hour.index),
    gasPrices: [{ chain: 'ethereum', fetchGasPrice: async () => market.gasPriceWei(hour.index) }],
    executionMode: 'dry-run',
    monitoringIntervalMs: 300_000,
  }
}

/** A decision as token, amount and venue kinds. */
const shape = (decision: ConversionDecision | undefined) => decision?.orders.map((order) => [order.token, order.amount.toDecimalString(), order.venueKinds?.join('+') ?? 'any'])

/** The planned sales as token, venue, amount in and net output. */
const sales = (instructions: readonly { token: string; venue: string; chosen: { amountIn: unknown; netOutput: unknown } }[]) =>
  instructions.map((instruction) => [instruction.token, instruction.venue, String(instruction.chosen.amountIn), String(instruction.chosen.netOutput)])

describe('createPolicyPlanner', () => {
  it('decides and plans as the backtest does on the same hours, for every conversion policy', async () => {
    const policies: ConversionPolicyName[] = ['threshold', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first']
    const converting: Record<string, Array<[number, ...unknown[]]>> = {}
    let planned = 0
    for (const name of policies) {
      const replay = replayWithGas()
      const state = fixtureRun(replay, name)
      const detect = createDustDetector(replay)
      // The backtest's parameters for this run: its dust_delta as budget, a 3-hour gas window, the fixture's 2-hour volatility, a 1,000 USDT CEX minimum.
      const conversionPolicy: ConversionPolicy = {
        ...DEFAULT_CONVERSION_POLICY,
        name,
        riskBudget: state.spec.dustDelta,
        gasWindowHours: 3,
        volatilityHours: 2,
        cexMinValue: DEFAULT_CONVERSION_POLICY.cexMinValue.multiply(1000n),
      }
      const run: RunState = { ...state, spec: { ...state.spec, parameters: { gasWindowHours: 3, cexMinValue: conversionPolicy.cexMinValue } } }
      const planner = createPolicyPlanner({ logger: quiet })
      converting[name] = []
      for (const [index, [eigen, ethfi]] of CLAIMED.entries()) {
        claim(run, EIGEN, eigen ?? '0')
        claim(run, ETHFI, ethfi ?? '0')
        refreshHoldings(replay, run)
        const hour = fixtureHour(replay, index)
        const previouslyExceeded = run.exceedsThreshold
        detect(run, hour)
        const request = choosePlanning(replay, run, hour)

        const strategy = liveStrategy(replay, run, hour, conversionPolicy)
        const scan = await scanStrategy({ clock: { now: () => hour.at, sleep: async () => {} }, logger: quiet }, { strategy, previouslyExceeded })
        const live = await planner.plan(strategy, scan, new Set())

        expect(scan.snapshot.exceedsThreshold).toBe(run.exceedsThreshold)
        if (name === 'threshold') {
          // The seed's rule keeps the monitor's own path: the planner stands aside, and the shared decision agrees with both.
          expect(live).toBeUndefined()
          const decision = decideConversions(conversionPolicy, collectRunFacts(replay, run, hour, conversionPolicy))
          expect(decision !== undefined).toBe(request !== undefined)
          expect(scan.snapshot.exceedsThreshold).toBe(request !== undefined)
          if (request) converting[name].push([index])
          continue
        }
        expect(live?.facts).toEqual(collectRunFacts(replay, run, hour, conversionPolicy))
        expect(shape(live?.decision)).toEqual(shape(request?.decision))
        expect(live?.decided).toBe(request !== undefined)
        if (!request) continue
        converting[name].push([index, ...(shape(request.decision) ?? [])])
        // The same decision, planned by the same code on the same venues: the same sales.
        const instructions = await planRunConversions(replay, run, hour, request)
        expect(sales(live?.plan.instructions ?? [])).toEqual(sales(instructions))
        planned += instructions.length
      }
    }
    // Sales were planned and compared, not only decisions: every order of the hours below found a route on the fixture's CEX
    // (gas_aware 6, claim_batching 9, venue_size 6, riskiest_first 5).
    expect(planned).toBe(26)
    // Each policy converts at some hours and holds at others, so the comparison is not empty. The budget is 4,000 USDT; the
    // dust is 1,100, 2,480, 4,000 (not over), 5,300, 6,050 and 8,000 USDT; the 3-hour gas median is 30, 20, 20, 20 gwei from
    // hour 2, the first with three hourly prices (MIN_GAS_SAMPLES: with fewer, gas is not judged cheap).
    const all = (eigen: string, ethfi: string, kinds = 'any') => [
      ['EIGEN', eigen, kinds],
      ['ETHFI', ethfi, kinds],
    ]
    expect(converting).toEqual({
      threshold: [[3], [4], [5]],
      // At hour 1 gas (10 gwei) would be at its 2-hour median, but two prices are too few to judge; dear gas at hour 2.
      gas_aware: [
        [3, ...all('3300', '2000')],
        [4, ...all('3500', '2200')],
        [5, ...all('5000', '3000')],
      ],
      // A claim of 90,000 gas is 5.4, 1.8 then 9 USDT: worth it (50 bps) from 1,080, 360 then 1,800 USDT claimable.
      claim_batching: [
        [1, ['EIGEN', '1900', 'any']],
        [2, ...all('2500', '2000')],
        [3, ...all('3300', '2000')],
        [4, ...all('3500', '2200')],
        [5, ...all('5000', '3000')],
      ],
      // Every sale is over the 1,000 USDT CEX minimum; gas is cheap at hours 3 and 4 and dear at hour 5.
      venue_size: [
        [3, ...all('3300', '2000', 'cex+dex')],
        [4, ...all('3500', '2200', 'cex+dex')],
        [5, ...all('5000', '3000', 'cex')],
      ],
      // Volatile EIGEN first, then as much of flat ETHFI as brings the dust down to 2,000 USDT.
      riskiest_first: [
        [3, ['EIGEN', '3300', 'any']],
        [4, ['EIGEN', '3500', 'any'], ['ETHFI', '200', 'any']],
        [5, ['EIGEN', '5000', 'any'], ['ETHFI', '1000', 'any']],
      ],
    })
  })

  it('judges gas over the hours of its window, not its last samples, and starts the volatility afresh after a missed hour', async () => {
    const replay = replayWithGas()
    const run = fixtureRun(replay, 'gas_aware')
    claim(run, EIGEN, '1000')
    claim(run, ETHFI, '100')
    refreshHoldings(replay, run)
    const conversionPolicy: ConversionPolicy = { ...DEFAULT_CONVERSION_POLICY, name: 'gas_aware', riskBudget: run.spec.dustDelta, gasWindowHours: 24, volatilityHours: 4 }
    const planner = createPolicyPlanner({ logger: quiet })
    let gasWei = 100n
    /** One cycle at `hour` hours after the fixture's first, with the prices of the fixture's hour `prices`. */
    const cycleAt = async (hour: number, prices: number) => {
      const at = fixtureHour(replay, prices)
      const strategy = { ...liveStrategy(replay, run, at, conversionPolicy), gasPrices: [{ chain: 'ethereum', fetchGasPrice: async () => gasWei }] }
      const now = fixtureHour(replay, 0).at + hour * 3_600_000
      const scan = await scanStrategy({ clock: { now: () => now, sleep: async () => {} }, logger: quiet }, { strategy })
      return (await planner.plan(strategy, scan, new Set()))?.facts
    }
    // 23 hours of 100 wei, then two months without a cycle, then 90 wei: one price in the last 24 hours, too few to judge.
    for (let hour = 0; hour < 23; hour += 1) await cycleAt(hour, 0)
    gasWei = 90n
    const afterOutage = await cycleAt(23 + 60 * 24, 0)
    expect(afterOutage?.gasPriceWei).toBe(90n)
    expect(afterOutage?.cheapGasWei).toBeUndefined()
    // A day of cycles later the window is full again, of this day's prices only.
    for (let hour = 1; hour < 24; hour += 1) await cycleAt(23 + 60 * 24 + hour, 0)
    gasWei = 95n
    const dayLater = await cycleAt(23 + 61 * 24, 0)
    expect(dayLater?.cheapGasWei).toBe(90n)

    // Volatility: EIGEN at 1, 1.2, 0.8 USDT in three hours in a row has one; one hour missed, it starts again from 0.
    const volatility = (facts: Awaited<ReturnType<typeof cycleAt>>) => facts?.tokens.find((token) => token.token.symbol === 'EIGEN')?.volatility
    const start = 24 * 100
    await cycleAt(start, 0)
    await cycleAt(start + 1, 1)
    expect(volatility(await cycleAt(start + 2, 2))).toBeGreaterThan(0n)
    expect(volatility(await cycleAt(start + 4, 3))).toBe(0n)
    expect(volatility(await cycleAt(start + 5, 4))).toBe(0n)
    expect(volatility(await cycleAt(start + 6, 5))).toBeGreaterThan(0n)
  })

  it('says, as a warning of the plan, that the gas price failed and the policy decided on its budget alone', async () => {
    const replay = replayWithGas()
    const run = fixtureRun(replay, 'gas_aware')
    claim(run, EIGEN, '1000')
    refreshHoldings(replay, run)
    const hour = fixtureHour(replay, 0)
    const conversionPolicy: ConversionPolicy = { ...DEFAULT_CONVERSION_POLICY, name: 'gas_aware', riskBudget: run.spec.dustDelta }
    const strategy = {
      ...liveStrategy(replay, run, hour, conversionPolicy),
      gasPrices: [{ chain: 'ethereum', fetchGasPrice: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) }],
    }
    const scan = await scanStrategy({ clock: { now: () => hour.at, sleep: async () => {} }, logger: quiet }, { strategy })
    const planned = await createPolicyPlanner({ logger: quiet }).plan(strategy, scan, new Set())
    expect(planned?.decided).toBe(false)
    expect(planned?.facts?.gasPriceWei).toBeUndefined()
    expect(planned?.warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'test',
        timestamp: hour.at,
        code: 'source_failed',
        message: 'Gas price of ethereum failed for the dust policy, which decides on its budget alone this cycle: connect ECONNREFUSED 127.0.0.1:9',
      },
    ])
  })
})
