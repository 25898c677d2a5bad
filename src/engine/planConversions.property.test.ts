import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTestStrategy, type TestConfigInput } from '../../test/createTestStrategy.js'
import { createFakeClock, createRecordingLogger } from '../../test/fakePorts.js'
import { planConversions as planConversionsReference } from '../../test/reference/planConversions.js'
import { SourceError, VenueError } from '../errors/index.js'
import { formatScaled } from '../domain/money/index.js'
import type { ConversionVenue } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { inFlightKey, planConversions } from './planConversions.js'
import { scanStrategy } from './scanStrategy.js'

/** A decimal of whole tokens with up to 6 decimals, so that it fits every token of the fixture. */
const decimal = (max: bigint, min = 0n) => fc.bigInt({ min, max: max * 1_000_000n }).map((scaled) => formatScaled(scaled, 6))

/** A holding: nothing, one base unit of a 6-decimal amount, a dust-size, an ordinary or a huge amount. */
const holding = fc.oneof(fc.constant('0'), fc.constant('0.000001'), decimal(1n), decimal(10_000n), decimal(10n ** 15n))

/** A price in USDT from a millionth to 5,000, exact. */
const price = fc.bigInt({ min: 1n, max: 5_000_000_000n }).map((scaled) => formatScaled(scaled, 6))

/** Bids best first: 1 to 3 levels, each at most the price of the one before. */
const bids = fc.tuple(price, fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 500n }), fc.oneof(decimal(10n, 1n), decimal(100_000n, 1n))), { minLength: 1, maxLength: 3 })).map(([top, levels]) => {
  const [whole = '0', fraction = ''] = top.split('.')
  let scaled = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'))
  return levels.flatMap(([stepBps, size]) => {
    scaled -= (scaled * stepBps) / 10_000n
    return scaled > 0n ? [[formatScaled(scaled, 6), size] as [string, string]] : []
  })
})

const market = fc.record({
  min_notional: fc.constantFrom('0', '5', '1000'),
  amount_step: fc.constantFrom('0.000001', '0.01', '0.1', '1'),
  bids,
  asks: fc.constant([] as Array<[string, string]>),
})

const reserves = fc.tuple(fc.oneof(fc.constant('0.000001'), decimal(100n, 1n), decimal(10n ** 9n, 1n)), fc.oneof(fc.constant('0.000001'), decimal(100n, 1n), decimal(10n ** 9n, 1n)))

const scenario = fc.record({
  claimable: fc.record({ EIGEN: holding, ETHFI: holding }),
  wallet: fc.record({ EIGEN: holding, ETHFI: holding }),
  takerFeeBps: fc.constantFrom('0', '7.5', '10', '100'),
  eigenUsdt: market,
  ethfiUsdt: fc.option(market, { nil: undefined }),
  eigenEth: fc.option(market, { nil: undefined }),
  ethUsdt: market,
  pools: fc.record({ eigen: reserves, ethfi: reserves, weth: reserves, feeBps: fc.constantFrom('0', '5', '30', '100') }),
  prices: fc.record({ EIGEN: fc.option(price, { nil: undefined }), ETHFI: fc.option(price, { nil: undefined }), ETH: price }),
  secondSource: fc.constantFrom('none', 'cex_mid', 'oracle'),
  oraclePrices: fc.record({ EIGEN: price, ETHFI: price }),
  gasGwei: fc.constantFrom('0', '2.5', '500', '100000'),
  dustDelta: fc.constantFrom('0', '0.002', '0.5'),
  dustTokens: fc.constantFrom('none', 'ethfi_off', 'eigen_capped'),
  venue: fc.constantFrom('binance', 'uniswap', undefined),
  path: fc.constantFrom<string[] | undefined>(undefined, ['EIGEN', 'USDT'], ['EIGEN', 'WETH', 'USDT']),
  maxHops: fc.integer({ min: 1, max: 3 }),
  minNotionalBufferBps: fc.constantFrom(0, 100, 5_000),
  maxSlippageBps: fc.constantFrom(0, 50, 10_000),
  maxDeviationBps: fc.constantFrom(0, 200, 10_000),
  ignoreThreshold: fc.boolean(),
  inFlight: fc.boolean(),
  exchangeHolding: fc.option(holding, { nil: undefined }),
  exchangeToken: fc.constantFrom('EIGEN', 'ETHFI'),
  failure: fc.constantFrom('none', 'none', 'pairs_rejected', 'pairs_thrown', 'pairs_sync_unanswered', 'quote_rejected', 'quote_thrown', 'quote_sync_unanswered', 'quote_sync_thrown', 'gas_rejected'),
})

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

function edit(s: Scenario) {
  return (config: TestConfigInput) => {
    config.venues.etherfi = { type: 'static', source: 'claimable_rewards', balances: s.claimable }
    config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: s.wallet }
    config.venues.binance = {
      type: 'static_cex',
      taker_fee_bps: s.takerFeeBps,
      markets: {
        'EIGEN/USDT': s.eigenUsdt,
        'ETH/USDT': s.ethUsdt,
        ...(s.ethfiUsdt ? { 'ETHFI/USDT': s.ethfiUsdt } : {}),
        ...(s.eigenEth ? { 'EIGEN/ETH': s.eigenEth } : {}),
      },
    }
    config.venues.uniswap = {
      type: 'static_amm',
      pools: [
        { tokens: ['EIGEN', 'WETH'], reserves: s.pools.eigen, fee_bps: s.pools.feeBps },
        { tokens: ['ETHFI', 'WETH'], reserves: s.pools.ethfi, fee_bps: s.pools.feeBps },
        { tokens: ['WETH', 'USDT'], reserves: s.pools.weth, fee_bps: s.pools.feeBps },
      ],
    }
    const prices = Object.fromEntries(Object.entries(s.prices).filter((entry): entry is [string, string] => entry[1] !== undefined))
    config.prices = [
      { type: 'static', quote: 'USDT', prices },
      ...(s.secondSource === 'cex_mid' ? [{ type: 'cex_mid' as const, venue: 'binance' }] : []),
      ...(s.secondSource === 'oracle' ? [{ type: 'static' as const, name: 'oracle', quote: 'USDT', prices: s.oraclePrices }] : []),
    ]
    config.gas_price = { ethereum: { type: 'static', gwei: s.gasGwei } }
    config.dust_delta = s.dustDelta
    config.dust_tokens = s.dustTokens === 'ethfi_off' ? { ETHFI: { convert: false } } : s.dustTokens === 'eigen_capped' ? { EIGEN: { max_sell_per_run: '100.5' } } : {}
    if (s.venue) config.dust_conversion_venue = s.venue
    else delete config.dust_conversion_venue
    if (s.path) config.dust_conversion_path = s.path
    else delete config.dust_conversion_path
    config.max_hops = s.maxHops
    config.min_notional_buffer_bps = s.minNotionalBufferBps
    config.execution = { mode: 'dry-run', max_slippage_bps: s.maxSlippageBps }
    config.max_price_deviation_bps = s.maxDeviationBps
    if (s.exchangeHolding !== undefined) config.venues.binance_account = { type: 'static', source: 'exchange_balance', exchange: 'binance', balances: { [s.exchangeToken]: s.exchangeHolding } }
  }
}

/** Breaks one port of the wired strategy as the scenario says: a venue's pairs or quotes (rejected or thrown), or the gas price. */
function breakPorts(s: Scenario) {
  return (strategy: Strategy): Partial<Strategy> => {
    if (s.failure === 'gas_rejected') {
      return { gasPrices: [{ chain: 'ethereum', fetchGasPrice: () => Promise.reject(new SourceError('gas', 'the node timed out')) }] }
    }
    const venues = strategy.venues.map((venue): ConversionVenue => {
      if (venue.name !== 'uniswap' && s.failure !== 'quote_thrown') return venue
      switch (s.failure) {
        case 'pairs_rejected':
          return { ...venue, tradablePairs: () => Promise.reject(new VenueError(venue.name, 'markets unavailable')), tradablePairsSync: undefined }
        case 'pairs_sync_unanswered':
          // The pairs cannot be listed at once, so the planner asks the asynchronous list.
          return { ...venue, tradablePairsSync: () => undefined }
        case 'pairs_thrown':
          return {
            ...venue,
            tradablePairsSync: undefined,
            tradablePairs: () => {
              throw new VenueError(venue.name, 'markets unreadable')
            },
          }
        case 'quote_rejected':
          // Only EIGEN fails, so that one token is quoted and the other is not.
          return {
            ...venue,
            quote: (path, amountIn) => (amountIn.currency.symbol === 'EIGEN' ? Promise.reject(new VenueError(venue.name, 'quote refused')) : venue.quote(path, amountIn)),
            quoteSync: undefined,
          }
        case 'quote_sync_unanswered':
          // EIGEN cannot be quoted at once, so the planner asks the asynchronous quote for it.
          return { ...venue, quoteSync: (path, amountIn) => (amountIn.currency.symbol === 'EIGEN' ? undefined : venue.quoteSync?.(path, amountIn)) }
        case 'quote_sync_thrown':
          // A venue of its own (not behind makeResilient) whose synchronous quote throws where its quote rejects.
          return {
            ...venue,
            quote: (path, amountIn) => (path.length > 2 ? Promise.reject(new VenueError(venue.name, 'no two-hop quotes')) : venue.quote(path, amountIn)),
            quoteSync: (path, amountIn) => {
              if (path.length > 2) throw new VenueError(venue.name, 'no two-hop quotes')
              return venue.quoteSync?.(path, amountIn)
            },
          }
        case 'quote_thrown':
          return {
            ...venue,
            quoteSync: undefined,
            quote: (path, amountIn) => {
              if (venue.name === 'binance' && path.length > 2) throw new VenueError(venue.name, 'no two-hop quotes')
              return venue.quote(path, amountIn)
            },
          }
        default:
          return venue
      }
    })
    return { venues }
  }
}

/** What a planner gave, or the error it threw, as a value to compare. */
async function outcome<T>(plan: () => Promise<T>): Promise<{ result: T } | { error: string }> {
  try {
    return { result: await plan() }
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

describe('planConversions against the frozen reference planner', () => {
  it('gives exactly the same plan and warnings on random books, pools, holdings, fees, gas and settings', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = createFakeClock()
        const strategy = createTestStrategy({ edit: edit(s), override: breakPorts(s), clock })
        const scan = await scanStrategy({ clock, logger: createRecordingLogger() }, { strategy })
        const inFlight = s.inFlight ? new Set([inFlightKey(strategy.policy.mode, 'ETHFI', { kind: 'onchain', chain: 'ethereum' })]) : undefined
        const parameters = { strategy, scan, inFlight, ignoreThreshold: s.ignoreThreshold }
        const referenceLogger = createRecordingLogger()
        const fastLogger = createRecordingLogger()
        const expected = await outcome(() => planConversionsReference({ logger: referenceLogger }, parameters))
        const actual = await outcome(() => planConversions({ logger: fastLogger }, parameters))
        expect(actual).toStrictEqual(expected)
        expect(fastLogger.entries).toStrictEqual(referenceLogger.entries)
        // max_sell_per_run caps the run, whatever custodies hold the token (EIGEN on-chain and on binance).
        if (s.dustTokens === 'eigen_capped' && 'result' in actual) {
          const { plan } = actual.result
          const sold = plan.instructions.filter((instruction) => instruction.token === 'EIGEN').reduce((sum, instruction) => sum + instruction.amount.raw, 0n)
          expect(sold <= 100_500_000_000_000_000_000n).toBe(true)
        }
      }),
      { numRuns: 120 },
    )
  }, 60_000)
})
