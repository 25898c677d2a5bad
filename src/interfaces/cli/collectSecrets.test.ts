import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { loadConfig } from '../../app/loadConfig.js'
import { collectSecrets } from './collectSecrets.js'

const KEY = `0x${'ab12'.repeat(16)}`
const ENV = {
  ETH_RPC_URL: 'https://eth-mainnet.g.alchemy.com/v2/alchemyKey0123456789abcdef',
  DUST_API_TOKEN: 'api-token-0123456789',
  BINANCE_KEY: 'binance-api-key-0123',
  BINANCE_SECRET: 'binance-api-secret-0123',
  DUST_KEY: KEY,
  DATABASE_URL: 'postgres://dust:db%2Fpassword-1@db.internal:5432/dust',
  UNRELATED: 'not-a-secret-at-all',
}

const YAML = `${FIXTURE_CONFIG_YAML}chains:
  ethereum: { rpc_url: "\${ETH_RPC_URL}", chain_id: 1 }
  arbitrum: { rpc_url: "https://rpcuser:literal-rpc-password@arb.example/", chain_id: 42161 }
api: { token: "\${DUST_API_TOKEN}" }
notifications: { webhook_url: "https://hooks.slack.example/services/T0000/B0000/webhookSecret0123456789" }
execution: { mode: paper, signer: { private_key_env: DUST_KEY } }
`

describe('collectSecrets', () => {
  let temp: Awaited<ReturnType<typeof cliTempDir>>
  beforeAll(async () => {
    temp = await cliTempDir()
  })
  afterAll(async () => temp?.cleanup())

  it('lists the token, the database password, URL credentials and keys, and the keys named by *_env; nothing else', async () => {
    const file = await temp.write('secrets.yaml', YAML)
    const loaded = await loadConfig({ file, env: ENV })
    const secrets = collectSecrets({ loaded: [loaded], env: ENV })
    expect([...secrets].sort()).toEqual(
      [
        ENV.DATABASE_URL,
        'db%2Fpassword-1',
        'db/password-1',
        ENV.DUST_API_TOKEN,
        ENV.ETH_RPC_URL,
        'alchemyKey0123456789abcdef',
        'literal-rpc-password',
        'webhookSecret0123456789',
        KEY,
        KEY.slice(2),
      ].sort(),
    )
    expect(secrets).not.toContain(ENV.UNRELATED)
  })

  it('adds the API keys of ccxt venues from the environment variables they name', async () => {
    const file = await temp.write(
      'ccxt.yaml',
      FIXTURE_CONFIG_YAML.replace('venues:\n', 'venues:\n  exchange: { type: ccxt, exchange: binance, api_key_env: BINANCE_KEY, secret_env: BINANCE_SECRET }\n'),
    )
    const loaded = await loadConfig({ file, env: ENV })
    expect(collectSecrets({ loaded: [loaded], env: { ...ENV, DATABASE_URL: undefined } }).sort()).toEqual([ENV.BINANCE_KEY, ENV.BINANCE_SECRET].sort())
  })

  it("adds a chain's private_rpc_url whole, written in the file or from the environment, and the keys in it", async () => {
    const env = { PRIVATE_RPC: 'https://relay.example/fast?key=from-env-0123456789abcd' }
    const file = await temp.write(
      'private.yaml',
      `${FIXTURE_CONFIG_YAML}chains:
  ethereum: { rpc_url: "https://rpc.example", chain_id: 1, private_rpc_url: "https://rpc.flashbots.example/k1", private_rpc_fallback: public }
  base: { rpc_url: "https://base.example", chain_id: 8453, private_rpc_url: "\${PRIVATE_RPC}" }
`,
    )
    const loaded = await loadConfig({ file, env })
    expect(collectSecrets({ loaded: [loaded], env }).sort()).toEqual(['https://rpc.flashbots.example/k1', env.PRIVATE_RPC, 'from-env-0123456789abcd'].sort())
  })

  it("adds the credentials of a rewards venue's proofs_url, and the whole URL when it came from the environment", async () => {
    const env = { MERKL_URL: 'https://api.merkl.example/v4/users/{account}/rewards?apikey=env-merkl-key-0123456789' }
    const file = await temp.write(
      'proofs.yaml',
      `${FIXTURE_CONFIG_YAML.replace(
        'venues:\n',
        `venues:
  merkl: { type: merkl, account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", proofs_url: "https://user:file-merkl-pass@api.merkl.example/v4/users/{account}/rewards" }
  merkl_env: { type: merkl, account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", proofs_url: "\${MERKL_URL}" }
`,
      )}chains:
  ethereum: { rpc_url: "https://rpc.example", chain_id: 1 }
`,
    )
    const loaded = await loadConfig({ file, env })
    const secrets = collectSecrets({ loaded: [loaded], env })
    expect(secrets).toEqual(expect.arrayContaining(['file-merkl-pass', env.MERKL_URL, 'env-merkl-key-0123456789']))
    expect(secrets).not.toContain('https://user:file-merkl-pass@api.merkl.example/v4/users/{account}/rewards')
  })
})
