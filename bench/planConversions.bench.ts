/**
 * Benchmark: plan 1,000 strategies × 10 dust tokens, each token quoted on a CEX (order book,
 * direct market) and a DEX (constant-product pools, one and two hops), with today's planner
 * and with the frozen reference planner of `test/reference/` on the same scans.
 *
 * Run with `npm run bench`. Each round plans every strategy with both planners (which goes
 * first alternates), each on a fresh scan of its own, times each planner alone, and checks
 * that the two plans are the same, deep-equal, value for value; any difference prints the
 * first one and exits 1. Times are a measurement, not a test: nothing here passes or fails on
 * time.
 *
 * Then it times the least any planner of this plan must do for one token: quote its two routes
 * (the venues' own `quoteSync`) and price them (`evaluateRoute`), alone: once for one token in a
 * warm tight loop, once for every token of every strategy in turn; both against what a tenth of
 * the reference's time leaves per token.
 */
import { performance } from 'node:perf_hooks'
import { isDeepStrictEqual } from 'node:util'
import { createStrategy } from '../src/app/createStrategy.js'
import { loadVenueBuilders } from '../src/app/venues/loadVenueBuilders.js'
import { strategyConfigSchema } from '../src/config/schema.js'
import { type Currency, Fraction, type PriceBook } from '../src/domain/money/index.js'
import { type PlanConversionsReturnType, planConversions } from '../src/engine/planConversions.js'
import type { Strategy } from '../src/engine/Strategy.js'
import { type ScanStrategyReturnType, scanStrategy } from '../src/engine/scanStrategy.js'
import { evaluateRoute } from '../src/domain/planning/evaluateRoute.js'
import type { Clock, ConversionVenue, Logger } from '../src/ports/index.js'
import type { ConversionGroup } from '../src/domain/planning/ConversionGroup.js'
import type { DustConversionInstruction, RouteCandidate } from '../src/domain/planning/ConversionPlan.js'
import { planConversions as planConversionsReference } from '../test/reference/planConversions.js'

const STRATEGIES = Number(process.env.BENCH_STRATEGIES ?? 1000)
const TOKENS = Number(process.env.BENCH_TOKENS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

const clock: Clock = { now: () => 1_700_000_000_000, sleep: async () => {} }
const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function strategyConfig(index: number) {
  const rewards = Array.from({ length: TOKENS }, (_, token) => `RWD${token}`)
  const markets: Record<string, unknown> = { 'ETH/USDT': { min_notional: '5', amount_step: '0.0001', bids: [['2499.5', '100']], asks: [['2500.5', '100']] } }
  for (const [token, symbol] of rewards.entries()) {
    // Token t trades at (10 + t) / 10 USDT; levels a few bps apart, written exactly.
    const price = new Fraction(BigInt(10 + token), 10n)
    const at = (bps: number) => price.multiply(new Fraction(BigInt(10_000 + bps), 10_000n)).toDecimalString(6)
    markets[`${symbol}/USDT`] = {
      min_notional: '5',
      amount_step: '0.01',
      bids: [
        [at(-10), '2000'],
        [at(-50), '20000'],
        [at(-100), '200000'],
      ],
      asks: [[at(10), '2000']],
    }
  }
  return strategyConfigSchema.parse({
    mode: `bench_${index}`,
    share_class: 'USDT',
    asset: 'ETH',
    lst_type: 'weeth',
    dust_delta: '0.002',
    dust_conversion_venue: 'binance',
    tokens: [
      { symbol: 'USDT', decimals: 6, address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
      { symbol: 'ETH', decimals: 18 },
      { symbol: 'WETH', decimals: 18, address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' },
      ...rewards.map((symbol, token) => ({ symbol, decimals: 18, address: `0x${(token + 1).toString(16).padStart(40, '0')}` })),
    ],
    venues: {
      etherfi: { type: 'static', source: 'claimable_rewards', balances: Object.fromEntries(rewards.map((s, t) => [s, `${100 + t * 10 + index}`])) },
      wallet: { type: 'static', source: 'wallet_balance', balances: Object.fromEntries(rewards.map((s, t) => [s, `${50 + t}`])) },
      binance: { type: 'static_cex', markets },
      uniswap: {
        type: 'static_amm',
        pools: [
          { tokens: ['WETH', 'USDT'], reserves: ['2000', '5000000'] },
          ...rewards.map((symbol, token) => ({ tokens: [symbol, 'WETH'], reserves: ['400000', new Fraction(BigInt(400_000 * (10 + token)), 25_000n).toDecimalString(6)] })),
        ],
      },
    },
    prices: [{ type: 'static', quote: 'USDT', prices: { ETH: '2500', ...Object.fromEntries(rewards.map((s, t) => [s, new Fraction(BigInt(10 + t), 10n).toDecimalString(2)])) } }],
    equity: { type: 'static', value: '100000' },
    gas_price: { ethereum: { type: 'static', gwei: '2.5' } },
  })
}

const built = performance.now()
const venueBuilders = await loadVenueBuilders()
const strategies = Array.from({ length: STRATEGIES }, (_, index) => createStrategy({ config: strategyConfig(index), clock, venueBuilders }))
const buildMs = performance.now() - built

type Planner = typeof planConversions
const planners: ReadonlyArray<readonly [string, Planner]> = [
  ['reference', planConversionsReference],
  ['fast', planConversions],
]

/** Plans one strategy on a scan of its own, timing the planner alone (wall time, in ms). */
async function timePlan(planner: Planner, strategy: Strategy, scan: ScanStrategyReturnType): Promise<{ result: PlanConversionsReturnType; wall: number }> {
  const start = performance.now()
  const result = await planner({ logger }, { strategy, scan })
  return { result, wall: performance.now() - start }
}

let instructions = 0
let routes = 0
const scanTimes: number[] = []
const planTimes = new Map<string, number[]>(planners.map(([name]) => [name, []]))
for (let round = 0; round < ROUNDS; round += 1) {
  let scanMs = 0
  const wall = new Map<string, number>(planners.map(([name]) => [name, 0]))
  for (const [index, strategy] of strategies.entries()) {
    // Each planner gets a scan of its own, so that neither finds the price book's caches warmed by
    // the other; plans are compared at once and dropped, as a monitor cycle would.
    const results = new Map<string, PlanConversionsReturnType>()
    for (const [name, planner] of (round + index) % 2 === 0 ? planners : [...planners].reverse()) {
      const scanned = performance.now()
      const scan = await scanStrategy({ clock, logger }, { strategy })
      scanMs += performance.now() - scanned
      const timed = await timePlan(planner, strategy, scan)
      results.set(name, timed.result)
      wall.set(name, (wall.get(name) ?? 0) + timed.wall)
    }
    const expected = results.get('reference')
    const actual = results.get('fast')
    if (!isDeepStrictEqual(expected, actual)) {
      const json = (value: unknown) => JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? `${item}n` : item)).slice(0, 4000)
      console.error(`Round ${round}: the plan of strategy ${index} differs from the reference planner's.`)
      console.error(`reference: ${json(expected)}`)
      console.error(`fast:      ${json(actual)}`)
      process.exit(1)
    }
    if (round === 0 && actual) {
      instructions += actual.plan.instructions.length
      routes += actual.plan.instructions.reduce((sum, instruction) => sum + 1 + instruction.alternatives.length, 0)
    }
  }
  scanTimes.push(scanMs / planners.length)
  for (const [name] of planners) {
    planTimes.get(name)?.push(wall.get(name) ?? 0)
  }
}

const median = (times: readonly number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0
const spread = (times: readonly number[]) => {
  const sorted = [...times].sort((a, b) => a - b)
  return `${sorted[0]?.toFixed(0)} / ${median(times).toFixed(0)} / ${sorted.at(-1)?.toFixed(0)} ms` // float-ok: timing display
}
const line = (label: string, value: string) => console.log(`${label.padEnd(42)} ${value}`)
const referenceMs = median(planTimes.get('reference') ?? [])
const fastMs = median(planTimes.get('fast') ?? [])
line('strategies × dust tokens', `${STRATEGIES} × ${TOKENS}`)
line('build strategies from config', `${buildMs.toFixed(0)} ms`) // float-ok: timing display
line('instructions per round', `${instructions} (${routes} routes priced)`)
line(`scan, ${ROUNDS} rounds (min/median/max)`, spread(scanTimes))
line('plan, reference (min/median/max)', spread(planTimes.get('reference') ?? []))
line('plan, fast (min/median/max)', spread(planTimes.get('fast') ?? []))
line('plan per strategy, reference / fast', `${((referenceMs / STRATEGIES) * 1000).toFixed(0)} / ${((fastMs / STRATEGIES) * 1000).toFixed(0)} µs`) // float-ok: timing display
line('speed-up of planning (median)', `${(referenceMs / fastMs).toFixed(1)}×`) // float-ok: timing display
line('plans identical to the reference', `${STRATEGIES * ROUNDS} of ${STRATEGIES * ROUNDS}`)

/** One token's routes as the floor quotes and prices them, with all a route needs at hand. */
type FloorToken = {
  strategy: Strategy
  scan: ScanStrategyReturnType
  instruction: DustConversionInstruction
  group: ConversionGroup
  gasPrice: bigint | undefined
  routes: Array<{ venue: ConversionVenue; path: Currency[]; independentBook: PriceBook }>
}

/** The tokens of a strategy's plan whose routes the floor can quote at once (on-chain custody, venues with `quoteSync`). */
async function floorTokensOf(strategy: Strategy): Promise<FloorToken[]> {
  const scan = await scanStrategy({ clock, logger }, { strategy })
  const { plan } = await planConversions({ logger }, { strategy, scan })
  const tokens: FloorToken[] = []
  for (const instruction of plan.instructions) {
    const { custody, sources, amount } = instruction
    if (custody.kind !== 'onchain') continue
    const gasPrice = await strategy.gasPrices.find((source) => source.chain === custody.chain)?.fetchGasPrice()
    const routes = [instruction.chosen, ...instruction.alternatives].map((candidate) => {
      const venue = strategy.venues.find((item) => item.name === candidate.venue)
      if (!venue?.quoteSync || !venue.tradablePairsSync) throw new Error(`Venue ${candidate.venue} cannot quote at once.`)
      const currencies = new Map(venue.tradablePairsSync()?.flatMap((pair) => pair.map((currency) => [currency.symbol, currency] as const)))
      const path = candidate.path.map((symbol) => {
        const currency = currencies.get(symbol)
        if (!currency) throw new Error(`No ${symbol} among the pairs of ${venue.name}.`)
        return currency
      })
      return { venue, path, independentBook: scan.priceBook.without(venue.name) }
    })
    tokens.push({ strategy, scan, instruction, group: { custody, sources, total: amount, sellAmount: amount }, gasPrice, routes })
  }
  return tokens
}

/** Quotes and prices one route of a token, as the planner does, and nothing else. */
function quoteAndPrice(token: FloorToken, route: FloorToken['routes'][number]): RouteCandidate {
  const { strategy, scan, group } = token
  const quote = route.venue.quoteSync?.(route.path, group.sellAmount)
  if (!quote?.ok) throw new Error(`${route.venue.name} did not quote ${route.path.map((currency) => currency.symbol).join('→')} at once.`)
  const chain = group.custody.kind === 'onchain' ? group.custody.chain : route.venue.chain
  return evaluateRoute({
    group,
    quote,
    venueKind: route.venue.kind,
    target: strategy.policy.shareClass,
    priceBook: scan.priceBook,
    independentBook: route.independentBook,
    native: strategy.natives.get(chain),
    gasPrice: token.gasPrice,
    gasPriceCap: strategy.gasPriceCaps?.get(chain),
    gasUnits: strategy.planning.gasUnits,
    maxSlippageBps: strategy.planning.maxSlippageBps,
    minNotionalBufferBps: strategy.planning.minNotionalBufferBps,
  })
}

/** Checks once that the floor prices each route of these tokens to the plan's own candidate, value for value. */
function checkFloor(tokens: readonly FloorToken[]): void {
  for (const token of tokens) {
    for (const [index, route] of token.routes.entries()) {
      const planned = index === 0 ? token.instruction.chosen : token.instruction.alternatives[index - 1]
      if (!isDeepStrictEqual(quoteAndPrice(token, route), planned)) {
        console.error(`The floor's route ${index} of ${token.instruction.token} in ${token.strategy.policy.mode} differs from the plan's.`)
        process.exit(1)
      }
    }
  }
}

/**
 * The floor: what any planner of this plan must do for a token, its routes quoted and priced,
 * with nothing else of a plan (no grouping, no choice, no instruction). Measured twice: for
 * strategy 0's first token in a warm tight loop, the most favourable case; and for every token
 * of every strategy in turn, as a planning round meets them, each strategy's own venues, books
 * and amounts, so that the caches and the garbage collector work as they do in the rounds.
 */
const FLOOR_CALLS = 20_000
const budgetUs = ((referenceMs / 10 / STRATEGIES) * 1000) / TOKENS
const firstStrategy = strategies[0]
const firstToken = firstStrategy ? (await floorTokensOf(firstStrategy))[0] : undefined
if (firstToken) {
  checkFloor([firstToken])
  const floorTimes: number[] = []
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const start = performance.now()
    for (let call = 0; call < FLOOR_CALLS; call += 1) for (const route of firstToken.routes) quoteAndPrice(firstToken, route)
    // The first round warms the JIT and is not counted.
    if (round > 0) floorTimes.push(((performance.now() - start) / FLOOR_CALLS) * 1000)
  }
  line(`floor: quote and price a token's ${firstToken.routes.length} routes`, `${median(floorTimes).toFixed(2)} µs (median of ${ROUNDS} × ${FLOOR_CALLS} calls, warm)`) // float-ok: timing display
}
const allTokens: FloorToken[] = []
for (const strategy of strategies) allTokens.push(...(await floorTokensOf(strategy)))
if (allTokens.length > 0) {
  checkFloor(allTokens)
  const floorTimes: number[] = []
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const start = performance.now()
    for (const token of allTokens) for (const route of token.routes) quoteAndPrice(token, route)
    if (round > 0) floorTimes.push(((performance.now() - start) / allTokens.length) * 1000)
  }
  line('floor: the same, every token in turn', `${median(floorTimes).toFixed(2)} µs (median of ${ROUNDS} rounds of ${allTokens.length} tokens)`) // float-ok: timing display
}
line('budget per token of a 10× speed-up', `${budgetUs.toFixed(2)} µs (a tenth of the reference, per token)`) // float-ok: timing display
