import { type Address, type Hex, getAddress } from 'viem'
import type { Role } from 'zodiac-roles-sdk'
import { buildKeeperRole } from '../src/adapters/zodiac/buildKeeperRole.js'
import type { RolesState } from '../src/adapters/zodiac/readRolesState.js'
import { deriveKeeperNeeds } from '../src/app/keeper/deriveKeeperNeeds.js'
import { ROLES, SAFE, demoRolesConfig } from './fixtureKeeperConfigs.js'

/** The Safe's one owner in `fixtureRolesState` (made up). */
export const SAFE_OWNER = getAddress('0x0000000000000000000000000000000000000a11')

/** The role the demo's keeper configuration (`demoRolesConfig`) needs. */
export function demoNeededRole(): Role {
  return buildKeeperRole(deriveKeeperNeeds(demoRolesConfig())).role
}

/**
 * A chain state as `readRolesState` gives it, read at block 100 from block 0, for the made-up Safe
 * and modifier of `fixtureKeeperConfigs`: the modifier set up at block 1, owned by the Safe and
 * enabled on it, the Safe owned by SAFE_OWNER alone, and `role` held (lowercase targets and selectors).
 */
export function fixtureRolesState(role: Role, overrides: Partial<RolesState> = {}): RolesState {
  const lower: Role = {
    ...role,
    targets: role.targets.map((target) => ({
      ...target,
      address: target.address.toLowerCase() as Address,
      functions: target.functions.map((fn) => ({ ...fn, selector: fn.selector.toLowerCase() as Hex })),
    })),
  }
  return {
    roles: ROLES,
    safe: SAFE,
    block: 100n,
    fromBlock: 0n,
    modifier: { avatar: SAFE, target: SAFE, owner: SAFE },
    safeOwners: [SAFE_OWNER],
    safeThreshold: 1n,
    rolesEnabled: true,
    safeModules: [ROLES],
    role: lower,
    memberships: role.members.map((member) => ({ member, roleKey: role.key })),
    defaultRoles: [],
    logs: 20,
    setUpBlock: 1n,
    ...overrides,
  }
}
