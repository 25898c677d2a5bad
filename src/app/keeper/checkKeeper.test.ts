import { describe, expect, it } from 'vitest'
import type { Role } from 'zodiac-roles-sdk'
import { DEMO, KEEPER, ROLES, SAFE, demoRolesConfig } from '../../../test/fixtureKeeperConfigs.js'
import { demoNeededRole, fixtureRolesState } from '../../../test/fixtureRolesState.js'
import { checkKeeper } from './checkKeeper.js'

describe('checkKeeper', () => {
  it('finds no difference when the chain holds the role the configuration needs', () => {
    const { needs, role, differences } = checkKeeper({ config: demoRolesConfig(), state: fixtureRolesState(demoNeededRole()) })
    expect(differences).toEqual([])
    expect({ safe: needs.safe, roles: needs.rolesModifier, keeper: needs.keeper, members: role.members, targets: role.targets.length }).toEqual({
      safe: SAFE,
      roles: ROLES,
      keeper: KEEPER,
      members: [KEEPER],
      targets: 6,
    })
  })

  it("names a missing function with the configuration's token and signature", () => {
    const needed = demoNeededRole()
    const onChain: Role = {
      ...needed,
      targets: needed.targets.map((target) => (target.address.toLowerCase() === DEMO.EIGEN.toLowerCase() ? { ...target, functions: target.functions.slice(1) } : target)),
    }
    const { differences } = checkKeeper({ config: demoRolesConfig(), state: fixtureRolesState(onChain) })
    expect(differences).toEqual([
      {
        code: 'function_missing',
        danger: false,
        target: DEMO.EIGEN.toLowerCase(),
        selector: '0x095ea7b3',
        words: `The config needs 0x095ea7b3 (approve(address,uint256)) on ${DEMO.EIGEN.toLowerCase()} (EIGEN), but the role "dust-keeper" does not allow it.`,
      },
    ])
  })

  it('names a keeper that is not a member, and a modifier not enabled on the Safe', () => {
    const needed = demoNeededRole()
    const { differences } = checkKeeper({
      config: demoRolesConfig(),
      state: fixtureRolesState({ ...needed, members: [] }, { rolesEnabled: false, safeModules: [], memberships: [] }),
    })
    expect(differences.map((difference) => [difference.code, difference.danger])).toEqual([
      ['roles_module_not_enabled', false],
      ['keeper_not_member', false],
    ])
  })
})
