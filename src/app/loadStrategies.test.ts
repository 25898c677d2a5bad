import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { fixtureClock } from '../../test/fixtureMoney.js'
import { ConfigError } from '../errors/index.js'
import { loadConfig } from './loadConfig.js'
import { loadStrategies } from './loadStrategies.js'

const EXAMPLE = resolve('configs/modes/usdt_eth_staking_hedged_simple.yaml')
// The example in paper mode with a signer whose key variable is not set: only loading the signer fails.
const PAPER_WITH_SIGNER = readFileSync(EXAMPLE, 'utf8').replace(
  'execution: { mode: dry-run, max_slippage_bps: 50 }',
  'execution: { mode: paper, max_slippage_bps: 50, signer: { private_key_env: DUST_TEST_PRIVATE_KEY } }',
)

// The example in paper mode with a keeper acting through a Safe's Roles modifier (the wallet is static: no chain is read).
const SAFE = '0x1111111111111111111111111111111111111111'
const KEEPER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const KEEPER = privateKeyToAccount(KEEPER_KEY).address
const PAPER_WITH_KEEPER = (keeper: string) =>
  readFileSync(EXAMPLE, 'utf8').replace(
    'execution: { mode: dry-run, max_slippage_bps: 50 }',
    `chains: { ethereum: { rpc_url: "http://127.0.0.1:1", chain_id: 31337 } }\nexecution: { mode: paper, max_slippage_bps: 50, signer: { type: roles, private_key_env: KEEPER_KEY, safe: "${SAFE}", roles_modifier: "0x3333333333333333333333333333333333333333", role: dust-keeper, keeper: "${keeper}" } }`,
  )

describe('loadStrategies', () => {
  it('builds one strategy per configuration from the static example', async () => {
    const loaded = await loadConfig({ file: EXAMPLE, env: {} })
    const strategies = await loadStrategies({ loaded: [loaded, loaded], clock: fixtureClock(), env: {}, withSigner: false })
    expect(strategies).toHaveLength(2)
    const [strategy] = strategies
    expect(strategy?.policy.mode).toBe('usdt_eth_staking_hedged_simple')
    expect(strategy?.policy.shareClass.symbol).toBe('USDT')
    expect(strategy?.executionMode).toBe('dry-run')
    expect(strategy?.executionManager).toBeUndefined()
    expect(strategy?.monitoringIntervalMs).toBe(300_000)
    expect(strategy?.venues.map((venue) => venue.name)).toEqual(['binance', 'uniswap'])
    expect(strategy?.balanceSources.map((source) => [source.name, source.source])).toEqual([
      ['etherfi', 'claimable_rewards'],
      ['wallet', 'wallet_balance'],
      ['binance', 'exchange_balance'],
    ])
  })

  it('goes without the signer when withSigner is false', async () => {
    const loaded = await loadConfig({ file: EXAMPLE, text: PAPER_WITH_SIGNER, env: {} })
    const [strategy] = await loadStrategies({ loaded: [loaded], clock: fixtureClock(), env: {}, withSigner: false })
    expect(strategy?.executionMode).toBe('paper')
  })

  it('loads the signer when withSigner is true, and names its unset key variable', async () => {
    const loaded = await loadConfig({ file: EXAMPLE, text: PAPER_WITH_SIGNER, env: {} })
    const loading = loadStrategies({ loaded: [loaded], clock: fixtureClock(), env: {}, withSigner: true })
    await expect(loading).rejects.toBeInstanceOf(ConfigError)
    await expect(loading).rejects.toThrow(
      `Invalid configuration in ${EXAMPLE} (1 problem).\n  ${EXAMPLE} private_key_env: expected DUST_TEST_PRIVATE_KEY to hold a 0x-prefixed 32-byte hex private key, found DUST_TEST_PRIVATE_KEY is not set`,
    )
  })

  it("loads a keeper's key and refuses one that is not the keeper's, naming both addresses and never the key", async () => {
    const loaded = await loadConfig({ file: EXAMPLE, text: PAPER_WITH_KEEPER(KEEPER), env: {} })
    const [strategy] = await loadStrategies({ loaded: [loaded], clock: fixtureClock(), env: { KEEPER_KEY }, withSigner: true })
    // The keeper's steps are charged the Roles modifier's gas on top of their own.
    expect(strategy?.planning.gasUnits.perOnchainStep).toBe(80_000n)
    const other = '0x2222222222222222222222222222222222222222'
    const wrong = await loadConfig({ file: EXAMPLE, text: PAPER_WITH_KEEPER(other), env: {} })
    const loading = loadStrategies({ loaded: [wrong], clock: fixtureClock(), env: { KEEPER_KEY }, withSigner: true })
    await expect(loading).rejects.toBeInstanceOf(ConfigError)
    await expect(loading).rejects.toThrow(
      `Invalid configuration in ${EXAMPLE} (1 problem).\n  ${EXAMPLE} execution.signer.keeper: expected the address of the key in KEEPER_KEY (${KEEPER}), found ${other}`,
    )
    await expect(loading).rejects.not.toThrow(KEEPER_KEY.slice(2))
  })
})
