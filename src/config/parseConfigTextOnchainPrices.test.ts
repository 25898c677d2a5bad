import { describe, expect, it } from 'vitest'
import { NO_FILES, configIssuesOf } from '../../test/configIssues.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../test/fixtureConfig.js'
import type { ConfigFiles } from './ConfigFiles.js'
import { parseConfigText } from './parseConfigText.js'

const files: ConfigFiles = NO_FILES
const deps = { files, ccxtExchanges: async () => ['binance'] }

const CHAINLINK = `  - type: chainlink
    chain: ethereum
    feeds:
      - { base: ETH, quote: USD, address: "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419", heartbeat_seconds: 3600 }
      - { base: USDT, quote: USD, address: "0x3E7d1eAB13ad0104d2750B8863b489D65364e32D", heartbeat_seconds: 86400 }
      - { base: weETH, quote: ETH, address: "0x5c9C449BbC9a6075A2c061dF312a35fd1E05fF22", heartbeat_seconds: 86400 }
`
const LST_RATE = `  - { type: lst_rate, chain: ethereum, base: weETH, quote: ETH, method: getRate }
`
/** The fixture with a chain, a Chainlink source and an on-chain weETH rate after its static prices. */
const BASE = fixtureConfigWith(
  'equity: { type: static, value: "1000000" }',
  `${CHAINLINK}${LST_RATE}equity: { type: static, value: "1000000" }\nchains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 1 } }`,
  FIXTURE_CONFIG_YAML,
)

const issuesOf = (text: string) => configIssuesOf(text, files)

describe('parseConfigText with chainlink and lst_rate price sources', () => {
  it('accepts the suggested Chainlink feeds and an on-chain weETH rate', async () => {
    expect(await issuesOf(BASE)).toEqual([])
    const loaded = await parseConfigText(deps, { text: BASE, file: '/configs/strategy.yaml', env: {} })
    expect(loaded.config.prices.slice(1)).toEqual([
      {
        type: 'chainlink',
        chain: 'ethereum',
        feeds: [
          { base: 'ETH', quote: 'USD', address: '0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419', heartbeat_seconds: 3600 },
          { base: 'USDT', quote: 'USD', address: '0x3E7d1eAB13ad0104d2750B8863b489D65364e32D', heartbeat_seconds: 86_400 },
          { base: 'weETH', quote: 'ETH', address: '0x5c9C449BbC9a6075A2c061dF312a35fd1E05fF22', heartbeat_seconds: 86_400 },
        ],
      },
      { type: 'lst_rate', chain: 'ethereum', base: 'weETH', quote: 'ETH', method: 'getRate' },
    ])
  })

  it('refuses each bad key of a chainlink source, naming it', async () => {
    const issues = (from: string, to: string) => issuesOf(fixtureConfigWith(from, to, BASE))
    const registry = 'a symbol from the token registry (USDT, ETH, WETH, EIGEN, ETHFI, weETH)'
    const unit = `${registry}, or a unit (such as USD) that another feed of this source quotes in`
    expect(await issues('heartbeat_seconds: 3600 }', '}')).toEqual([
      { path: 'prices[1].feeds[0].heartbeat_seconds', expected: "the feed's heartbeat in seconds, as Chainlink publishes it", found: 'nothing (the key is missing)' },
    ])
    expect(await issues('heartbeat_seconds: 3600 }', 'heartbeat_seconds: 1h }')).toEqual([{ path: 'prices[1].feeds[0].heartbeat_seconds', expected: 'a whole number from 1 to 604800', found: '"1h"' }])
    expect(await issues('heartbeat_seconds: 3600 }', 'heartbeat_seconds: 0 }')).toEqual([{ path: 'prices[1].feeds[0].heartbeat_seconds', expected: 'a whole number from 1 to 604800', found: '"0"' }])
    expect(await issues('heartbeat_seconds: 3600 }', 'heartbeat_seconds: 3600, decimals: 8 }')).toEqual([{ path: 'prices[1].feeds[0]', expected: 'only known keys', found: 'unknown key "decimals"' }])
    // One letter in the wrong case: the checksum catches it.
    expect(await issues('"0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"', '"0x5f4eC3Df9cbd43714FE2740F5E3616155c5b8419"')).toEqual([
      {
        path: 'prices[1].feeds[0].address',
        expected: 'an address whose mixed case matches its EIP-55 checksum (or written in one case)',
        found: '"0x5f4eC3Df9cbd43714FE2740F5E3616155c5b8419"',
      },
    ])
    expect(await issues('    chain: ethereum\n', '    chain: base\n')).toEqual([{ path: 'prices[1].chain', expected: 'a chain configured under chains (ethereum)', found: '"base"' }])
    expect(await issues('    feeds:\n      - { base: ETH', '    unused: 1\n    feeds:\n      - { base: ETH')).toEqual([
      { path: 'prices[1]', expected: 'only known keys', found: 'unknown key "unused"' },
    ])
    // A base outside the registry; then USD joins nothing, which the USDT feed is told.
    expect(await issues('{ base: ETH, quote: USD,', '{ base: ETHX, quote: USD,')).toEqual([
      { path: 'prices[1].feeds[0].base', expected: registry, found: '"ETHX"' },
      { path: 'prices[1].feeds[1].quote', expected: unit, found: '"USD" in no other feed' },
    ])
    expect(await issues('{ base: USDT, quote: USD,', '{ base: USDT, quote: EUR,')).toEqual([
      { path: 'prices[1].feeds[0].quote', expected: unit, found: '"USD" in no other feed' },
      { path: 'prices[1].feeds[1].quote', expected: unit, found: '"EUR" in no other feed' },
    ])
    expect(await issues('{ base: weETH, quote: ETH,', '{ base: ETH, quote: USD,')).toEqual([
      { path: 'prices[1].feeds[2]', expected: 'each base/quote pair once in a chainlink source', found: 'ETH/USD a second time' },
    ])
    // A second chainlink source needs a name of its own: its pairs would be named as the first's.
    const second = '  - { type: chainlink, chain: ethereum, feeds: [{ base: weETH, quote: ETH, address: "0x5c9C449BbC9a6075A2c061dF312a35fd1E05fF22", heartbeat_seconds: 86400 }] }\n'
    expect(await issues(LST_RATE, second)).toEqual([{ path: 'prices[2].name', expected: 'a name other than that of prices[1] ("chainlink")', found: 'none (so "chainlink")' }])
    expect(await issues(LST_RATE, second.replace('type: chainlink,', 'type: chainlink, name: chainlink-arbitrum,'))).toEqual([])
    expect(await issues('{ base: weETH, quote: ETH,', '{ base: weETH, quote: weETH,')).toEqual([{ path: 'prices[1].feeds[2].quote', expected: 'a quote other than the base', found: '"weETH" twice' }])
  })

  it('refuses each bad key of an lst_rate source, naming it', async () => {
    const issues = (to: string) => issuesOf(fixtureConfigWith(LST_RATE, `  - { type: lst_rate, chain: ethereum, ${to} }\n`, BASE))
    const methods = 'one of "getRate", "stEthPerToken", "convertToAssets"'
    expect(await issues('base: weETH, quote: ETH, method: rate')).toEqual([{ path: 'prices[2].method', expected: methods, found: '"rate"' }])
    expect(await issues('base: weETH, quote: ETH')).toEqual([{ path: 'prices[2].method', expected: methods, found: 'nothing (the key is missing)' }])
    expect(await issues('base: weETH, quote: ETH, method: getRate, rate: "1.05"')).toEqual([{ path: 'prices[2]', expected: 'only known keys', found: 'unknown key "rate"' }])
    expect(await issues('base: weETH, quote: ETH, method: getRate, contract: "0xabc"')).toEqual([{ path: 'prices[2].contract', expected: 'a 0x-prefixed 20-byte hex address', found: '"0xabc"' }])
    expect(await issues('base: weETH, quote: weETH, method: getRate')).toEqual([{ path: 'prices[2].quote', expected: 'a quote other than the base', found: '"weETH" twice' }])
    // On a chain not configured, where the registry's weETH (on ethereum) is no default contract either.
    expect(await issuesOf(fixtureConfigWith(LST_RATE, '  - { type: lst_rate, chain: arbitrum, base: weETH, quote: ETH, method: getRate }\n', BASE))).toEqual([
      { path: 'prices[2].chain', expected: 'a chain configured under chains (ethereum)', found: '"arbitrum"' },
      { path: 'prices[2].contract', expected: 'the address of the contract answering getRate(), or a base token with an address on arbitrum', found: 'none, and weETH is on ethereum' },
    ])
    // No contract given, and the base token has no address to default to.
    expect(await issues('base: ETH, quote: WETH, method: getRate')).toEqual([
      { path: 'prices[2].contract', expected: 'the address of the contract answering getRate(), or a base token with an address on ethereum', found: 'none, and ETH is a native coin' },
    ])
    // convertToAssets answers in the vault's asset, an ERC-20: a native coin cannot be it.
    expect(await issues('base: WETH, quote: ETH, method: convertToAssets')).toEqual([
      { path: 'prices[2].quote', expected: "the vault's asset: an ERC-20 token with an address", found: 'ETH, a native coin' },
    ])
    expect(await issues('base: weETH, quote: ETH, method: stEthPerToken, contract: "0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0"')).toEqual([])
  })
})
