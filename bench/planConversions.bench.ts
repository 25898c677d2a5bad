/**
 * Benchmark: scan and plan 1,000 strategies × 10 dust tokens, each token quoted on a CEX
 * (order book, direct market) and a DEX (constant-product pools, one and two hops).
 *
 * Run with `npm run bench`. Prints per-phase wall time and throughput; this is a measurement,
 * not a test: nothing here passes or fails on time.
 */
import { performance } from 'node:perf_hooks'
import { strategyConfigSchema } from '../src/config/schema.js'
import { Fraction } from '../src/domain/money/index.js'
import { planConversions } from '../src/engine/planConversions.js'
import { scanStrategy } from '../src/engine/scanStrategy.js'
import { createStrategy } from '../src/app/createStrategy.js'
import { loadVenueBuilders } from '../src/app/venues/loadVenueBuilders.js'
import type { Clock, Logger } from '../src/ports/index.js'

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

let instructions = 0
let routes = 0
const times: number[] = []
for (let round = 0; round < ROUNDS; round += 1) {
  const start = performance.now()
  for (const strategy of strategies) {
    const scan = await scanStrategy({ clock, logger }, { strategy })
    const { plan } = await planConversions({ logger }, { strategy, scan })
    if (round === 0) {
      instructions += plan.instructions.length
      routes += plan.instructions.reduce((sum, instruction) => sum + 1 + instruction.alternatives.length, 0)
    }
  }
  times.push(performance.now() - start)
}
times.sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)] ?? 0
const line = (label: string, value: string) => console.log(`${label.padEnd(42)} ${value}`)
line('strategies × dust tokens', `${STRATEGIES} × ${TOKENS}`)
line('build strategies from config', `${buildMs.toFixed(0)} ms`) // float-ok: timing display
line('instructions per round', `${instructions} (${routes} routes priced)`)
line(`scan + plan, ${ROUNDS} rounds (min/median/max)`, `${times[0]?.toFixed(0)} / ${median.toFixed(0)} / ${times.at(-1)?.toFixed(0)} ms`) // float-ok: timing display
line('per strategy (median)', `${((median / STRATEGIES) * 1000).toFixed(0)} µs`) // float-ok: timing display
line('routes priced per second (median)', `${Math.round(routes / (median / 1000))}`)
