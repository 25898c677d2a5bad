import { describe, expect, it } from 'vitest'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../test/fixtureConfig.js'
import { FIXED_TIME, fixtureClock } from '../../test/fixtureMoney.js'
import { fixtureLoadedConfig, fixtureStrategy } from '../../test/fixtureStrategy.js'
import { UsageError } from '../errors/index.js'
import { createPriceBook } from '../domain/money/index.js'
import { createDustPolicy, createStrategy } from './createStrategy.js'

const PAPER = `${FIXTURE_CONFIG_YAML}execution: { mode: paper }\n`
const NO_WALLET = fixtureConfigWith('  wallet:  { type: static, source: wallet_balance, balances: { EIGEN: "20", ETHFI: "800" } }\n', '')

describe('createStrategy', () => {
  it('builds the dust policy from the configuration', async () => {
    const { policy } = await fixtureStrategy(`${FIXTURE_CONFIG_YAML}dust_tokens: { ETHFI: { convert: false }, EIGEN: { max_sell_per_run: "500" } }\nignore_tokens: [SPAM]\n`)
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
    const strategy = createStrategy({ config, clock: fixtureClock() })
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
      gasUnits: { claim: 90_000n, approve: 55_000n, transfer: 65_000n },
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
    const strategy = createStrategy({ config, clock: fixtureClock() })
    expect(strategy.executionMode).toBe('live')
    expect(strategy.executionManager).toBeUndefined()
  })
})
