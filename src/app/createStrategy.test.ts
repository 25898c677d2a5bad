import { describe, expect, it } from 'vitest'
import { MARKET_DATA_ROUTES, type RecordedRoute, createRecordedBinance } from '../../test/createRecordedBinance.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../test/fixtureConfig.js'
import { FIXED_TIME, fixtureClock } from '../../test/fixtureMoney.js'
import { fixtureLoadedConfig, fixtureStrategy } from '../../test/fixtureStrategy.js'
import type { CreateCcxtExchangeOptions } from '../adapters/ccxt/createCcxtExchange.js'
import type { CcxtVenue } from '../adapters/ccxt/createCcxtVenue.js'
import { createPriceBook } from '../domain/money/index.js'
import { planConversions } from '../engine/planConversions.js'
import { scanStrategy } from '../engine/scanStrategy.js'
import type { Strategy } from '../engine/Strategy.js'
import { ConfigError } from '../errors/index.js'
import type { Logger } from '../ports/index.js'
import { createDustPolicy, createStrategy } from './createStrategy.js'
import { loadVenueBuilders } from './venues/loadVenueBuilders.js'

const venueBuilders = await loadVenueBuilders()

const PAPER = `${FIXTURE_CONFIG_YAML}execution: { mode: paper }\n`
const NO_WALLET = fixtureConfigWith('  wallet:  { type: static, source: wallet_balance, balances: { EIGEN: "20", ETHFI: "800" } }\n', '')

describe('createStrategy', () => {
  it('builds the dust policy from the configuration', async () => {
    // An ignored token is one of the registry's (a spam airdrop the wallet is read for); any other would do nothing and is refused.
    const withSpam = fixtureConfigWith('  - { symbol: weETH,', '  - { symbol: SPAM, decimals: 18, address: "0x000000000000000000000000000000000000dEaD" }\n  - { symbol: weETH,')
    const { policy } = await fixtureStrategy(`${withSpam}dust_tokens: { ETHFI: { convert: false }, EIGEN: { max_sell_per_run: "500" } }\nignore_tokens: [SPAM]\n`)
    expect(policy.mode).toBe('usdt_test')
    expect(policy.shareClass).toMatchObject({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
    expect(policy.asset).toMatchObject({ symbol: 'ETH', decimals: 18 })
    expect([...policy.lsts]).toEqual(['weeth', 'weETH', 'wstETH'])
    expect([...policy.equivalents]).toEqual([['WETH', 'ETH']])
    expect([...policy.ignored]).toEqual(['SPAM'])
    expect(policy.dustDelta.toDecimalString(18)).toBe('0.002')
    expect(policy.hysteresis.toDecimalString(18)).toBe('0.1')
    expect(policy.tokenSettings.get('ETHFI')).toEqual({ convert: false, maxSellPerRun: undefined })
    expect(policy.tokenSettings.get('EIGEN')?.convert).toBe(true)
    expect(policy.tokenSettings.get('EIGEN')?.maxSellPerRun?.toString()).toBe('500 EIGEN')
  })

  it('keeps only the configured LSTs when lst_type is absent', async () => {
    const { config } = await fixtureLoadedConfig(fixtureConfigWith('lst_type: weeth\n', ''))
    const strategy = createStrategy({ config, clock: fixtureClock(), venueBuilders })
    expect([...strategy.policy.lsts]).toEqual(['weETH', 'wstETH'])
    expect([...createDustPolicy(config, strategy.registry).lsts]).toEqual(['weETH', 'wstETH'])
  })

  it('wires the registry, the native coin, the planning settings and the execution mode', async () => {
    const strategy = await fixtureStrategy()
    expect([...strategy.registry.keys()]).toEqual(['USDT', 'ETH', 'WETH', 'EIGEN', 'ETHFI', 'weETH'])
    expect(strategy.registry.get('WETH')).toMatchObject({ decimals: 18, address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' })
    expect(strategy.natives.get('ethereum')?.symbol).toBe('ETH')
    expect(strategy.planning).toEqual({
      preference: { venue: 'binance', path: ['EIGEN', 'USDT'] },
      maxHops: 2,
      maxSlippageBps: 50,
      minNotionalBufferBps: 100,
      gasUnits: { claim: 90_000n, approve: 55_000n, transfer: 65_000n, perOnchainStep: 0n },
    })
    expect(strategy.executionMode).toBe('dry-run')
    expect(strategy.executionManager).toBeUndefined()
    expect(strategy.monitoringIntervalMs).toBe(300_000)
  })

  it('creates a balance source per static venue, and an account per CEX', async () => {
    const strategy = await fixtureStrategy(
      fixtureConfigWith('  binance:\n', '  binance_account: { type: static, source: exchange_balance, exchange: binance, balances: { EIGEN: "5" } }\n  binance:\n'),
    )
    expect(strategy.balanceSources.map((source) => [source.name, source.source])).toEqual([
      ['etherfi', 'claimable_rewards'],
      ['wallet', 'wallet_balance'],
      ['binance_account', 'exchange_balance'],
      ['binance', 'exchange_balance'],
    ])
    const holdings = (await Promise.all(strategy.balanceSources.map((source) => source.fetchHoldings()))).flat()
    expect(holdings.map((held) => [held.venue, held.amount.toString(), held.custody])).toEqual([
      ['etherfi', '1500 EIGEN', { kind: 'onchain', chain: 'ethereum' }],
      ['wallet', '20 EIGEN', { kind: 'onchain', chain: 'ethereum' }],
      ['wallet', '800 ETHFI', { kind: 'onchain', chain: 'ethereum' }],
      ['binance_account', '5 EIGEN', { kind: 'exchange', exchange: 'binance' }],
    ])
  })

  it('creates the venues, price, equity and gas sources from the configuration', async () => {
    const strategy = await fixtureStrategy()
    expect(strategy.venues.map((venue) => [venue.name, venue.kind, venue.chain])).toEqual([
      ['binance', 'cex', 'ethereum'],
      ['uniswap', 'dex', 'ethereum'],
    ])
    expect((await strategy.venues[1]?.tradablePairs())?.map(([a, b]) => `${a.symbol}/${b.symbol}`)).toEqual(['EIGEN/WETH', 'ETHFI/WETH', 'WETH/USDT'])
    expect(strategy.priceSources.map((source) => source.name)).toEqual(['static#0'])
    const prices = (await strategy.priceSources[0]?.fetchPrices()) ?? []
    expect(prices.map((p) => [p.base.symbol, p.quote.symbol, p.toSignificant(), p.origin.at])).toEqual([
      ['EIGEN', 'USDT', '1.25', FIXED_TIME],
      ['ETHFI', 'USDT', '0.95', FIXED_TIME],
      ['ETH', 'USDT', '2500', FIXED_TIME],
    ])
    expect(strategy.equitySource.name).toBe('static')
    const { equity } = await strategy.equitySource.fetchEquity({ holdings: [], priceBook: createPriceBook({ prices: [], at: 0 }) })
    expect(equity.toString()).toBe('1000000 USDT')
    expect(strategy.gasPrices.map((source) => source.chain)).toEqual(['ethereum'])
    expect(await strategy.gasPrices[0]?.fetchGasPrice()).toBe(2_500_000_000n)
  })

  it("turns a chain's max_gas_price_gwei into its cap in wei, and the price checks into milliseconds and bps", async () => {
    const strategy = await fixtureStrategy(
      `${FIXTURE_CONFIG_YAML}chains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 1, max_gas_price_gwei: "12.5" } }\nmax_price_age: 90\nmax_price_clock_skew: 5\nmax_price_deviation_bps: 150\n`,
    )
    expect(strategy.gasPriceCaps).toEqual(new Map([['ethereum', 12_500_000_000n]]))
    expect(strategy.priceChecks).toEqual({ maxAgeMs: 90_000, maxClockSkewMs: 5_000, maxDeviationBps: 150 })
  })

  it('values equity from the holdings when equity is { type: holdings }', async () => {
    const strategy = await fixtureStrategy(fixtureConfigWith('equity: { type: static, value: "1000000" }', 'equity: { type: holdings }'))
    expect(strategy.equitySource.name).toBe('holdings')
  })

  it('names the price source as configured', async () => {
    const strategy = await fixtureStrategy(fixtureConfigWith('{ type: static, quote: USDT,', '{ type: static, name: cmc, quote: USDT,'))
    expect(strategy.priceSources.map((source) => source.name)).toEqual(['cmc'])
  })

  it('adds an execution manager in paper mode, and a wallet to claim into when none is configured', async () => {
    const withWallet = await fixtureStrategy(PAPER)
    expect(withWallet.executionMode).toBe('paper')
    expect(withWallet.executionManager?.name).toBe('paper')
    expect(withWallet.balanceSources.map((source) => source.name)).toEqual(['etherfi', 'wallet', 'binance'])

    const withoutWallet = await fixtureStrategy(`${NO_WALLET}execution: { mode: paper }\n`)
    expect(withoutWallet.balanceSources.map((source) => [source.name, source.source])).toEqual([
      ['etherfi', 'claimable_rewards'],
      ['binance', 'exchange_balance'],
      ['wallet-ethereum', 'wallet_balance'],
    ])
    expect(await withoutWallet.balanceSources[2]?.fetchHoldings()).toEqual([])

    // In dry-run no wallet is invented.
    const dryRun = await fixtureStrategy(NO_WALLET)
    expect(dryRun.balanceSources.map((source) => source.name)).toEqual(['etherfi', 'binance'])
  })

  it('builds a live strategy without an execution manager: it can be scanned and planned, not executed', async () => {
    const { config } = await fixtureLoadedConfig(`${FIXTURE_CONFIG_YAML}execution: { mode: live }\n`)
    const strategy = createStrategy({ config, clock: fixtureClock(), venueBuilders })
    expect(strategy.executionMode).toBe('live')
    expect(strategy.executionManager).toBeUndefined()
  })
})

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * A strategy whose dust sits on Binance: the recorded account holds 0.919741 LTC and
 * 0.02229833 ETH; USDT is the share class and BTC the asset. The recorded books are BTC/USDT
 * and ETH/USDT, the only markets the venue trades.
 */
const CCXT_YAML = `mode: binance_test
share_class: USDT
asset: BTC
dust_delta: 0.002
tokens:
  - { symbol: USDT, decimals: 6, address: "0xdAC17F958D2ee523a2206206994597C13D831ec7" }
  - { symbol: ETH, decimals: 18 }
  - { symbol: BTC, decimals: 8, chain: bitcoin }
  - { symbol: LTC, decimals: 8, chain: litecoin }
venues:
  binance:
    type: ccxt
    api_key_env: BINANCE_API_KEY
    secret_env: BINANCE_SECRET
    markets: [BTC/USDT, ETH/USDT]
prices:
  - { type: static, quote: USDT, prices: { ETH: "2493.565", LTC: "70" } }
equity: { type: static, value: "10000" }
`
const KEYS = { BINANCE_API_KEY: 'key-from-env', BINANCE_SECRET: 'secret-from-env' }
const ACCOUNT: RecordedRoute = { method: 'GET', path: '/api/v3/account', file: 'account.json' }
const TICKERS: RecordedRoute = { method: 'GET', path: '/api/v3/ticker/24hr', file: 'ticker-24hr-symbols.json' }

/** Wires configuration text to a recorded Binance, keeping what the strategy asked the exchange factory for. */
async function ccxtStrategy(text: string, env: Record<string, string> = KEYS, routes: readonly RecordedRoute[] = [ACCOUNT]) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES] })
  const built: Array<{ id: string; options: CreateCcxtExchangeOptions }> = []
  const { config } = await fixtureLoadedConfig(text)
  const strategy = createStrategy({
    config,
    clock: fixtureClock(),
    venueBuilders,
    env,
    createExchange: (id, options) => {
      built.push({ id, options })
      return recorded.exchange
    },
  })
  const calls = () => recorded.requests.map((request) => `${request.method} ${request.path}`)
  return { strategy, recorded, built, calls }
}

async function holdingsOf(strategy: Strategy): Promise<string[][]> {
  const holdings = (await Promise.all(strategy.balanceSources.map((source) => source.fetchHoldings()))).flat()
  return holdings.map((held) => [held.venue, held.source, held.amount.toString()])
}

/** Replaces one exact piece of the ccxt configuration, failing loudly when it is not there. */
const ccxtConfigWith = (...replacements: Array<[string, string]>) => replacements.reduce((text, [from, to]) => fixtureConfigWith(from, to, text), CCXT_YAML)
const PAPER_FALSE: [string, string] = ['    type: ccxt\n', '    type: ccxt\n    paper: false\n']

describe('createStrategy: a ccxt venue', () => {
  it('in paper mode scans the recorded account, plans the ETH sale on the recorded book and fills it on paper', async () => {
    const { strategy, built, calls } = await ccxtStrategy(`${CCXT_YAML}execution: { mode: paper }\n`)
    expect(built).toEqual([{ id: 'binance', options: { apiKey: 'key-from-env', secret: 'secret-from-env', sandbox: false } }])
    expect(strategy.venues.map((venue) => [venue.name, venue.kind, venue.chain])).toEqual([['binance', 'cex', 'ethereum']])
    expect((strategy.venues[0] as CcxtVenue).paper).toBe(true)
    expect(strategy.balanceSources.map((source) => [source.name, source.source])).toEqual([['binance', 'exchange_balance']])

    const scan = await scanStrategy({ clock: fixtureClock(), logger: quiet }, { strategy })
    expect(scan.failedSources).toEqual([])
    expect(scan.holdings.map((held) => [held.venue, held.amount.toString(), held.custody])).toEqual([
      ['binance', '0.919741 LTC', { kind: 'exchange', exchange: 'binance' }],
      ['binance', '0.02229833 ETH', { kind: 'exchange', exchange: 'binance' }],
    ])
    // 0.919741 × 70 + 0.02229833 × 2,493.565 = 120.04… USDT of dust on 10,000 of equity.
    expect(scan.snapshot.exceedsThreshold).toBe(true)

    const { plan } = await planConversions({ logger: quiet }, { strategy, scan })
    expect(plan.skipped.map((skip) => [skip.token, skip.reason])).toEqual([['LTC', 'no_route']])
    const [instruction, ...others] = plan.instructions
    expect(others).toEqual([])
    if (!instruction) throw new Error('expected an instruction for ETH')
    // The 0.0001 ETH step sells 0.0222 ETH at the 2,493.56 bid: 55.357032 USDT, less 0.055358 in fees.
    expect([instruction.token, instruction.venue, instruction.conversionPath.join('>'), instruction.chosen.amountIn.toString(), instruction.estimatedOutput.toString()]).toEqual([
      'ETH',
      'binance',
      'ETH>USDT',
      '0.0222 ETH',
      '55.301674 USDT',
    ])
    expect(instruction.chosen.steps.map((step) => step.kind)).toEqual(['market_sell'])

    const outcome = await strategy.executionManager?.execute(instruction)
    expect(outcome).toMatchObject({ status: 'converted', steps: [{ kind: 'market_sell', venue: 'binance', reference: expect.stringMatching(/^paper:dust-[0-9a-f]{24}-0$/) }] })
    expect(outcome?.status === 'converted' ? [outcome.amountIn.toString(), outcome.output.toString()] : outcome).toEqual(['0.0222 ETH', '55.301674 USDT'])
    expect(await holdingsOf(strategy)).toEqual([
      ['binance', 'exchange_balance', '0.919741 LTC'],
      ['binance', 'exchange_balance', '0.00009833 ETH'],
      ['binance', 'exchange_balance', '55.301674 USDT'],
    ])
    // The account was read once, for the paper copy; the sale fetched no book again and posted nothing.
    expect(calls().sort()).toEqual(['GET /api/v3/account', 'GET /api/v3/depth', 'GET /api/v3/exchangeInfo'])
  })

  it('in dry-run reads the real account each scan and prices the configured markets from their tickers', async () => {
    const text = ccxtConfigWith(['    markets: [BTC/USDT, ETH/USDT]\n', '    markets: [BTC/USDT]\n'], ['equity:', '  - { type: cex_mid, venue: binance }\nequity:'])
    const { strategy, calls } = await ccxtStrategy(text, KEYS, [ACCOUNT, TICKERS])
    expect(strategy.executionManager).toBeUndefined()
    expect(strategy.priceSources.map((source) => source.name)).toEqual(['static#0', 'binance'])
    const [btc, ...others] = (await strategy.priceSources[1]?.fetchPrices()) ?? []
    expect(others).toEqual([])
    expect([btc?.base.symbol, btc?.quote.symbol, btc?.toSignificant(12)]).toEqual(['BTC', 'USDT', '73369.835'])
    await holdingsOf(strategy)
    expect(await holdingsOf(strategy)).toEqual([
      ['binance', 'exchange_balance', '0.919741 LTC'],
      ['binance', 'exchange_balance', '0.02229833 ETH'],
    ])
    expect(calls().filter((call) => call === 'GET /api/v3/account')).toHaveLength(2)
  })

  it('without keys reads no account, and prices every market between registry tokens', async () => {
    const text = ccxtConfigWith(
      ['  - { symbol: ETH, decimals: 18 }\n', ''],
      ['  - { symbol: LTC, decimals: 8, chain: litecoin }\n', ''],
      ['    api_key_env: BINANCE_API_KEY\n    secret_env: BINANCE_SECRET\n    markets: [BTC/USDT, ETH/USDT]\n', ''],
      ['  - { type: static, quote: USDT, prices: { ETH: "2493.565", LTC: "70" } }\n', '  - { type: cex_mid, venue: binance }\n'],
    )
    const { strategy, built, recorded } = await ccxtStrategy(text, {}, [TICKERS])
    expect(built[0]?.options).toEqual({ apiKey: undefined, secret: undefined, sandbox: false })
    expect(strategy.balanceSources).toEqual([])
    const prices = (await strategy.priceSources[0]?.fetchPrices()) ?? []
    expect(prices.map((price) => `${price.base.symbol}/${price.quote.symbol} ${price.toSignificant(12)}`)).toEqual(['BTC/USDT 73369.835'])
    // The registry's only market, BTC/USDT, found in the recorded exchangeInfo.
    expect(recorded.requests.find((request) => request.path === '/api/v3/ticker/24hr')?.params.symbols).toBe('["BTCUSDT"]')
  })

  it('sells from a static exchange_balance venue that names it, on the recorded BTC book', async () => {
    const text = ccxtConfigWith(
      ['asset: BTC', 'asset: ETH'],
      ['venues:\n', 'venues:\n  binance_account: { type: static, source: exchange_balance, exchange: binance, balances: { BTC: "0.015004" } }\n'],
      ['prices: { ETH: "2493.565", LTC: "70" }', 'prices: { BTC: "42574.3" }'],
    )
    const { strategy, calls } = await ccxtStrategy(`${text}execution: { mode: paper }\n`, KEYS, [])
    // The static venue is the account: the real one is not read.
    expect(strategy.balanceSources.map((source) => source.name)).toEqual(['binance_account'])
    const scan = await scanStrategy({ clock: fixtureClock(), logger: quiet }, { strategy })
    const { plan } = await planConversions({ logger: quiet }, { strategy, scan })
    const [instruction] = plan.instructions
    if (!instruction) throw new Error(`expected an instruction, found ${plan.skipped.map((skip) => skip.detail).join('; ')}`)
    const outcome = await strategy.executionManager?.execute(instruction)
    // 0.015 BTC on the bids of 42,574.3 and 42,574.2: 638.61407 USDT, less 0.638615 in fees.
    expect(outcome?.status === 'converted' ? outcome.output.toString() : outcome).toBe('637.975455 USDT')
    expect(await holdingsOf(strategy)).toEqual([
      ['binance_account', 'exchange_balance', '0.000004 BTC'],
      ['binance_account', 'exchange_balance', '637.975455 USDT'],
    ])
    expect(calls().some((call) => call.startsWith('POST'))).toBe(false)
  })

  it('sends real orders only in live mode with paper: false, and then reads the real account', async () => {
    const live = await ccxtStrategy(`${ccxtConfigWith(PAPER_FALSE)}execution: { mode: live }\n`)
    expect((live.strategy.venues[0] as CcxtVenue).paper).toBe(false)
    expect(live.strategy.executionManager?.name).toBe('live')
    await holdingsOf(live.strategy)
    expect(live.calls().filter((call) => call === 'GET /api/v3/account')).toHaveLength(1)
    await holdingsOf(live.strategy)
    expect(live.calls().filter((call) => call === 'GET /api/v3/account')).toHaveLength(2)

    const paperInLive = await ccxtStrategy(`${CCXT_YAML}execution: { mode: live }\n`)
    expect((paperInLive.strategy.venues[0] as CcxtVenue).paper).toBe(true)
    const liveInPaper = await ccxtStrategy(`${ccxtConfigWith(PAPER_FALSE)}execution: { mode: paper }\n`)
    expect((liveInPaper.strategy.venues[0] as CcxtVenue).paper).toBe(true)
  })
})

describe('createStrategy: ccxt configuration errors', () => {
  it('rejects an unknown exchange, markets outside the registry and real orders without keys, all at once', async () => {
    const text = ccxtConfigWith(
      ['    type: ccxt\n', '    type: ccxt\n    exchange: binanse\n    paper: false\n'],
      ['    api_key_env: BINANCE_API_KEY\n    secret_env: BINANCE_SECRET\n', ''],
      ['markets: [BTC/USDT, ETH/USDT]', 'markets: [BTC/USDT, XRP/USDT]'],
    )
    const error = await fixtureLoadedConfig(text).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues.map((issue) => [issue.path, issue.line, issue.found])).toEqual([
      ['venues.binance.exchange', 13, '"binanse"'],
      ['venues.binance.markets[1]', 15, '"XRP"'],
      // A missing key is shown at the first line of its venue.
      ['venues.binance.api_key_env', 12, 'none'],
      ['venues.binance.secret_env', 12, 'none'],
    ])
  })

  it('never echoes a key pasted in place of its variable name', async () => {
    const error = await fixtureLoadedConfig(ccxtConfigWith(['api_key_env: BINANCE_API_KEY', 'api_key_env: vmPUZE6mv9SD5VNHk4HlWFsOr'])).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain('api_key_env to be the name of an environment variable')
    expect((error as ConfigError).message).not.toContain('vmPUZE6mv9SD5VNHk4HlWFsOr')
  })

  it('names a key variable that is set but empty, without showing the other key', async () => {
    const empty = await ccxtStrategy(CCXT_YAML, { BINANCE_API_KEY: 'key-from-env', BINANCE_SECRET: '' }).catch((caught: unknown) => caught)
    expect(empty).toBeInstanceOf(ConfigError)
    expect((empty as ConfigError).issues).toEqual([{ path: 'venues.binance.secret_env', expected: 'BINANCE_SECRET to hold the API secret of binance', found: 'BINANCE_SECRET is empty' }])
    expect((empty as ConfigError).message).not.toContain('key-from-env')
  })

  it('names the exchange a given factory could not build, with what it threw, Error or not', async () => {
    const { config } = await fixtureLoadedConfig(CCXT_YAML)
    const thrown = (failure: unknown) => {
      try {
        createStrategy({
          config,
          clock: fixtureClock(),
          venueBuilders,
          env: KEYS,
          createExchange: () => {
            throw failure
          },
        })
      } catch (caught) {
        return caught
      }
      throw new Error('Expected createStrategy to refuse the exchange, it built a strategy.')
    }
    expect(thrown(new TypeError('binance is not a constructor'))).toMatchObject({
      name: 'ConfigError',
      issues: [{ path: 'venues.binance', expected: 'a binance exchange ccxt can build', found: 'binance is not a constructor' }],
    })
    expect(thrown('no exchange')).toMatchObject({ name: 'ConfigError', issues: [{ path: 'venues.binance', expected: 'a binance exchange ccxt can build', found: 'no exchange' }] })
  })

  it('names an unset key variable without showing any key, and refuses a sandbox the exchange does not have', async () => {
    const unset = await ccxtStrategy(CCXT_YAML, { BINANCE_API_KEY: 'key-from-env' }).catch((caught: unknown) => caught)
    expect(unset).toBeInstanceOf(ConfigError)
    expect((unset as ConfigError).issues).toEqual([{ path: 'venues.binance.secret_env', expected: 'BINANCE_SECRET to hold the API secret of binance', found: 'BINANCE_SECRET is not set' }])
    expect((unset as ConfigError).message).not.toContain('key-from-env')

    // The default factory: bitbank is built (no request is sent) and has no test network.
    const { config } = await fixtureLoadedConfig(ccxtConfigWith(['    type: ccxt\n', '    type: ccxt\n    exchange: bitbank\n    sandbox: true\n']))
    expect(() => createStrategy({ config, clock: fixtureClock(), env: KEYS, venueBuilders })).toThrow(ConfigError)
    const noSandbox = (() => {
      try {
        return createStrategy({ config, clock: fixtureClock(), env: KEYS, venueBuilders })
      } catch (caught) {
        return caught
      }
    })()
    expect((noSandbox as ConfigError).issues).toEqual([
      { path: 'venues.binance', expected: 'a bitbank exchange ccxt can build with a sandbox', found: 'bitbank has no test network in ccxt, so sandbox cannot be set.' },
    ])
  })
})

describe('createStrategy on a configuration its cross-checks did not see', () => {
  // createStrategy is exported: a configuration built in code reaches it without loadConfig's checks, and meets its guards.
  async function checkedConfig() {
    return (await fixtureLoadedConfig(PAPER)).config
  }

  function refusal(build: () => unknown): unknown {
    try {
      build()
    } catch (caught) {
      return caught
    }
    throw new Error('Expected createStrategy to refuse the configuration, it built a strategy.')
  }

  it('names the venue type no builder was loaded for', async () => {
    const config = await checkedConfig()
    expect(refusal(() => createStrategy({ config, clock: fixtureClock(), env: {}, venueBuilders: {} }))).toMatchObject({
      name: 'BaseError',
      shortMessage: 'No builder is loaded for venues of type static (venues.etherfi): load them with loadVenueBuilders.',
    })
  })

  it('refuses a token address that is not hexadecimal', async () => {
    const config = await checkedConfig()
    const tokens = config.tokens.map((token) => (token.symbol === 'EIGEN' ? { ...token, address: 'eigen.eth' } : token))
    expect(refusal(() => createStrategy({ config: { ...config, tokens }, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({
      name: 'BaseError',
      shortMessage: 'The address of EIGEN is not hexadecimal: eigen.eth.',
    })
  })

  it('names a merkle_rewards venue whose claims_file was never read into claims', async () => {
    const config = await checkedConfig()
    const drop = {
      type: 'merkle_rewards' as const,
      chain: 'ethereum',
      distributor: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      token: 'EIGEN',
      account: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      claims_file: 'claims.json',
    }
    expect(refusal(() => createStrategy({ config: { ...config, venues: { ...config.venues, drop } }, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({
      name: 'BaseError',
      code: 'invalid_config',
      shortMessage: 'The merkle_rewards venue drop has no claims.',
      details: 'Expected its claims inline (loadConfig reads claims_file into them), found none.',
    })
  })

  it('names a priced token that is not in the registry, listing the registry', async () => {
    const config = await checkedConfig()
    const prices = [{ type: 'static' as const, quote: 'USDT', prices: { DOGE: '0.1' } }]
    expect(refusal(() => createStrategy({ config: { ...config, prices }, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({
      name: 'BaseError',
      shortMessage: 'The token DOGE is not in the token registry (USDT, ETH, WETH, EIGEN, ETHFI, weETH).',
    })
  })

  it.each([
    ['uniswap_spot' as const, 'binance', 'The price source names binance, which is not a Uniswap venue.'],
    ['cex_mid' as const, 'uniswap', 'The price source names uniswap, which is not a CEX venue.'],
  ])('refuses a %s price source naming %s', async (type, venue, shortMessage) => {
    const config = await checkedConfig()
    expect(refusal(() => createStrategy({ config: { ...config, prices: [{ type, venue }] }, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({ name: 'BaseError', shortMessage })
  })

  it('names a gas price chain that is not configured, and one configured without the process chains', async () => {
    const config = await checkedConfig()
    const unknown = { ...config, gas_price: { base: { type: 'rpc' as const } } }
    expect(refusal(() => createStrategy({ config: unknown, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({
      name: 'BaseError',
      shortMessage: 'The chain base is not configured under chains ().',
    })
    const chains = { base: { rpc_url: 'http://127.0.0.1:8545', chain_id: 8453, multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11' } }
    expect(refusal(() => createStrategy({ config: { ...unknown, chains }, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({
      name: 'BaseError',
      shortMessage: "The usdt_test strategy reads the chain base: createStrategy needs the process's chains (createEvmChains()).",
    })
  })

  it('names an exchange balance venue that names no exchange', async () => {
    const config = await checkedConfig()
    const venues = { ...config.venues, account: { type: 'static' as const, source: 'exchange_balance' as const, chain: 'ethereum', balances: { EIGEN: '5' } } }
    expect(refusal(() => createStrategy({ config: { ...config, venues }, clock: fixtureClock(), env: {}, venueBuilders }))).toMatchObject({
      name: 'BaseError',
      shortMessage: 'The exchange balance venue account names no exchange.',
    })
  })

  it('names a fixed rate without a name "oracle"', async () => {
    const config = await checkedConfig()
    const prices = [...config.prices, { type: 'fixed_rate' as const, base: 'weETH', quote: 'ETH', rate: '1.05' }]
    const strategy = createStrategy({ config: { ...config, prices }, clock: fixtureClock(), env: {}, venueBuilders })
    expect(strategy.priceSources.map((source) => source.name)).toEqual(['static#0', 'oracle'])
  })
})
