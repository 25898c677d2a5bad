import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, FileRefusedError } from '../errors/index.js'
import type { ConfigFiles } from './ConfigFiles.js'
import { checkStrategyConfig, inlineFileReferences } from './checkStrategyConfig.js'
import { strategyConfigSchema } from './schema.js'

/** A few of the exchange ids ccxt knows, as `ccxt.exchanges` lists them. */
const CCXT_EXCHANGES = ['binance', 'coinbase', 'kraken', 'okx']

const BASE = {
  mode: 'check_test',
  share_class: 'USDT',
  asset: 'ETH',
  dust_delta: '0.002',
  tokens: [
    { symbol: 'USDT', decimals: 6 },
    { symbol: 'ETH', decimals: 18 },
    { symbol: 'WETH', decimals: 18 },
    { symbol: 'EIGEN', decimals: 18 },
  ],
  venues: { wallet: { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20' } } },
}

/** Checks BASE with some keys replaced; returns the issues without their key path arrays. */
function check(overrides: Record<string, unknown>) {
  const config = strategyConfigSchema.parse({ ...BASE, ...overrides })
  return checkStrategyConfig(config, { ccxtExchanges: CCXT_EXCHANGES }).map(({ path, expected, found }) => ({ path, expected, found }))
}

describe('checkStrategyConfig', () => {
  it('finds nothing wrong with a consistent configuration', () => {
    expect(check({})).toEqual([])
  })

  it('rejects a symbol listed twice in the token registry', () => {
    expect(check({ tokens: [...BASE.tokens, { symbol: 'USDT', decimals: 18 }] })).toEqual([
      { path: 'tokens[4].symbol', expected: 'each symbol once in the token registry', found: '"USDT" a second time' },
    ])
  })

  it('rejects share_class, asset and conversion path steps missing from the registry', () => {
    expect(check({ share_class: 'DAI', asset: 'BTC', dust_conversion_path: ['EIGEN', 'USDC'] })).toEqual([
      { path: 'share_class', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"DAI"' },
      { path: 'asset', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"BTC"' },
      { path: 'dust_conversion_path[1]', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"USDC"' },
    ])
  })

  it('rejects an equivalence between tokens of different decimals, and one naming a token the registry lacks', () => {
    const tokens = [...BASE.tokens, { symbol: 'WBTC', decimals: 8 }]
    expect(check({ tokens, equivalents: { WETH: 'ETH', WBTC: 'ETH' } })).toEqual([
      { path: 'equivalents.WBTC', expected: 'WBTC and ETH to have the same decimals to count one as the other', found: '8 and 18' },
    ])
    const registry = 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)'
    expect(check({ equivalents: { stETH: 'ETH', WETH: 'ETh' } })).toEqual([
      { path: 'equivalents.stETH', expected: registry, found: '"stETH"' },
      { path: 'equivalents.WETH', expected: registry, found: '"ETh" (did you mean ETH?)' },
    ])
  })

  it('accepts the default equivalence and LSTs when the registry lacks them, and nothing else unknown', () => {
    const tokens = BASE.tokens.filter((token) => token.symbol !== 'WETH')
    expect(check({ tokens, venues: { wallet: { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20' } } } })).toEqual([])
    expect(check({ tokens, equivalents: { WETH: 'ETH' }, lst_tokens: ['weETH', 'wstETH'] })).toEqual([])
    expect(check({ lst_tokens: ['weETH', 'rsETH'], ignore_tokens: ['EIGEN', 'SPAM'] })).toEqual([
      { path: 'lst_tokens[1]', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"rsETH"' },
      { path: 'ignore_tokens[1]', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"SPAM"' },
    ])
  })

  it('names no venue, chain or exchange after a property every object has', () => {
    const config = {
      dust_conversion_venue: 'constructor',
      venues: {
        wallet: { type: 'static', source: 'exchange_balance', exchange: 'toString', balances: { EIGEN: '20' } },
        rewards: { type: 'merkle_rewards', chain: 'hasOwnProperty', distributor: `0x${'1'.repeat(40)}`, token: 'EIGEN', account: `0x${'2'.repeat(40)}`, claims: { merkleRoot: '0x00', claims: {} } },
      },
      prices: [{ type: 'cex_mid', venue: 'valueOf' }],
    }
    expect(check(config).map(({ path, found }) => `${path} ${found}`)).toEqual([
      'venues.wallet.exchange "toString"',
      'dust_conversion_venue "constructor"',
      'prices[0].venue "valueOf"',
      'venues.rewards.chain "hasOwnProperty"',
    ])
  })

  it('requires the backtest to model its venues under distinct names', () => {
    expect(check({ backtest: { dex: { name: 'binance' } } })).toEqual([{ path: 'backtest.cex.name', expected: 'a name other than the DEX\'s ("binance")', found: '"binance"' }])
    expect(check({ backtest: { cex: { name: 'etherfi' } } })).toEqual([{ path: 'backtest.cex.name', expected: 'a name other than the rewards venue\'s ("etherfi")', found: '"etherfi"' }])
  })

  it('checks dust token settings: known symbol, max_sell_per_run within decimals', () => {
    expect(check({ dust_tokens: { FOO: { convert: false }, EIGEN: { max_sell_per_run: '1.0000000000000000001' } } })).toEqual([
      { path: 'dust_tokens.FOO', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"FOO"' },
      { path: 'dust_tokens.EIGEN.max_sell_per_run', expected: 'at most 18 decimals for EIGEN', found: '"1.0000000000000000001"' },
    ])
  })

  it('requires an exchange balance to name a CEX venue', () => {
    const account = { type: 'static', source: 'exchange_balance', exchange: 'wallet', balances: { EIGEN: '5' } }
    expect(check({ venues: { ...BASE.venues, account } })).toEqual([{ path: 'venues.account.exchange', expected: 'the name of a CEX venue (none configured)', found: '"wallet"' }])
    const binance = { type: 'static_cex', markets: {} }
    expect(check({ venues: { ...BASE.venues, binance, account: { ...account, exchange: 'okx' } } })).toEqual([
      { path: 'venues.account.exchange', expected: 'the name of a CEX venue (binance)', found: '"okx"' },
    ])
    expect(check({ venues: { ...BASE.venues, binance, account: { ...account, exchange: 'binance' } } })).toEqual([])
  })

  it('lets an exchange balance and a cex_mid price source name a ccxt venue', () => {
    const binance = { type: 'ccxt' }
    const account = { type: 'static', source: 'exchange_balance', exchange: 'binance', balances: { EIGEN: '5' } }
    expect(check({ venues: { ...BASE.venues, binance, account }, prices: [{ type: 'cex_mid', venue: 'binance' }] })).toEqual([])
    const kraken = { type: 'static_cex', markets: {} }
    expect(check({ venues: { ...BASE.venues, binance, kraken, account: { ...account, exchange: 'wallet' } }, prices: [{ type: 'cex_mid', venue: 'wallet' }] })).toEqual([
      { path: 'venues.account.exchange', expected: 'the name of a CEX venue (binance, kraken)', found: '"wallet"' },
      { path: 'prices[0].venue', expected: 'the name of a CEX venue (binance, kraken)', found: '"wallet"' },
    ])
  })

  it('checks a ccxt venue: an exchange ccxt knows, markets of registry tokens, once each', () => {
    expect(strategyConfigSchema.parse({ ...BASE, venues: { binance: { type: 'ccxt' } } }).venues.binance).toEqual({
      type: 'ccxt',
      exchange: 'binance',
      paper: true,
      deposit_chain: 'ethereum',
      sandbox: false,
    })
    const binance = { type: 'ccxt', exchange: 'binanse', markets: ['EIGEN/USDT', 'EIGEN/DAI', 'USDT/USDT', 'EIGEN/USDT'] }
    expect(check({ venues: { ...BASE.venues, binance } })).toEqual([
      { path: 'venues.binance.exchange', expected: 'an exchange id ccxt knows (one of the 4 of ccxt.exchanges, such as binance, coinbase, kraken or okx)', found: '"binanse"' },
      { path: 'venues.binance.markets[1]', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"DAI"' },
      { path: 'venues.binance.markets[2]', expected: 'a market of two different tokens', found: '"USDT/USDT"' },
      { path: 'venues.binance.markets[3]', expected: 'each market once', found: '"EIGEN/USDT" a second time' },
    ])
    // Without the list of ccxt's exchanges (no ccxt loaded), the exchange id is left to the venue's builder.
    const config = strategyConfigSchema.parse({ ...BASE, venues: { ...BASE.venues, binance: { type: 'ccxt', exchange: 'binanse' } } })
    expect(checkStrategyConfig(config)).toEqual([])
  })

  it('requires the API key variables of a ccxt venue that sends real orders, and both or neither on paper', () => {
    expect(check({ venues: { ...BASE.venues, binance: { type: 'ccxt', paper: false } } })).toEqual([
      { path: 'venues.binance.api_key_env', expected: 'the name of the environment variable holding the API key: real orders (paper: false) need it', found: 'none' },
      { path: 'venues.binance.secret_env', expected: 'the name of the environment variable holding the API secret: real orders (paper: false) need it', found: 'none' },
    ])
    expect(check({ venues: { ...BASE.venues, binance: { type: 'ccxt', api_key_env: 'BINANCE_API_KEY' } } })).toEqual([
      { path: 'venues.binance.secret_env', expected: 'the name of the environment variable holding the API secret, since api_key_env is given (both or neither)', found: 'none' },
    ])
    expect(check({ venues: { ...BASE.venues, binance: { type: 'ccxt', paper: false, api_key_env: 'BINANCE_API_KEY', secret_env: 'BINANCE_SECRET' } } })).toEqual([])
  })

  it('rejects in the schema a malformed market, an unknown key, and a key pasted in place of its variable name, without echoing it', () => {
    const result = strategyConfigSchema.safeParse({ ...BASE, venues: { binance: { type: 'ccxt', markets: ['EIGENUSDT'], apiKey: 'x' } } })
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['venues.binance.markets.0', 'a market name BASE/QUOTE'],
      ['venues.binance', 'Unrecognized key: "apiKey"'],
    ])
    const pasted = strategyConfigSchema.safeParse({ ...BASE, venues: { binance: { type: 'ccxt', api_key_env: 'vmPUZE6mv9SD5VNHk4HlWFsOr', secret_env: 'BINANCE_SECRET' } } })
    expect(pasted.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['venues.binance', 'api_key_env to be the name of an environment variable, such as BINANCE_API_KEY (the value itself is not shown)'],
    ])
  })

  it('checks CEX markets: symbols, positive prices, sizes within decimals, book order, amount step and balances', () => {
    const binance = {
      type: 'static_cex',
      balances: { FOO: '1' },
      markets: {
        'EIGEN/DAI': {
          amount_step: '0',
          bids: [
            ['0', '1'],
            ['1.2', '1.0000000000000000001'],
          ],
          asks: [
            ['1.3', '1'],
            ['1.25', '1'],
          ],
        },
        'EIGEN/USDT': { amount_step: '0.0000000000000000001', bids: [['1.24', '10']], asks: [['1.26', '10']] },
      },
    }
    const issues = check({ venues: { binance } })
    expect(issues).toEqual([
      { path: 'venues.binance.balances.FOO', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"FOO"' },
      { path: 'venues.binance.markets.EIGEN/DAI', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"DAI"' },
      { path: 'venues.binance.markets.EIGEN/DAI.bids[0][0]', expected: 'a positive price', found: '"0"' },
      { path: 'venues.binance.markets.EIGEN/DAI.bids[1][1]', expected: 'at most 18 decimals for EIGEN', found: '"1.0000000000000000001"' },
      { path: 'venues.binance.markets.EIGEN/DAI.bids', expected: 'bids with strictly falling prices, best first', found: 'them out of order' },
      { path: 'venues.binance.markets.EIGEN/DAI.asks', expected: 'asks with strictly rising prices, best first', found: 'them out of order' },
      { path: 'venues.binance.markets.EIGEN/DAI.amount_step', expected: 'a positive amount step', found: '"0"' },
      { path: 'venues.binance.markets.EIGEN/USDT.amount_step', expected: 'at most 18 decimals for EIGEN', found: '"0.0000000000000000001"' },
    ])
  })

  it('checks AMM pools: symbols, reserves, two different tokens, fee under 100%', () => {
    const uniswap = {
      type: 'static_amm',
      pools: [
        { tokens: ['EIGEN', 'EIGEN'], reserves: ['0', '1'], fee_bps: '10000' },
        { tokens: ['FOO', 'WETH'], reserves: ['1', '1.0000000000000000001'] },
        { tokens: ['WETH', 'USDT'], reserves: ['100', '250000'], fee_bps: '30' },
      ],
    }
    expect(check({ venues: { ...BASE.venues, uniswap } })).toEqual([
      { path: 'venues.uniswap.pools[0].reserves[0]', expected: 'a positive reserve', found: '"0"' },
      { path: 'venues.uniswap.pools[0].tokens', expected: 'two different tokens', found: '"EIGEN" twice' },
      { path: 'venues.uniswap.pools[0].fee_bps', expected: 'a fee under 10000 bps', found: '"10000"' },
      { path: 'venues.uniswap.pools[1].tokens[0]', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"FOO"' },
      { path: 'venues.uniswap.pools[1].reserves[1]', expected: 'at most 18 decimals for WETH', found: '"1.0000000000000000001"' },
    ])
  })

  it('checks price sources: known quote and symbols, positive prices', () => {
    expect(check({ prices: [{ type: 'static', quote: 'DAI', prices: { FOO: '1', EIGEN: '0' } }] })).toEqual([
      { path: 'prices[0].quote', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"DAI"' },
      { path: 'prices[0].prices.FOO', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN)', found: '"FOO"' },
      { path: 'prices[0].prices.EIGEN', expected: 'a positive price', found: '"0"' },
    ])
  })

  it('requires a gas price chain to be a chain of the token registry', () => {
    expect(check({ gas_price: { ethereum: { type: 'static', gwei: '0.15' }, arbitrum: { type: 'static', gwei: '0.01' } } })).toEqual([
      { path: 'gas_price.arbitrum', expected: 'a chain of the token registry (ethereum)', found: '"arbitrum"' },
    ])
  })

  it('keeps the key path of each issue for finding its line', () => {
    const config = strategyConfigSchema.parse({ ...BASE, dust_conversion_venue: 'binance' })
    expect(checkStrategyConfig(config)).toEqual([{ keyPath: ['dust_conversion_venue'], path: 'dust_conversion_venue', expected: 'the name of a configured venue (wallet)', found: '"binance"' }])
  })
})

describe('inlineFileReferences', () => {
  const dir = join('/', 'config-folder')
  /** Files kept in memory; a missing one is refused as the system reader refuses it. */
  const files = (contents: Record<string, string> = {}, refusals: Record<string, string> = {}): ConfigFiles => ({
    async read({ file }) {
      const refused = refusals[file]
      if (refused !== undefined) throw new FileRefusedError(file, refused)
      const text = contents[file]
      if (text === undefined) throw new FileRefusedError(file, 'no such file')
      return text
    },
    resolve: async ({ file }) => file,
  })

  it('returns a configuration without references unchanged in value', async () => {
    const config = strategyConfigSchema.parse(BASE)
    expect(await inlineFileReferences(config, { files: files(), baseDir: dir, env: {} })).toEqual(config)
  })

  it('replaces a reference with the content of the file beside the configuration', async () => {
    const config = strategyConfigSchema.parse({ ...BASE, equity: { type: 'static', file: 'equity.yaml' } })
    const inlined = await inlineFileReferences(config, { files: files({ [join(dir, 'equity.yaml')]: 'value: "42"\n' }), baseDir: dir, env: {} })
    expect(inlined.equity).toEqual({ type: 'static', file: 'equity.yaml', value: '42' })
  })

  it('names the reference itself when it does not know the configuration file', async () => {
    const config = strategyConfigSchema.parse({ ...BASE, equity: { type: 'static', file: 'equity.yaml' } })
    const error = await inlineFileReferences(config, { files: files(), baseDir: dir, env: {} }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toMatchObject({
      file: 'equity.yaml',
      issues: [
        {
          path: 'equity.file',
          line: undefined,
          expected: "a regular text file of at most 16 MiB inside the configuration's folder (or DUST_SECRETS_DIR, when set)",
          found: `${join(dir, 'equity.yaml')}: no such file`,
        },
      ],
    })
  })

  it('says what went wrong when a reference exists but cannot be read', async () => {
    const config = strategyConfigSchema.parse({ ...BASE, equity: { type: 'static', file: '.' } })
    const refused = files({}, { [dir]: 'a folder, not a regular file' })
    const error = await inlineFileReferences(config, { files: refused, baseDir: dir, env: {}, file: 'config.yaml', lineOf: () => 12 }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ file: 'config.yaml', issues: [{ path: 'equity.file', line: 12, found: `${dir}: a folder, not a regular file` }] })
  })
})
