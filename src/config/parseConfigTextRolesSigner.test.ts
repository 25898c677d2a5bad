import { describe, expect, it } from 'vitest'
import { NO_FILES, configIssuesOf } from '../../test/configIssues.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../test/fixtureConfig.js'
import type { ConfigFiles } from './ConfigFiles.js'
import { parseConfigText } from './parseConfigText.js'
import { signerKeySource } from './schema.js'

const files: ConfigFiles = NO_FILES
const deps = { files, ccxtExchanges: async () => ['binance'] }

const SAFE = '0x1111111111111111111111111111111111111111'
const KEEPER = '0x2222222222222222222222222222222222222222'
const ROLES = '0x3333333333333333333333333333333333333333'
const OTHER = '0x4444444444444444444444444444444444444444'

/** The fixture with a chain, the Safe's wallet and Merkl rewards, and a keeper signer in live mode. */
function rolesConfig(
  signer: string,
  venues = `  safe: { type: evm_wallet, address: "${SAFE}" }\n  merkl: { type: merkl, account: "${SAFE}", proofs_url: "https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}" }\n`,
): string {
  return fixtureConfigWith(
    'equity: { type: static, value: "1000000" }',
    `equity: { type: static, value: "1000000" }\nchains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 1 } }\nexecution:\n  mode: live\n  signer: ${signer}`,
    fixtureConfigWith('venues:\n', `venues:\n${venues}`, FIXTURE_CONFIG_YAML),
  )
}

const SIGNER = `{ type: roles, private_key_env: KEEPER_KEY, safe: "${SAFE}", roles_modifier: "${ROLES}", role: dust-keeper, keeper: "${KEEPER}" }`

const issuesOf = (text: string) => configIssuesOf(text, files)

describe('parseConfigText with a roles signer', () => {
  it('reads the keeper, the Safe, the modifier and the role, with their defaults', async () => {
    const loaded = await parseConfigText(deps, { text: rolesConfig(SIGNER), file: '/configs/strategy.yaml', env: {} })
    expect(loaded.config.execution.signer).toEqual({
      type: 'roles',
      private_key_env: 'KEEPER_KEY',
      chain: 'ethereum',
      safe: SAFE,
      roles_modifier: ROLES,
      role: 'dust-keeper',
      keeper: KEEPER,
      multi_send: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
      roles_from_block: 0,
    })
    expect(signerKeySource(loaded.config.execution.signer ?? { private_key_env: 'X' })).toEqual({ private_key_env: 'KEEPER_KEY' })
    // Each on-chain step is charged the modifier's gas on top of its own.
    expect(loaded.config.gas_units.role_execution).toBe(80_000n)
  })

  it('takes the keeper key from a keystore, and a bytes32 role key', async () => {
    const signer = `{ type: roles, keystore_file: keeper.json, keystore_password_env: KEEPER_PASSWORD, safe: "${SAFE}", roles_modifier: "${ROLES}", role: "0x${'ab'.repeat(32)}", keeper: "${KEEPER}" }`
    const resolved: string[] = []
    const keystoreFiles: ConfigFiles = {
      ...files,
      resolve: async ({ file }) => {
        resolved.push(file)
        return file
      },
    }
    const loaded = await parseConfigText({ ...deps, files: keystoreFiles }, { text: rolesConfig(signer), file: '/configs/strategy.yaml', env: {} })
    // The keeper's keystore is checked like any signer's: inside the configuration's roots.
    expect(resolved).toEqual(['/configs/keeper.json'])
    const settings = loaded.config.execution.signer
    expect(settings && signerKeySource(settings)).toEqual({ keystore_file: 'keeper.json', keystore_password_env: 'KEEPER_PASSWORD' })
  })

  it('refuses a signer with no key, two keys, a role name over 31 bytes or a keeper that is the Safe', async () => {
    const without = SIGNER.replace('private_key_env: KEEPER_KEY, ', '')
    expect(await issuesOf(rolesConfig(without))).toContainEqual(
      expect.objectContaining({ path: 'execution.signer', expected: expect.stringContaining('exactly one of "private_key_env" or "keystore_file"') }),
    )
    const both = SIGNER.replace('private_key_env: KEEPER_KEY,', 'private_key_env: KEEPER_KEY, keystore_file: k.json, keystore_password_env: P,')
    expect(await issuesOf(rolesConfig(both))).toContainEqual(expect.objectContaining({ path: 'execution.signer' }))
    const long = SIGNER.replace('role: dust-keeper', `role: ${'r'.repeat(32)}`)
    expect(await issuesOf(rolesConfig(long))).toContainEqual(expect.objectContaining({ path: 'execution.signer.role', expected: 'a role name of 1 to 31 bytes, or a 0x-prefixed bytes32 key' }))
    const self = SIGNER.replace(`keeper: "${KEEPER}"`, `keeper: "${SAFE}"`)
    expect(await issuesOf(rolesConfig(self))).toEqual([{ path: 'execution.signer.keeper', expected: 'a keeper account other than the Safe it acts for', found: SAFE }])
  })

  it("refuses a wallet or a rewards account on the Safe's chain that is not the Safe, and an unknown chain", async () => {
    const venues = `  safe: { type: evm_wallet, address: "${OTHER}" }\n  merkl: { type: merkl, account: "${OTHER}", proofs_url: "https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}" }\n`
    expect(await issuesOf(rolesConfig(SIGNER, venues))).toEqual([
      {
        path: 'venues.safe.address',
        expected: `the Safe ${SAFE} (execution.signer.safe): with a roles signer the Safe holds the funds on ethereum`,
        found: OTHER,
      },
      { path: 'venues.merkl.account', expected: `the Safe ${SAFE} (execution.signer.safe): the role may claim rewards only to the Safe`, found: OTHER },
    ])
    const elsewhere = SIGNER.replace('role: dust-keeper', 'role: dust-keeper, chain: base')
    expect(await issuesOf(rolesConfig(elsewhere))).toEqual([{ path: 'execution.signer.chain', expected: 'a chain configured under chains (ethereum)', found: '"base"' }])
  })
})
