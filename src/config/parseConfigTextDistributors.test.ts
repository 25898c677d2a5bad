import { describe, expect, it } from 'vitest'
import { configIssuesOf } from '../../test/configIssues.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../test/fixtureConfig.js'
import { FileRefusedError } from '../errors/index.js'
import type { ConfigFiles } from './ConfigFiles.js'
import { parseConfigText } from './parseConfigText.js'

const resolved: string[] = []
const files: ConfigFiles = {
  read: async ({ file }) => Promise.reject(new Error(`No file is read in this test, asked for ${file}.`)),
  // A proofs file under the configuration's folder resolves (through a link) to /srv; anything else is refused.
  resolve: async ({ file }) => {
    resolved.push(file)
    if (file.startsWith('/configs/proofs/')) return file.replace('/configs/', '/srv/dust/')
    throw new FileRefusedError(file, "a path that leads outside the configuration's folder (/configs): to /etc/passwd")
  },
}
const deps = { files, ccxtExchanges: async () => ['binance'] }

const STRATEGY = '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c'
const VENUES = `  merkl_rewards: { type: merkl, account: "${STRATEGY}", proofs_url: "https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}" }
  morpho: { type: morpho_urd, distributor: "0x330eefa8a787552DC5cAd3C3cA644844B1E61Ddb", account: "${STRATEGY}", proofs_file: proofs/morpho.json }
  drop: { type: merkle_drop, distributor: "0x2222222222222222222222222222222222222222", token: EIGEN, account: "${STRATEGY}", proofs_file: proofs/drop.json }
`
/** The fixture with the three distributor venues and a chain. */
const BASE = fixtureConfigWith(
  'equity: { type: static, value: "1000000" }',
  'equity: { type: static, value: "1000000" }\nchains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 1 } }',
  fixtureConfigWith('  binance:\n', `${VENUES}  binance:\n`, FIXTURE_CONFIG_YAML),
)

const issuesOf = (text: string) => configIssuesOf(text, files)

describe('parseConfigText with merkl, morpho_urd and merkle_drop venues', () => {
  it("accepts them, defaults the chain and Merkl's Distributor, and keeps each proofs file's real path to read it every cycle", async () => {
    const loaded = await parseConfigText(deps, { text: BASE, file: '/configs/strategy.yaml', env: {} })
    expect(loaded.config.venues.merkl_rewards).toEqual({
      type: 'merkl',
      chain: 'ethereum',
      distributor: '0x3Ef3D8bA38EBe18DB133cEc108f4D14CE00Dd9Ae',
      account: STRATEGY,
      proofs_url: 'https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}',
    })
    expect(loaded.config.venues.morpho).toMatchObject({ type: 'morpho_urd', chain: 'ethereum', proofs_file: '/srv/dust/proofs/morpho.json' })
    expect(loaded.config.venues.drop).toMatchObject({ type: 'merkle_drop', token: 'EIGEN', proofs_file: '/srv/dust/proofs/drop.json' })
    expect(resolved).toContain('/configs/proofs/morpho.json')
  })

  it('refuses each bad key, naming it', async () => {
    const issues = (from: string, to: string) => issuesOf(fixtureConfigWith(from, to, BASE))
    expect(await issues('proofs_file: proofs/morpho.json', 'proofs_file: proofs/morpho.json, proofs_url: "https://rewards.morpho.org/v1/users/{account}/distributions"')).toEqual([
      { path: 'venues.morpho', expected: 'exactly one of "proofs_file" or "proofs_url"', found: expect.any(String) },
    ])
    expect(await issues('proofs_file: proofs/drop.json', 'token_total: "5"')).toEqual([
      { path: 'venues.drop', expected: 'only known keys', found: 'unknown key "token_total"' },
      { path: 'venues.drop', expected: 'exactly one of "proofs_file" or "proofs_url"', found: expect.any(String) },
    ])
    expect(await issues('"https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}"', '"ftp://api.merkl.xyz/rewards"')).toEqual([
      // A proofs URL may carry an API key, so a refused one is described, never echoed.
      { path: 'venues.merkl_rewards.proofs_url', expected: 'an http(s) URL', found: 'a text of 27 characters (not shown: the key holds a secret)' },
    ])
    expect(await issues('{account}/rewards?chainId={chainId}"', '{user}/rewards"')).toEqual([
      { path: 'venues.merkl_rewards.proofs_url', expected: 'a URL whose only placeholders are {account} and {chainId}', found: 'a text of 45 characters (not shown: the key holds a secret)' },
    ])
    expect(await issues(`merkl, account: "${STRATEGY}"`, `merkl, account: "${STRATEGY.replace('A0b', 'a0b')}"`)).toEqual([
      { path: 'venues.merkl_rewards.account', expected: 'an address whose mixed case matches its EIP-55 checksum (or written in one case)', found: expect.any(String) },
    ])
    expect(await issues('type: morpho_urd, distributor: "0x330eefa8a787552DC5cAd3C3cA644844B1E61Ddb", ', 'type: morpho_urd, ')).toEqual([
      { path: 'venues.morpho.distributor', expected: 'string', found: 'nothing (the key is missing)' },
    ])
    expect(await issues('token: EIGEN', 'token: eigen')).toEqual([
      { path: 'venues.drop.token', expected: 'a symbol from the token registry (USDT, ETH, WETH, EIGEN, ETHFI, weETH)', found: '"eigen" (did you mean EIGEN?)' },
    ])
    expect(await issues('token: EIGEN', 'token: ETH')).toEqual([{ path: 'venues.drop.token', expected: 'an ERC-20 token on ethereum (with an address)', found: 'ETH, a native coin' }])
    expect(await issues('type: merkle_drop,', 'type: merkle_drop, chain: base,')).toEqual([
      { path: 'venues.drop.chain', expected: 'a chain configured under chains (ethereum)', found: '"base"' },
      { path: 'venues.drop.token', expected: 'an ERC-20 token on base (with an address)', found: 'EIGEN on ethereum' },
    ])
    expect(await issues('proofs_file: proofs/drop.json', 'proofs_file: ../../etc/passwd')).toEqual([
      {
        path: 'venues.drop.proofs_file',
        expected: "a regular text file of at most 16 MiB inside the configuration's folder (or DUST_SECRETS_DIR, when set)",
        found: "/etc/passwd: a path that leads outside the configuration's folder (/configs): to /etc/passwd",
      },
    ])
  })
})
