import { type Address, type Hex, encodeFunctionData, getAddress } from 'viem'
import type { Role } from 'zodiac-roles-sdk'
import type { KeeperNeeds } from '../../adapters/zodiac/KeeperNeeds.js'
import { type SafeCall, type SafeTransaction, buildSafeTransaction } from '../../adapters/zodiac/buildSafeTransaction.js'
import { buildKeeperRole } from '../../adapters/zodiac/buildKeeperRole.js'
import type { KeeperRoleDifference, KeeperRoleDifferenceCode } from '../../adapters/zodiac/checkKeeperRole.js'
import { normalizeRole } from '../../adapters/zodiac/normalizeRole.js'
import { describeRoleCall, emptyRole, planRoleCalls, plannedRoleCalls } from '../../adapters/zodiac/planRoleCalls.js'
import type { RolesState } from '../../adapters/zodiac/readRolesState.js'
import { safeTransactionHash } from '../../adapters/zodiac/safeTransactionHash.js'
import { safeAbi } from '../../adapters/zodiac/zodiacAbis.js'
import { type StrategyConfig, isRolesSigner } from '../../config/index.js'
import { BaseError, ConfigError } from '../../errors/index.js'
import { checkKeeper } from './checkKeeper.js'

export type { KeeperNeeds } from '../../adapters/zodiac/KeeperNeeds.js'
import { deriveKeeperNeeds } from './deriveKeeperNeeds.js'

export type PlanKeeperPermissionsParameters = {
  config: StrategyConfig
  /** The configuration file, named in a `ConfigError`. */
  file?: string | undefined
  /**
   * The Safe, its Roles modifier and the role as the chain holds them (`readKeeperChainState`).
   * Without it the plan starts from an empty role on a modifier assumed enabled on the Safe (`--assume-empty`).
   */
  state?: RolesState | undefined
  /** The Safe's nonce the transaction is signed for. */
  nonce: bigint
}

/** One call the Safe makes, with what it does in words. */
export type KeeperPermissionsCall = SafeCall & { readonly description: string }

export type KeeperPermissionsPlan = {
  needs: KeeperNeeds
  /** The role the configuration needs. */
  role: Role
  /** What a human checks before signing: the role, then each target, function and condition in words. */
  review: string[]
  /** The MultiSendCallOnly a batch is delegate-called into (`execution.signer.multi_send`). */
  multiSend: Address
  /** Whether the plan starts from an empty role without reading the chain. */
  assumedEmpty: boolean
  /** The calls the Safe makes, in order: `enableModule` first when the modifier is not enabled, then the modifier's calls. */
  calls: KeeperPermissionsCall[]
  /** The Safe transaction that makes the calls and its EIP-712 hash; undefined when there is no call (the role already matches). */
  transaction: { fields: SafeTransaction; safeTxHash: Hex } | undefined
  /** Differences the transaction does not change (a keeper that owns the Safe, another module...): the desk fixes them by hand. */
  unresolved: KeeperRoleDifference[]
}

/** Differences the planned calls put right: the role's members and permissions, and the module's enabling. */
const FIXED_BY_CALLS: ReadonlySet<KeeperRoleDifferenceCode> = new Set([
  'roles_module_not_enabled',
  'keeper_not_member',
  'member_missing',
  'member_not_needed',
  'target_missing',
  'target_allowed_whole',
  'target_not_needed',
  'function_missing',
  'function_wildcarded',
  'condition_differs',
  'function_not_needed',
  'execution_options_differ',
])

/**
 * Plans the Safe transaction that turns the role on chain into exactly the role a `roles`
 * configuration needs: members, targets, functions and conditions added, changed or revoked,
 * after the Safe's own `enableModule(roles)` when the chain says the modifier is not enabled.
 * Several calls are one DELEGATECALL to MultiSendCallOnly, one call a plain CALL; the hash is the
 * EIP-712 `safeTxHash` the Safe's owners sign, for the configured chain id. Pure: the state is
 * read by the caller. Throws `ConfigError` for a signer that is not `type: roles`, and when the
 * modifier's history is read from after its set-up (`roles_from_block` too late), since the
 * grants made before it would be invisible and left in place.
 */
export function planKeeperPermissions(parameters: PlanKeeperPermissionsParameters): KeeperPermissionsPlan {
  const { config, state } = parameters
  const file = parameters.file ?? 'the configuration'
  const checked = state === undefined ? undefined : checkKeeper({ config, file, state })
  const needs = checked?.needs ?? deriveKeeperNeeds(config, { file })
  const { role, review } = buildKeeperRole(needs)
  if (state !== undefined && state.setUpBlock === undefined) {
    throw new ConfigError(file, [
      {
        path: 'execution.signer.roles_from_block',
        expected: `a block at or before the one the Roles modifier ${needs.rolesModifier} was set up in, so that every grant of the role is read`,
        found: `${state.fromBlock}, from which to block ${state.block} the modifier has no set-up log`,
      },
    ])
  }
  // Annotations live in the Poster contract and grant nothing: left out on both sides, as checkKeeperRole does.
  const next = normalizeRole(role, [])
  const current = normalizeRole(state?.role ?? emptyRole(role.key), [])
  const roleCalls = planRoleCalls({ current, next, roles: needs.rolesModifier })
  const described = plannedRoleCalls(current, next)
  if (described.length !== roleCalls.length) throw new BaseError(`The role's calls were planned twice with different results: ${roleCalls.length} and ${described.length}.`)
  const calls: KeeperPermissionsCall[] = roleCalls.flatMap((call, index) => {
    const plannedCall = described[index]
    return plannedCall === undefined ? [] : [{ ...call, description: describeRoleCall(plannedCall, needs) }]
  })
  if (state !== undefined && !state.rolesEnabled) {
    calls.unshift({
      to: needs.safe,
      value: 0n,
      data: encodeFunctionData({ abi: safeAbi, functionName: 'enableModule', args: [needs.rolesModifier] }),
      description: `enableModule ${needs.rolesModifier} on the Safe ${needs.safe}: the Safe enables the Roles modifier as a module, so that the role's calls reach it`,
    })
  }
  const signer = config.execution.signer
  // deriveKeeperNeeds has refused any other signer already.
  if (!isRolesSigner(signer)) throw new BaseError('A keeper role is planned only for a roles signer.')
  const multiSend = getAddress(signer.multi_send)
  let transaction: KeeperPermissionsPlan['transaction']
  if (calls.length > 0) {
    const fields = buildSafeTransaction({ calls, nonce: parameters.nonce, multiSend })
    transaction = { fields, safeTxHash: safeTransactionHash({ safe: needs.safe, chainId: needs.chain.id, transaction: fields }) }
  }
  const unresolved = (checked?.differences ?? []).filter((difference) => !FIXED_BY_CALLS.has(difference.code))
  return { needs, role, review, multiSend, assumedEmpty: state === undefined, calls, transaction, unresolved }
}
