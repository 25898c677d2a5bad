import { encodeFunctionData, getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import type { Role } from 'zodiac-roles-sdk'
import { DEMO, KEEPER, ROLES, SAFE, demoRolesConfig } from '../../../test/fixtureKeeperConfigs.js'
import { SAFE_OWNER, demoNeededRole, fixtureRolesState } from '../../../test/fixtureRolesState.js'
import { safeTransactionHash } from '../../adapters/zodiac/safeTransactionHash.js'
import { safeAbi } from '../../adapters/zodiac/zodiacAbis.js'
import { ConfigError } from '../../errors/index.js'
import { planKeeperPermissions } from './planKeeperPermissions.js'

const MULTI_SEND = getAddress('0x9641d764fc13c8b624c04430c7356c1c7c8102e2')
describe('planKeeperPermissions', () => {
  it('plans from an empty role offline: the keeper joins, six targets and eight functions scoped, one MultiSendCallOnly batch', () => {
    const plan = planKeeperPermissions({ config: demoRolesConfig(), nonce: 7n })
    expect(plan.assumedEmpty).toBe(true)
    expect(plan.calls).toHaveLength(15)
    expect(plan.calls.every((call) => call.to === ROLES && call.value === 0n)).toBe(true)
    expect(plan.calls[0]?.description).toBe(`assignRoles ${KEEPER} joins the role "dust-keeper"`)
    expect(plan.calls.find((call) => call.description.includes('(EIGEN) transfer(address,uint256)'))?.description).toBe(
      `scopeFunction ${DEMO.EIGEN} (EIGEN) transfer(address,uint256) [0xa9059cbb]: allowed with conditions on its arguments (no ether, no delegatecall)`,
    )
    const fields = plan.transaction?.fields
    expect({ to: fields?.to, operation: fields?.operation, value: fields?.value, nonce: fields?.nonce }).toEqual({ to: MULTI_SEND, operation: 1, value: 0n, nonce: 7n })
    expect(plan.transaction?.safeTxHash).toBe(safeTransactionHash({ safe: SAFE, chainId: 31337, transaction: fields as NonNullable<typeof fields> }))
    expect(plan.review[0]).toBe(`Role "dust-keeper" (${plan.needs.role.key}) on the Roles modifier ${ROLES}, local (chain 31337):`)
    expect(plan.unresolved).toEqual([])
  })

  it('plans nothing when the chain holds the needed role, whatever the case of its addresses', () => {
    const plan = planKeeperPermissions({ config: demoRolesConfig(), state: fixtureRolesState(demoNeededRole()), nonce: 3n })
    expect({ calls: plan.calls, transaction: plan.transaction, unresolved: plan.unresolved, assumedEmpty: plan.assumedEmpty }).toEqual({
      calls: [],
      transaction: undefined,
      unresolved: [],
      assumedEmpty: false,
    })
  })

  it("starts with the Safe's enableModule when the modifier is not enabled: one call is a plain CALL to the Safe", () => {
    const plan = planKeeperPermissions({ config: demoRolesConfig(), state: fixtureRolesState(demoNeededRole(), { rolesEnabled: false, safeModules: [] }), nonce: 4n })
    const data = encodeFunctionData({ abi: safeAbi, functionName: 'enableModule', args: [ROLES] })
    expect(plan.calls).toEqual([
      { to: SAFE, value: 0n, data, description: `enableModule ${ROLES} on the Safe ${SAFE}: the Safe enables the Roles modifier as a module, so that the role's calls reach it` },
    ])
    expect(plan.transaction?.fields).toMatchObject({ to: SAFE, operation: 0, value: 0n, data, nonce: 4n })
  })

  it('revokes what the chain allows beyond the needs, and adds what is missing', () => {
    const needed = demoNeededRole()
    const eigen = needed.targets.find((target) => target.address.toLowerCase() === DEMO.EIGEN.toLowerCase())
    if (eigen === undefined) throw new Error('test setup: no EIGEN target')
    const stray = getAddress('0x00000000000000000000000000000000000000e5')
    const onChain: Role = {
      ...needed,
      members: [...needed.members, SAFE_OWNER],
      targets: [...needed.targets.filter((target) => target !== eigen), { ...eigen, functions: eigen.functions.slice(1) }, { address: stray, clearance: 2, executionOptions: 0, functions: [] }],
    }
    const plan = planKeeperPermissions({ config: demoRolesConfig(), state: fixtureRolesState(onChain), nonce: 0n })
    expect(plan.calls.map((call) => call.description)).toEqual([
      `assignRoles ${SAFE_OWNER} leaves the role "dust-keeper"`,
      `revokeTarget ${stray}: nothing on the target allowed any more`,
      `scopeFunction ${DEMO.EIGEN} (EIGEN) approve(address,uint256) [0x095ea7b3]: allowed with conditions on its arguments (no ether, no delegatecall)`,
    ])
    expect(plan.transaction?.fields.operation).toBe(1)
  })

  it('lists what the transaction cannot change, such as a keeper that owns the Safe', () => {
    const plan = planKeeperPermissions({ config: demoRolesConfig(), state: fixtureRolesState(demoNeededRole(), { safeOwners: [SAFE_OWNER, KEEPER], safeThreshold: 1n }), nonce: 0n })
    expect(plan.transaction).toBeUndefined()
    expect(plan.unresolved.map((difference) => [difference.code, difference.danger])).toEqual([['keeper_is_safe_owner', true]])
  })

  it('refuses a role history read from after the modifier was set up, naming roles_from_block', () => {
    const plan = () => planKeeperPermissions({ config: demoRolesConfig(), file: 'keeper.yaml', state: fixtureRolesState(demoNeededRole(), { fromBlock: 50n, setUpBlock: undefined }), nonce: 0n })
    expect(plan).toThrow(ConfigError)
    expect(plan).toThrow(
      expect.objectContaining({
        details: `  keeper.yaml execution.signer.roles_from_block: expected a block at or before the one the Roles modifier ${ROLES} was set up in, so that every grant of the role is read, found 50, from which to block 100 the modifier has no set-up log`,
      }),
    )
  })

  it('refuses a configuration without a roles signer', () => {
    const config = demoRolesConfig()
    const plain = { ...config, execution: { ...config.execution, signer: { private_key_env: 'DUST_KEY' } } }
    expect(() => planKeeperPermissions({ config: plain, file: 'plain.yaml', nonce: 0n })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        details: '  plain.yaml execution.signer: expected a roles signer (type: roles, with safe, roles_modifier, role and keeper) to derive a keeper role from, found a private_key_env signer',
      }),
    )
  })
})
