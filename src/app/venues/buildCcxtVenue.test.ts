import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { MARKET_DATA_ROUTES, type RecordedRoute, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { buildConfigOf, createVenueBuildContext } from '../../../test/venueBuildContext.js'
import type { CreateCcxtExchangeOptions } from '../../adapters/ccxt/createCcxtExchange.js'
import type { CcxtVenue } from '../../adapters/ccxt/createCcxtVenue.js'
import type { StaticBalanceSource } from '../../adapters/static/createStaticBalanceSource.js'
import { Amount } from '../../domain/money/index.js'
import type { VenueBuildContext } from './VenueBuilder.js'
import { buildCcxtVenue } from './buildCcxtVenue.js'
import { buildStaticVenue } from './buildStaticVenue.js'
import { createVenueAssembly } from './createVenueAssembly.js'

const KEYS = { BINANCE_API_KEY: 'key-from-env', BINANCE_SECRET: 'secret-from-env' }
const ACCOUNT: RecordedRoute = { method: 'GET', path: '/api/v3/account', file: 'account.json' }
const TICKERS: RecordedRoute = { method: 'GET', path: '/api/v3/ticker/24hr', file: 'ticker-24hr-symbols.json' }
const DEPOSIT = '0x8888888888888888888888888888888888888888'

/** The registry of buildConfigOf and BTC: the recorded account's ETH is read, its LTC left out. */
const TOKENS = [
  { symbol: 'USDT', chain: 'local', decimals: 6, address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
  { symbol: 'ETH', chain: 'local', decimals: 18 },
  { symbol: 'EIGEN', chain: 'local', decimals: 18, address: '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83' },
  { symbol: 'BTC', chain: 'bitcoin', decimals: 8 },
]

const binanceOf = (extra: Record<string, unknown> = {}) => ({
  type: 'ccxt',
  deposit_chain: 'local',
  api_key_env: 'BINANCE_API_KEY',
  secret_env: 'BINANCE_SECRET',
  markets: ['BTC/USDT', 'ETH/USDT'],
  ...extra,
})

/**
 * Builds the venues of a configuration (static ones and the ccxt one, in configuration order) into one
 * assembly, the ccxt exchange a recorded Binance, keeping what the builder asked the factory for.
 */
function build(venues: Record<string, unknown>, overrides: Record<string, unknown> = {}, context: Partial<VenueBuildContext> = {}, routes: readonly RecordedRoute[] = [ACCOUNT]) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES] })
  const built: Array<{ id: string; options: CreateCcxtExchangeOptions }> = []
  const config = buildConfigOf(venues, { tokens: TOKENS, ...overrides })
  const assembly = createVenueAssembly()
  const buildContext = createVenueBuildContext(config, {
    env: KEYS,
    createExchange: (id, options) => {
      built.push({ id, options })
      return recorded.exchange
    },
    ...context,
  })
  for (const [name, venue] of Object.entries(config.venues)) {
    if (venue.type === 'ccxt') buildCcxtVenue(buildContext, assembly, name, venue)
    else if (venue.type === 'static') buildStaticVenue(buildContext, assembly, name, venue)
    else throw new Error(`test setup: ${name} is neither a ccxt nor a static venue`)
  }
  const calls = () => recorded.requests.map((request) => `${request.method} ${request.path}`)
  return { assembly, built, calls, registry: buildContext.registry }
}

const holdingsOf = async (sources: ReadonlyArray<{ fetchHoldings(): Promise<Array<{ venue: string; source: string; amount: Amount }>> }>) =>
  (await Promise.all(sources.map((source) => source.fetchHoldings()))).flat().map((held) => [held.venue, held.source, held.amount.toString()])

describe('buildCcxtVenue', () => {
  it('builds the exchange with the key and secret of the variables it names, and adds a paper CEX venue on its deposit chain', () => {
    const { assembly, built } = build({ binance: binanceOf() })
    expect(built).toEqual([{ id: 'binance', options: { apiKey: 'key-from-env', secret: 'secret-from-env', sandbox: false } }])
    const [venue, ...others] = assembly.venues as CcxtVenue[]
    expect(others).toEqual([])
    expect([venue?.name, venue?.kind, venue?.chain, venue?.paper]).toEqual(['binance', 'cex', 'local', true])
    // Its fills are not static: it is no static venue, and it sets up the strategy's real execution.
    expect(assembly.staticVenues).toEqual([])
    expect(assembly.realExecution).toBeDefined()
    expect([[...assembly.claimers.keys()], [...assembly.swappers.keys()], [...assembly.spotPriceSources.keys()], [...assembly.claimGasEstimators.keys()]]).toEqual([[], [], [], []])
  })

  it('in a dry run reads the real account at every scan, and adds no seller', async () => {
    const { assembly, calls } = build({ binance: binanceOf() })
    expect(assembly.balanceSources).toEqual([])
    expect(assembly.chainSources.map((source) => [source.name, source.source])).toEqual([['binance', 'exchange_balance']])
    expect(await holdingsOf(assembly.chainSources)).toEqual([['binance', 'exchange_balance', '0.02229833 ETH']])
    await holdingsOf(assembly.chainSources)
    expect(calls().filter((call) => call === 'GET /api/v3/account')).toHaveLength(2)
    expect([assembly.finishers, [...assembly.sellers.keys()]]).toEqual([[], []])
  })

  it('without keys reads no account at all, and builds the exchange with no credentials', () => {
    const { assembly, built } = build({ binance: binanceOf({ api_key_env: undefined, secret_env: undefined }) })
    expect(built[0]?.options).toEqual({ apiKey: undefined, secret: undefined, sandbox: false })
    expect([assembly.balanceSources, assembly.chainSources]).toEqual([[], []])
  })

  it('in paper execution adds a paper account copied once from the real one, and a seller from it once every venue is built', async () => {
    const { assembly, calls } = build({ binance: binanceOf() }, { execution: { mode: 'paper' } })
    expect(assembly.chainSources).toEqual([])
    const [account, ...others] = assembly.balanceSources
    expect(others).toEqual([])
    expect([account?.name, account?.source, account?.custody]).toEqual(['binance', 'exchange_balance', { kind: 'exchange', exchange: 'binance' }])
    expect([...assembly.sellers.keys()]).toEqual([])
    expect(assembly.finishers).toHaveLength(1)
    for (const finish of assembly.finishers) finish()
    expect([...assembly.sellers.keys()]).toEqual(['binance'])
    expect(await holdingsOf(assembly.balanceSources)).toEqual([['binance', 'exchange_balance', '0.02229833 ETH']])
    await holdingsOf(assembly.balanceSources)
    expect(calls().filter((call) => call === 'GET /api/v3/account')).toHaveLength(1)
  })

  it('in paper execution without keys starts an empty paper account and reads nothing', async () => {
    const { assembly, calls } = build({ binance: binanceOf({ api_key_env: undefined, secret_env: undefined }) }, { execution: { mode: 'paper' } }, {}, [])
    expect(await holdingsOf(assembly.balanceSources)).toEqual([])
    expect(calls()).toEqual([])
  })

  it('sells for real and reads the real account only in live mode with paper: false', () => {
    const live = build({ binance: binanceOf({ paper: false }) }, { execution: { mode: 'live' } })
    expect((live.assembly.venues[0] as CcxtVenue).paper).toBe(false)
    expect([live.assembly.balanceSources, live.assembly.chainSources.map((source) => source.name)]).toEqual([[], ['binance']])
    for (const finish of live.assembly.finishers) finish()
    expect([...live.assembly.sellers.keys()]).toEqual(['binance'])
    const paperInLive = build({ binance: binanceOf() }, { execution: { mode: 'live' } })
    const liveInPaper = build({ binance: binanceOf({ paper: false }) }, { execution: { mode: 'paper' } })
    for (const { assembly } of [paperInLive, liveInPaper]) {
      expect([(assembly.venues[0] as CcxtVenue).paper, assembly.balanceSources.map((source) => source.name), assembly.chainSources]).toEqual([true, ['binance'], []])
    }
  })

  it('takes a static exchange_balance venue naming it as its account, reading no real one, and sells on paper from it', async () => {
    const venues = { account: { type: 'static', source: 'exchange_balance', exchange: 'binance', balances: { ETH: '0.01' } }, binance: binanceOf() }
    const { assembly, calls, registry } = build(venues, { execution: { mode: 'paper' } }, {}, [])
    expect([assembly.balanceSources.map((source) => source.name), assembly.chainSources]).toEqual([['account'], []])
    for (const finish of assembly.finishers) finish()
    const eth = registry.get('ETH')
    const usdt = registry.get('USDT')
    if (!eth || !usdt) throw new Error('test setup: ETH and USDT are in the registry')
    // The seller checks the stand-in account before any order book is read.
    expect(await assembly.sellers.get('binance')?.sell([eth, usdt], Amount.parse(eth, '0.02'), Amount.parse(usdt, '1'), 'order-1')).toEqual({
      ok: false,
      reason: 'insufficient_funds',
      detail: 'The binance paper account holds 0.01 ETH, less than the 0.02 ETH to sell.',
      retryable: false,
    })
    expect((assembly.balanceSources[0] as StaticBalanceSource).balanceOf(eth).toString()).toBe('0.01 ETH')
    expect(calls()).toEqual([])
  })

  it('keeps its deposit address as configured, when it has one', () => {
    expect([...build({ binance: binanceOf({ deposit_address: DEPOSIT }) }).assembly.depositAddresses]).toEqual([['binance', DEPOSIT]])
    expect([...build({ binance: binanceOf() }).assembly.depositAddresses]).toEqual([])
  })

  it('adds a mid price source under its name, on its configured markets, from the recorded tickers', async () => {
    const { assembly, calls } = build({ binance: binanceOf({ markets: ['BTC/USDT'] }) }, {}, {}, [TICKERS])
    expect([...assembly.midPriceSources.keys()]).toEqual(['binance'])
    const source = assembly.midPriceSources.get('binance')?.()
    expect(source?.name).toBe('binance')
    const prices = (await source?.fetchPrices()) ?? []
    // (73,369.83 + 73,369.84) / 2.
    expect(prices.map((price) => [price.base.symbol, price.quote.symbol, price.toSignificant(12), price.origin.source])).toEqual([['BTC', 'USDT', '73369.835', 'binance']])
    expect(calls()).toContain('GET /api/v3/ticker/24hr')
  })

  it('refuses a key variable that is not set, or set empty, naming the variable and never a key', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        build({ binance: binanceOf() }, {}, { env })
      } catch (error) {
        return error
      }
      throw new Error('Expected buildCcxtVenue to refuse the keys, it built the venue.')
    }
    const unset = refusal({ BINANCE_SECRET: 'secret-from-env' })
    expect(unset).toMatchObject({
      name: 'ConfigError',
      code: 'invalid_config',
      issues: [{ path: 'venues.binance.api_key_env', expected: 'BINANCE_API_KEY to hold the API key of binance', found: 'BINANCE_API_KEY is not set' }],
      message:
        'Invalid configuration in the usdt_build strategy (1 problem).\n  the usdt_build strategy venues.binance.api_key_env: expected BINANCE_API_KEY to hold the API key of binance, found BINANCE_API_KEY is not set',
    })
    expect((unset as Error).message).not.toContain('secret-from-env')
    const empty = refusal({ BINANCE_API_KEY: 'key-from-env', BINANCE_SECRET: '' })
    expect(empty).toMatchObject({ issues: [{ path: 'venues.binance.secret_env', expected: 'BINANCE_SECRET to hold the API secret of binance', found: 'BINANCE_SECRET is empty' }] })
    expect((empty as Error).message).not.toContain('key-from-env')
  })

  it('refuses an exchange its factory cannot build, with what the factory threw', () => {
    const refusal = (createExchange: VenueBuildContext['createExchange'], venue: Record<string, unknown> = binanceOf()) => {
      try {
        build({ binance: venue }, {}, { createExchange })
      } catch (error) {
        return error
      }
      throw new Error('Expected buildCcxtVenue to refuse the exchange, it built the venue.')
    }
    const thrown = (failure: unknown) => () => {
      throw failure
    }
    expect(refusal(thrown(new TypeError('binance is not a constructor')))).toMatchObject({
      name: 'ConfigError',
      issues: [{ path: 'venues.binance', expected: 'a binance exchange ccxt can build', found: 'binance is not a constructor' }],
      cause: expect.any(TypeError),
    })
    expect(refusal(thrown('no exchange'))).toMatchObject({ issues: [{ path: 'venues.binance', expected: 'a binance exchange ccxt can build', found: 'no exchange' }] })
    // The default factory, createCcxtExchange: its VenueError's short message is what was found.
    expect(refusal(undefined, binanceOf({ exchange: 'binanse' }))).toMatchObject({
      issues: [{ path: 'venues.binance', expected: 'a binanse exchange ccxt can build', found: `ccxt ${ccxt.version} knows no exchange "binanse".` }],
    })
    expect(refusal(undefined, binanceOf({ exchange: 'bitbank', sandbox: true }))).toMatchObject({
      issues: [{ path: 'venues.binance', expected: 'a bitbank exchange ccxt can build with a sandbox', found: 'bitbank has no test network in ccxt, so sandbox cannot be set.' }],
    })
  })
})
