import { toFunctionSelector } from 'viem'
import type { Role } from 'zodiac-roles-sdk'
import type { KeeperNeeds } from '../../adapters/zodiac/KeeperNeeds.js'
import { buildKeeperRole } from '../../adapters/zodiac/buildKeeperRole.js'
import { type KeeperRoleDifference, checkKeeperRole } from '../../adapters/zodiac/checkKeeperRole.js'
import type { RolesState } from '../../adapters/zodiac/readRolesState.js'
import type { StrategyConfig } from '../../config/index.js'
import { deriveKeeperNeeds } from './deriveKeeperNeeds.js'

export type { KeeperRoleDifference } from '../../adapters/zodiac/checkKeeperRole.js'

export type CheckKeeperParameters = {
  config: StrategyConfig
  /** The configuration file, named in a `ConfigError`. */
  file?: string | undefined
  /** The Safe, its Roles modifier and the configured role as read from the chain (`readKeeperChainState`). */
  state: RolesState
}

export type CheckKeeperReturnType = {
  needs: KeeperNeeds
  /** The role the configuration needs. */
  role: Role
  /** Every difference between the chain and the configuration; empty when the chain holds exactly what it needs. */
  differences: KeeperRoleDifference[]
}

/** The names shown beside addresses and selectors in the sentences: each target's label, each function's signature. */
function keeperLabels(needs: KeeperNeeds): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const need of needs.needs) {
    labels[need.target.toLowerCase()] = need.label
    labels[toFunctionSelector(need.signature)] = need.signature
  }
  return labels
}

/**
 * Compares the keeper role a `roles` configuration needs with the chain's Safe, Roles modifier
 * and role, and names every difference, targets and functions labelled with the configuration's
 * names. Pure: the state is read by the caller. Throws `ConfigError` when the signer is not a
 * `roles` signer (as `deriveKeeperNeeds`).
 */
export function checkKeeper(parameters: CheckKeeperParameters): CheckKeeperReturnType {
  const needs = deriveKeeperNeeds(parameters.config, { file: parameters.file })
  const { role } = buildKeeperRole(needs)
  const differences = checkKeeperRole({
    state: parameters.state,
    needed: role,
    safe: needs.safe,
    keeper: needs.keeper,
    roleName: needs.role.name ?? needs.role.key,
    labels: keeperLabels(needs),
  })
  return { needs, role, differences }
}
