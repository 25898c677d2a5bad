import { describe, expect, it } from 'vitest'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { fixtureLoadedConfig } from '../../../test/fixtureStrategy.js'
import { redactConfig } from './redactConfig.js'

describe('redactConfig', () => {
  it('replaces every value that came from ${ENV_VAR}, wherever it is', async () => {
    const text = fixtureConfigWith(
      'value: "1000000"',
      'value: "${EQUITY}"',
      fixtureConfigWith('EIGEN: "20"', 'EIGEN: "${WALLET_EIGEN}"', fixtureConfigWith('[EIGEN, USDT]', '[EIGEN, "${VIA}"]', FIXTURE_CONFIG_YAML)),
    )
    const loaded = await fixtureLoadedConfig(text, { EQUITY: '4242424', WALLET_EIGEN: '31337', VIA: 'USDT' })
    const json = redactConfig(loaded)
    expect(json).toMatchObject({
      equity: { type: 'static', value: '[redacted: from the environment]' },
      venues: { wallet: { balances: { EIGEN: '[redacted: from the environment]', ETHFI: '800' } } },
      dust_conversion_path: ['EIGEN', '[redacted: from the environment]'],
    })
    const printed = JSON.stringify(json)
    expect(printed).not.toContain('4242424')
    expect(printed).not.toContain('31337')
  })

  it('hides api.token, a private RPC URL, and what RPC and webhook URLs carry after their host, even when written in the file', async () => {
    const text = `${FIXTURE_CONFIG_YAML}chains:
  ethereum: { rpc_url: "https://user:SECRET_CANARY_PW@eth.example:8545/v3/SECRET_CANARY_KEY?apikey=SECRET_CANARY_Q", chain_id: 1 }
  local: { rpc_url: "http://127.0.0.1:8545", chain_id: 31337, private_rpc_url: "https://relay.example/SECRET_CANARY_RELAY", private_rpc_fallback: public }
api: { token: SECRET_CANARY_TOKEN_0123456789 }
notifications: { webhook_url: "https://hooks.slack.example/services/T0/B0/SECRET_CANARY_HOOK" }
`
    const json = redactConfig(await fixtureLoadedConfig(text)) as Record<string, Record<string, unknown>>
    expect(json.chains).toEqual({
      ethereum: { rpc_url: 'https://eth.example:8545/[redacted]', chain_id: 1, multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11' },
      // A private endpoint is a secret whole: not even its host is shown.
      local: {
        rpc_url: 'http://127.0.0.1:8545',
        chain_id: 31337,
        multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11',
        private_rpc_url: '[redacted]',
        private_rpc_fallback: 'public',
      },
    })
    expect(json.api).toEqual({ host: '127.0.0.1', port: 8080, token: '[redacted]' })
    expect(json.notifications).toEqual({ webhook_url: 'https://hooks.slack.example/[redacted]', events: ['dust_conversion_failed', 'dust_cycle_failed'] })
    expect(JSON.stringify(json)).not.toContain('SECRET_CANARY')
  })

  it('hides a secret that an alias copied to another key', async () => {
    const text = fixtureConfigWith('value: "1000000"', 'value: *amount', fixtureConfigWith('EIGEN: "20"', 'EIGEN: &amount "${EQUITY}"'))
    const json = redactConfig(await fixtureLoadedConfig(text, { EQUITY: '4242424' }))
    expect(json).toMatchObject({ equity: { value: '[redacted: from the environment]' }, venues: { wallet: { balances: { EIGEN: '[redacted: from the environment]' } } } })
    expect(JSON.stringify(json)).not.toContain('4242424')
  })

  it('writes bigints (gas units) as decimal strings and keeps everything else as validated', async () => {
    const json = redactConfig(await fixtureLoadedConfig())
    expect(json).toMatchObject({
      mode: 'usdt_test',
      dust_delta: '0.002',
      gas_units: { claim: '90000', approve: '55000', swap: '180000', swap_extra_hop: '70000', transfer: '65000' },
      execution: { mode: 'dry-run', max_slippage_bps: 50 },
      venues: {
        binance: {
          markets: {
            'EIGEN/USDT': {
              bids: [
                ['1.249', '1000'],
                ['1.247', '5000'],
              ],
            },
          },
        },
      },
    })
    expect((json as { tokens: unknown[] }).tokens[0]).toEqual({ symbol: 'USDT', chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 })
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })
})
