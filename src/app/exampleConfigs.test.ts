import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Amount, type Currency, Fraction, Price, createCurrency, sumAmounts } from '../domain/money/index.js'
import { loadConfig } from './loadConfig.js'
import { fixtureClock } from '../../test/fixtureMoney.js'
import { deriveKeeperNeeds } from './keeper/deriveKeeperNeeds.js'
import { loadStrategies } from './loadStrategies.js'
import { checkStrategyConfig } from '../config/checkStrategyConfig.js'
import type { StrategyConfig } from '../config/schema.js'

const modes = fileURLToPath(new URL('../../configs/modes/', import.meta.url))

const ADDRESSES = {
  USDT: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
  WETH: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  weETH: '0xCd5fE23C85820F7B72D0926FC9b05b43E359b7ee',
  EIGEN: '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83',
  ETHFI: '0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB',
}

/** Currencies of the config's token registry, by symbol. */
function registry(config: StrategyConfig): Map<string, Currency> {
  return new Map(config.tokens.map((token) => [token.symbol, createCurrency({ symbol: token.symbol, decimals: token.decimals, chain: token.chain })]))
}

function currency(config: StrategyConfig, symbol: string): Currency {
  const found = registry(config).get(symbol)
  if (!found) throw new Error(`test setup: ${symbol} is not in the registry`)
  return found
}

/** Static prices of the config as exact `Price`s. */
function staticPrices(config: StrategyConfig): Price[] {
  return config.prices.flatMap((source) =>
    source.type !== 'static'
      ? []
      : Object.entries(source.prices ?? {}).map(([symbol, text]) => Price.fromDecimal(currency(config, symbol), currency(config, source.quote), text, { source: 'static', at: 0 })),
  )
}

function price(config: StrategyConfig, base: string, quote: string): Price {
  const found = staticPrices(config).find((candidate) => candidate.base.symbol === base && candidate.quote.symbol === quote)
  if (!found) throw new Error(`test setup: no static ${base}/${quote} price`)
  return found
}

/** The amount of `symbol` held across every static venue. */
function held(config: StrategyConfig, symbol: string): Amount {
  const amounts = Object.values(config.venues).flatMap((venue) => {
    if (venue.type !== 'static') return []
    const text = venue.balances?.[symbol]
    return text === undefined ? [] : [Amount.parse(currency(config, symbol), text)]
  })
  return sumAmounts(currency(config, symbol), amounts)
}

/** Checks what every shipped example shares: the registry, the books around the prices, the pools at the prices. */
function expectCommonSections(config: StrategyConfig) {
  for (const [symbol, address] of Object.entries(ADDRESSES)) {
    expect(config.tokens.find((token) => token.symbol === symbol)).toMatchObject({ chain: 'ethereum', address })
  }
  expect(config.tokens.find((token) => token.symbol === 'ETH')).toEqual({ symbol: 'ETH', chain: 'ethereum', decimals: 18 })
  expect(config.tokens.find((token) => token.symbol === 'USDT')?.decimals).toBe(6)
  expect(config.tokens.filter((token) => token.decimals === 18)).toHaveLength(5)

  expect(config.staking_enabled).toBe(true)
  expect(config.lst_type).toBe('weeth')
  expect(config.dust_delta).toBe('0.002')
  expect(config.dust_monitoring_interval).toBe(300)
  expect(config.dust_conversion_venue).toBe('binance')
  expect(config.ignore_tokens).toEqual([])
  expect(config.dust_tokens).toEqual({ EIGEN: { convert: true } })
  expect(config.execution).toEqual({ mode: 'dry-run', max_slippage_bps: 50 })
  expect(config.gas_price).toEqual({ ethereum: { type: 'static', gwei: '0.15' } })
  expect(config.venues.etherfi).toMatchObject({ type: 'static', source: 'claimable_rewards' })
  expect(config.venues.wallet).toMatchObject({ type: 'static', source: 'wallet_balance' })

  // weETH is priced in ETH at the Aave oracle's last rate, and so reaches USDT through ETH.
  const weethUsdt = price(config, 'weETH', 'ETH').multiply(price(config, 'ETH', 'USDT'))
  expect(weethUsdt.perToken().toDecimalString(18)).toBe('2694.66891594024375')

  // Every book brackets the static price: bids under it, asks over it, best first.
  const binance = config.venues.binance
  if (binance?.type !== 'static_cex') throw new Error('binance must be a static_cex venue')
  expect(binance.taker_fee_bps).toBe('10')
  expect(Object.keys(binance.markets).sort()).toEqual(['EIGEN/USDT', 'ETH/USDT', 'ETHFI/USDT'])
  for (const [market, book] of Object.entries(binance.markets)) {
    const [base = '', quote = ''] = market.split('/')
    const mid = price(config, base, quote).perToken()
    expect(book.bids.length).toBeGreaterThanOrEqual(3)
    expect(book.asks.length).toBeGreaterThanOrEqual(3)
    for (const [bid] of book.bids) expect(Fraction.fromDecimalString(bid).lessThan(mid)).toBe(true)
    for (const [ask] of book.asks) expect(Fraction.fromDecimalString(ask).greaterThan(mid)).toBe(true)
    expect(book.min_notional).toBe('5')
  }

  // Every pool's reserves are at the static price (WETH as ETH), with a few hundred thousand USDT of depth.
  const uniswap = config.venues.uniswap
  if (uniswap?.type !== 'static_amm') throw new Error('uniswap must be a static_amm venue')
  expect(uniswap.pools.map((pool) => pool.tokens.join('/'))).toEqual(['EIGEN/WETH', 'ETHFI/WETH', 'WETH/USDT'])
  const usdtPerToken = (symbol: string) => (symbol === 'USDT' ? Fraction.ONE : price(config, symbol === 'WETH' ? 'ETH' : symbol, 'USDT').perToken())
  for (const pool of uniswap.pools) {
    const [a, b] = pool.tokens
    const [reserveA, reserveB] = pool.reserves.map((text) => Fraction.fromDecimalString(text))
    if (!reserveA || !reserveB) throw new Error('a pool has two reserves')
    const valueA = reserveA.multiply(usdtPerToken(a))
    expect(valueA.equals(reserveB.multiply(usdtPerToken(b)))).toBe(true)
    expect(valueA.greaterThan(new Fraction(100_000n))).toBe(true)
    expect(pool.fee_bps).toBe('30')
  }
}

describe('configs/modes/usdt_eth_staking_hedged_simple.yaml', () => {
  it('loads, and its portfolio holds 2,660 USDT of dust: 0.266% of 1,000,000 USDT equity', async () => {
    const { config, secretPaths } = await loadConfig({ file: `${modes}usdt_eth_staking_hedged_simple.yaml`, env: {} })
    expect(secretPaths.size).toBe(0)
    expect(config.mode).toBe('usdt_eth_staking_hedged_simple')
    expect(config.share_class).toBe('USDT')
    expect(config.asset).toBe('ETH')
    expect(config.dust_conversion_path).toEqual(['EIGEN', 'USDT'])
    expect(config.venues.etherfi).toMatchObject({ balances: { EIGEN: '1500' } })
    expect(config.venues.wallet).toMatchObject({ balances: { EIGEN: '20', ETHFI: '800' } })
    expect(config.prices[0]).toEqual({ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500' } })
    expect(config.equity).toEqual({ type: 'static', value: '1000000' })
    expectCommonSections(config)

    const eigen = held(config, 'EIGEN')
    expect(eigen.toDecimalString()).toBe('1520')
    const dust = price(config, 'EIGEN', 'USDT')
      .quoteAmount(eigen, 'down')
      .add(price(config, 'ETHFI', 'USDT').quoteAmount(held(config, 'ETHFI'), 'down'))
    expect(dust.toString()).toBe('2660 USDT')
    const ratio = dust.toTokens().divide(Fraction.fromDecimalString(config.equity.type === 'static' ? (config.equity.value ?? '') : ''))
    expect(ratio.equals(Fraction.fromDecimalString('0.00266'))).toBe(true)
    expect(ratio.greaterThan(Fraction.fromDecimalString(config.dust_delta))).toBe(true)
  })
})

describe('configs/modes/eth_leveraged.yaml', () => {
  it('loads, values equity from holdings in ETH (~1,011 ETH) and holds dust above dust_delta', async () => {
    const { config } = await loadConfig({ file: `${modes}eth_leveraged.yaml`, env: {} })
    expect(config.mode).toBe('eth_leveraged')
    expect(config.share_class).toBe('ETH')
    expect(config.asset).toBe('ETH')
    expect(config.dust_conversion_path).toEqual(['EIGEN', 'USDT', 'ETH'])
    expect(config.equity).toEqual({ type: 'holdings' })
    expectCommonSections(config)

    const ethUsdt = price(config, 'ETH', 'USDT')
    const inEth = (symbol: string) => price(config, symbol, 'USDT').multiply(ethUsdt.invert()).quoteAmount(held(config, symbol), 'down')
    const dust = inEth('EIGEN').add(inEth('ETHFI'))
    expect(inEth('EIGEN').toDecimalString()).toBe('2.02')
    expect(dust.toString()).toBe('2.476 ETH')
    const weeth = price(config, 'weETH', 'ETH').quoteAmount(held(config, 'weETH'), 'down')
    expect(weeth.toDecimalString()).toBe('1008.88404212802726')
    const equity = weeth.add(dust)
    expect(equity.toDecimalString()).toBe('1011.36004212802726')
    const ratio = dust.toTokens().divide(equity.toTokens())
    expect(ratio.toSignificant(3)).toBe('0.00245')
    expect(ratio.greaterThan(Fraction.fromDecimalString(config.dust_delta))).toBe(true)
  })
})

describe('configs/modes/usdt_eth_mainnet_readonly.yaml', () => {
  const env = { ETH_RPC_URL: 'https://user:secret@rpc.example/v2', DUST_WALLET: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }

  it('loads with its RPC URL and wallet from the environment, real venues and dry-run', async () => {
    const { config, secretPaths } = await loadConfig({ file: `${modes}usdt_eth_mainnet_readonly.yaml`, env })
    expect([...secretPaths].sort()).toEqual(['chains.ethereum.rpc_url', 'venues.merkl.account', 'venues.wallet.address'])
    expect(config.chains.ethereum).toEqual({
      rpc_url: env.ETH_RPC_URL,
      chain_id: 1,
      multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11',
      max_gas_price_gwei: '30',
    })
    expect(Object.fromEntries(Object.entries(config.venues).map(([name, venue]) => [name, venue.type]))).toEqual({
      wallet: 'evm_wallet',
      merkl: 'merkl',
      uniswap: 'uniswap_v3',
      uniswap_v2: 'uniswap_v2',
      binance: 'ccxt',
    })
    expect(config.venues.uniswap).toMatchObject({
      pools: [
        { tokens: ['EIGEN', 'WETH'], fee: 3000 },
        { tokens: ['ETHFI', 'WETH'], fee: 3000 },
        { tokens: ['WETH', 'USDT'], fee: 500 },
      ],
    })
    expect(config.venues.binance).toMatchObject({ paper: true, exchange: 'binance' })
    expect(config.execution.mode).toBe('dry-run')
    expect(checkStrategyConfig(config)).toEqual([])
  })

  it('reads rewards from Merkl, weETH at its on-chain rate and ETH through Chainlink, with discovery on', async () => {
    const loaded = await loadConfig({ file: `${modes}usdt_eth_mainnet_readonly.yaml`, env })
    const { config } = loaded
    expect(config.venues.merkl).toEqual({
      type: 'merkl',
      chain: 'ethereum',
      account: env.DUST_WALLET,
      distributor: '0x3Ef3D8bA38EBe18DB133cEc108f4D14CE00Dd9Ae',
      proofs_url: 'https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}',
    })
    expect(config.venues.wallet).toMatchObject({ type: 'evm_wallet' })
    expect(config.venues.wallet).not.toHaveProperty('discover', false)
    expect(config.prices.some((source) => source.type === 'fixed_rate')).toBe(false)
    // Built without touching the network: each source is named after what it reads.
    const strategies = await loadStrategies({ loaded: [loaded], clock: fixtureClock(), env, withSigner: false })
    expect(strategies[0]?.priceSources.map((source) => source.name)).toEqual(['lst_rate:weETH/ETH', 'chainlink:weETH/ETH', 'chainlink:ETH/USDT', 'uniswap', 'uniswap_v2', 'binance'])
    // Binance without keys has no account to read: its books price and quote, nothing more.
    expect(strategies[0]?.balanceSources.map((source) => source.name)).toEqual(['wallet', 'merkl'])
  })

  it('names the missing environment variables', async () => {
    await expect(loadConfig({ file: `${modes}usdt_eth_mainnet_readonly.yaml`, env: {} })).rejects.toMatchObject({
      issues: [
        { path: 'chains.ethereum.rpc_url', expected: 'the environment variable ETH_RPC_URL to be set', found: 'it unset' },
        { path: 'venues.wallet.address', expected: 'the environment variable DUST_WALLET to be set', found: 'it unset' },
        { path: 'venues.merkl.account', expected: 'the environment variable DUST_WALLET to be set', found: 'it unset' },
      ],
    })
  })
})

describe('configs/modes/usdt_eth_mainnet_keeper.yaml', () => {
  const env = {
    ETH_RPC_URL: 'https://user:secret@rpc.example/v2',
    DUST_SAFE: '0x1111111111111111111111111111111111111111',
    DUST_ROLES_MODIFIER: '0x3333333333333333333333333333333333333333',
    DUST_KEEPER: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    BINANCE_DEPOSIT_ADDRESS: '0x4444444444444444444444444444444444444444',
  }

  it("loads live with a keeper of the Safe's Roles modifier, the Safe holding the funds and claiming the rewards", async () => {
    const { config } = await loadConfig({ file: `${modes}usdt_eth_mainnet_keeper.yaml`, env })
    expect(config.execution).toEqual({
      mode: 'live',
      max_slippage_bps: 50,
      signer: {
        type: 'roles',
        private_key_env: 'DUST_KEEPER_KEY',
        chain: 'ethereum',
        safe: env.DUST_SAFE,
        roles_modifier: env.DUST_ROLES_MODIFIER,
        role: 'dust-keeper',
        keeper: env.DUST_KEEPER,
        multi_send: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
        roles_from_block: 0,
      },
    })
    expect(config.venues.safe).toMatchObject({ type: 'evm_wallet', address: env.DUST_SAFE })
    expect(config.venues.merkl).toMatchObject({ account: env.DUST_SAFE })
    expect(config.gas_units.role_execution).toBe(80_000n)
    expect(checkStrategyConfig(config)).toEqual([])
  })

  it('needs a role of six functions, derived offline: the Merkl claim, EIGEN and ETHFI approvals and deposits, the V3 swap', async () => {
    const { config } = await loadConfig({ file: `${modes}usdt_eth_mainnet_keeper.yaml`, env })
    const needs = deriveKeeperNeeds(config)
    expect(needs.needs.map((need) => [need.label, need.signature])).toEqual([
      ['merkl distributor of merkl', 'claim(address[],address[],uint256[],bytes32[][])'],
      ['EIGEN', 'approve(address,uint256)'],
      ['EIGEN', 'transfer(address,uint256)'],
      ['ETHFI', 'approve(address,uint256)'],
      ['ETHFI', 'transfer(address,uint256)'],
      ['uniswap_v3 router of uniswap', 'exactInput((bytes,address,uint256,uint256,uint256))'],
    ])
    // The V2 venue has no path from EIGEN or ETHFI to USDT (only its WETH/USDT pool): the role lets nothing be approved to its router.
    expect(needs.needs.some((need) => need.label.includes('uniswap_v2'))).toBe(false)
  })
})
