import { type Hex, decodeFunctionData, getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { type Call, rolesAbi } from 'zodiac-roles-sdk'
import { DEMO, KEEPER, ROLES, demoRolesConfig } from '../../../test/fixtureKeeperConfigs.js'
import { deriveKeeperNeeds } from '../../app/keeper/deriveKeeperNeeds.js'
import { buildKeeperRole } from './buildKeeperRole.js'
import { describeRoleCall, emptyRole, planRoleCalls, plannedRoleCalls } from './planRoleCalls.js'

const needs = deriveKeeperNeeds(demoRolesConfig())
const { role } = buildKeeperRole(needs)
const KEY = needs.role.key

/** Each call's function and its target and selector arguments, decoded from its calldata. */
function decoded(calls: ReadonlyArray<{ to: Hex; value: bigint; data: Hex }>) {
  return calls.map((call) => {
    expect(call.to).toBe(ROLES)
    expect(call.value).toBe(0n)
    const { functionName, args } = decodeFunctionData({ abi: rolesAbi, data: call.data })
    return [functionName, ...(args ?? []).filter((arg) => typeof arg === 'string').map((arg) => (arg.length === 42 ? getAddress(arg) : arg))]
  })
}

describe('planRoleCalls', () => {
  it('from an empty role: assigns the keeper, then scopes each target and each of its functions, all sent to the Roles modifier', () => {
    expect(decoded(planRoleCalls({ current: emptyRole(KEY), next: role, roles: ROLES }))).toEqual([
      ['assignRoles', KEEPER],
      ['scopeTarget', KEY, DEMO.eigenDistributor],
      ['scopeFunction', KEY, DEMO.eigenDistributor, '0x2e7ba6ef'],
      ['scopeTarget', KEY, DEMO.ethfiDistributor],
      ['scopeFunction', KEY, DEMO.ethfiDistributor, '0x2e7ba6ef'],
      ['scopeTarget', KEY, DEMO.EIGEN],
      ['scopeFunction', KEY, DEMO.EIGEN, '0x095ea7b3'],
      ['scopeFunction', KEY, DEMO.EIGEN, '0xa9059cbb'],
      ['scopeTarget', KEY, DEMO.ETHFI],
      ['scopeFunction', KEY, DEMO.ETHFI, '0x095ea7b3'],
      ['scopeFunction', KEY, DEMO.ETHFI, '0xa9059cbb'],
      ['scopeTarget', KEY, DEMO.v3Router],
      ['scopeFunction', KEY, DEMO.v3Router, '0xc04b8d59'],
      ['scopeTarget', KEY, DEMO.v2Router],
      ['scopeFunction', KEY, DEMO.v2Router, '0x38ed1739'],
    ])
  })

  it('plans no call from a role to itself', () => {
    expect(planRoleCalls({ current: role, next: role, roles: ROLES })).toEqual([])
  })

  it('revokes what the configuration no longer needs', () => {
    // The demo without Binance: no transfer is needed any more.
    const config = demoRolesConfig()
    const { binance: _binance, ...venues } = config.venues
    const smaller = buildKeeperRole(deriveKeeperNeeds({ ...config, venues, prices: config.prices.filter((source) => source.type !== 'cex_mid') })).role
    expect(decoded(planRoleCalls({ current: role, next: smaller, roles: ROLES }))).toEqual([
      ['revokeFunction', KEY, DEMO.EIGEN, '0xa9059cbb'],
      ['revokeFunction', KEY, DEMO.ETHFI, '0xa9059cbb'],
    ])
  })

  it('scopes a function again when its condition changes, and removes a member who is no longer the keeper', () => {
    const other = getAddress('0x00000000000000000000000000000000000000f9')
    const current = { ...role, members: [other] }
    const config = demoRolesConfig()
    const moved = buildKeeperRole(
      deriveKeeperNeeds({ ...config, venues: { ...config.venues, binance: { ...(config.venues.binance as object), deposit_address: other } as (typeof config.venues)[string] } }),
    ).role
    expect(decoded(planRoleCalls({ current, next: moved, roles: ROLES }))).toEqual([
      ['assignRoles', other],
      ['assignRoles', KEEPER],
      ['scopeFunction', KEY, DEMO.EIGEN, '0xa9059cbb'],
      ['scopeFunction', KEY, DEMO.ETHFI, '0xa9059cbb'],
    ])
    const calls = plannedRoleCalls(current, moved)
    expect(calls.filter((call) => call.call === 'assignRoles').map((call) => [call.member, call.join])).toEqual([
      [other, false],
      [KEEPER, true],
    ])
  })
})

describe('describeRoleCall', () => {
  it("says each planned call in words, naming targets by the needs' labels and selectors by their signatures", () => {
    const lines = plannedRoleCalls(emptyRole(KEY), role).map((call) => describeRoleCall(call, needs))
    expect(lines.slice(0, 4)).toEqual([
      `assignRoles ${KEEPER} joins the role "dust-keeper"`,
      `scopeTarget ${DEMO.eigenDistributor} (merkle_rewards distributor of etherfi_eigen): only the functions scoped on it allowed`,
      `scopeFunction ${DEMO.eigenDistributor} (merkle_rewards distributor of etherfi_eigen) claim(uint256,address,uint256,bytes32[]) [0x2e7ba6ef]: allowed with conditions on its arguments (no ether, no delegatecall)`,
      `scopeTarget ${DEMO.ethfiDistributor} (merkle_rewards distributor of etherfi_ethfi): only the functions scoped on it allowed`,
    ])
    expect(lines).toHaveLength(15)
  })

  it('names what a role allows beyond the needs: a target allowed whole, a wildcarded function, a revocation', () => {
    const stranger = getAddress('0x00000000000000000000000000000000000000ee')
    const calls: Call[] = [
      { call: 'allowTarget', roleKey: KEY, targetAddress: stranger, executionOptions: 1 },
      { call: 'allowFunction', roleKey: KEY, targetAddress: DEMO.EIGEN, selector: '0xa9059cbb', executionOptions: 0 },
      { call: 'revokeFunction', roleKey: KEY, targetAddress: DEMO.EIGEN, selector: '0x23b872dd' },
      { call: 'revokeTarget', roleKey: KEY, targetAddress: stranger },
      { call: 'assignRoles', roleKey: `0x${'ff'.repeat(32)}`, member: KEEPER, join: false },
    ]
    expect(calls.map((call) => describeRoleCall(call, needs))).toEqual([
      `allowTarget ${stranger}: every function of the target allowed with any arguments (may send ether)`,
      `allowFunction ${DEMO.EIGEN} (EIGEN) transfer(address,uint256) [0xa9059cbb]: allowed with any arguments (no ether, no delegatecall)`,
      `revokeFunction ${DEMO.EIGEN} (EIGEN) 0x23b872dd: no longer allowed`,
      `revokeTarget ${stranger}: nothing on the target allowed any more`,
      `assignRoles ${KEEPER} leaves the role 0x${'ff'.repeat(32)}`,
    ])
    // Without the needs, addresses and selectors stand alone.
    expect(describeRoleCall({ call: 'scopeTarget', roleKey: KEY, targetAddress: DEMO.EIGEN.toLowerCase() as Hex })).toBe(`scopeTarget ${DEMO.EIGEN}: only the functions scoped on it allowed`)
  })
})
