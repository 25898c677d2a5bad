import { type Address, type Hex, getAddress, isAddressEqual } from 'viem'
import { type Call, Clearance, ExecutionOptions, type Function as RoleFunction, type Role, type Target, callsPlannedForApplyRole, decodeKey } from 'zodiac-roles-sdk'
import { UsageError } from '../../errors/index.js'
import type { RolesState } from './readRolesState.js'
import { normalizeRole } from './normalizeRole.js'

/** What a difference between the chain and the config is about; stable across versions, for scripts and alerts. */
export type KeeperRoleDifferenceCode =
  | 'role_history_incomplete'
  | 'modifier_avatar_not_safe'
  | 'modifier_target_not_safe'
  | 'modifier_owner_not_safe'
  | 'roles_module_not_enabled'
  | 'safe_has_other_module'
  | 'keeper_is_safe_owner'
  | 'keeper_is_safe_module'
  | 'keeper_not_member'
  | 'keeper_holds_other_role'
  | 'keeper_has_default_role'
  | 'member_missing'
  | 'member_not_needed'
  | 'target_missing'
  | 'target_allowed_whole'
  | 'target_not_needed'
  | 'function_missing'
  | 'function_wildcarded'
  | 'condition_differs'
  | 'function_not_needed'
  | 'execution_options_differ'

/**
 * One way the chain differs from what the config needs. `danger` is true when the chain lets the
 * keeper (or someone the config does not name) do more than the config needs; false when something
 * the manager needs is missing, so that its calls will be refused.
 */
export type KeeperRoleDifference = {
  readonly code: KeeperRoleDifferenceCode
  readonly danger: boolean
  /** A full sentence saying what the config needs and what the chain holds. */
  readonly words: string
  readonly target?: Address
  readonly selector?: Hex
  readonly member?: Address
  /** A module of the Safe other than the Roles modifier. */
  readonly module?: Address
  readonly roleKey?: Hex
}

/** What `checkKeeperRole` compares: the state read from the chain and the role the config needs. */
export type CheckKeeperRoleParameters = {
  state: RolesState
  /** The role the config needs (`buildKeeperRole`). */
  needed: Role
  safe: Address
  keeper: Address
  /** The role's name in the config, for the sentences. */
  roleName: string
  /** Names to show beside addresses and selectors in the sentences, keyed by lowercase address or selector (e.g. a token's symbol, a function's signature). */
  labels?: Readonly<Record<string, string>> | undefined
}

const EXECUTION_WORDS: Record<ExecutionOptions, string> = {
  [ExecutionOptions.None]: 'no ether and no delegate call',
  [ExecutionOptions.Send]: 'sending ether',
  [ExecutionOptions.DelegateCall]: 'delegate calls',
  [ExecutionOptions.Both]: 'sending ether and delegate calls',
}

/** A role key as people read it: its name when it is UTF-8 text, else the bytes32. */
function roleKeyWords(key: Hex): string {
  try {
    const name = decodeKey(key)
    return /^[\x20-\x7e]+$/.test(name) ? `"${name}"` : key
  } catch {
    return key
  }
}

/** Whether two scoped functions hold the same condition, as the SDK's planner judges it (after its normalization). */
function sameCondition(key: Hex, a: RoleFunction, b: RoleFunction): boolean {
  const only = (fn: RoleFunction): Role => ({
    key,
    members: [],
    annotations: [],
    lastUpdate: 0,
    targets: [
      {
        address: '0x0000000000000000000000000000000000000001',
        clearance: Clearance.Function,
        executionOptions: ExecutionOptions.None,
        functions: [{ ...fn, executionOptions: ExecutionOptions.None }],
      },
    ],
  })
  return callsPlannedForApplyRole(only(a), only(b)).length === 0
}

/**
 * Compares the Safe, its Roles modifier and the keeper's role on chain with the role the config
 * needs, and names every difference; an empty list means the chain holds exactly what the
 * config needs.
 *
 * Permission differences are the calls `callsPlannedForApplyRole(state.role, needed)` plans, each
 * named for what it would change. Annotations are left out: they live in the Poster contract,
 * not in the modifier, and grant nothing.
 */
export function checkKeeperRole(parameters: CheckKeeperRoleParameters): KeeperRoleDifference[] {
  const { state, roleName, labels = {} } = parameters
  const safe = getAddress(parameters.safe)
  const keeper = getAddress(parameters.keeper)
  // Annotations live in the Poster contract and grant nothing: left out on both sides.
  const needed = normalizeRole(parameters.needed, [])
  const current = normalizeRole(state.role, [])
  if (needed.key !== current.key) {
    throw new UsageError(`The role read from the chain is ${roleKeyWords(current.key)} but the role to check is ${roleKeyWords(needed.key)}: read the state of the role the config names.`)
  }
  const role = `role "${roleName}"`
  const named = (value: string): string => {
    const label = labels[value.toLowerCase()]
    return label === undefined ? value : `${value} (${label})`
  }
  const differences: KeeperRoleDifference[] = []
  const add = (difference: KeeperRoleDifference) => differences.push(difference)

  if (state.setUpBlock === undefined) {
    add({
      code: 'role_history_incomplete',
      danger: true,
      words: `The Roles modifier ${state.roles} was not set up between blocks ${state.fromBlock} and ${state.block}: changes to the ${role} made before block ${state.fromBlock} were not read, so it may allow more than shown; read from the block the modifier was deployed in.`,
    })
  }
  const { avatar, target, owner } = state.modifier
  if (!isAddressEqual(avatar, safe)) {
    add({
      code: 'modifier_avatar_not_safe',
      danger: true,
      words: `The Roles modifier ${state.roles} acts for ${avatar}, not for the Safe ${safe}: calls through the role would spend that account's funds.`,
    })
  }
  if (!isAddressEqual(target, safe)) {
    add({ code: 'modifier_target_not_safe', danger: true, words: `The Roles modifier ${state.roles} sends its calls through ${target}, not through the Safe ${safe}.` })
  }
  if (!isAddressEqual(owner, safe)) {
    add({
      code: 'modifier_owner_not_safe',
      danger: true,
      words: `The Roles modifier ${state.roles} is owned by ${owner}, not by the Safe ${safe}: whoever holds ${owner} can rewrite the ${role} without the Safe's owners.`,
    })
  }
  if (!state.rolesEnabled) {
    add({ code: 'roles_module_not_enabled', danger: false, words: `The Safe ${safe} has not enabled the Roles modifier ${state.roles} as a module: every call through the ${role} will fail.` })
  }
  for (const module of state.safeModules) {
    if (isAddressEqual(module, state.roles) || isAddressEqual(module, keeper)) continue
    add({
      code: 'safe_has_other_module',
      danger: false,
      module,
      words: `The Safe ${safe} also has ${module} enabled as a module, which the config does not use: a module can move anything the Safe holds, and this check cannot tell who controls it.`,
    })
  }
  if (state.safeOwners.some((item) => isAddressEqual(item, keeper))) {
    const alone = state.safeThreshold <= 1n ? 'alone' : `with ${state.safeThreshold - 1n} other owner signature(s)`
    add({
      code: 'keeper_is_safe_owner',
      danger: true,
      words: `The keeper ${keeper} is an owner of the Safe ${safe} (threshold ${state.safeThreshold} of ${state.safeOwners.length}): ${alone} it can sign any Safe transaction, bypassing the ${role}.`,
    })
  }
  if (state.safeModules.some((item) => isAddressEqual(item, keeper))) {
    add({
      code: 'keeper_is_safe_module',
      danger: true,
      words: `The keeper ${keeper} is an enabled module of the Safe ${safe}: it can call execTransactionFromModule and move anything the Safe holds, bypassing the ${role}.`,
    })
  }
  if (!current.members.some((item) => isAddressEqual(item, keeper))) {
    add({ code: 'keeper_not_member', danger: false, member: keeper, words: `The keeper ${keeper} is not a member of the ${role}: the modifier will refuse its calls (NoMembership).` })
  }
  for (const membership of state.memberships) {
    if (!isAddressEqual(membership.member, keeper) || membership.roleKey.toLowerCase() === needed.key) continue
    add({
      code: 'keeper_holds_other_role',
      danger: true,
      member: keeper,
      roleKey: membership.roleKey,
      words: `The keeper ${keeper} is also a member of role ${roleKeyWords(membership.roleKey)}, which the config does not give it: it can do whatever that role allows.`,
    })
  }
  for (const fallback of state.defaultRoles) {
    if (!isAddressEqual(fallback.module, keeper)) continue
    const other = fallback.roleKey.toLowerCase() !== needed.key
    add({
      code: 'keeper_has_default_role',
      danger: other,
      member: keeper,
      roleKey: fallback.roleKey,
      words: `The keeper ${keeper} has role ${roleKeyWords(fallback.roleKey)} as its default role: its execTransactionFromModule calls run with it${other ? ', and the config does not give it that role' : ''}.`,
    })
  }

  const targetIn = (role: Role, address: Address): Target | undefined => role.targets.find((item) => item.address === address)
  const functionIn = (target: Target | undefined, selector: Hex): RoleFunction | undefined => target?.functions.find((item) => item.selector === selector)
  const clearanceWords = (target: Target | undefined): string =>
    target === undefined || target.clearance === Clearance.None ? 'not allowed' : target.clearance === Clearance.Target ? 'allowed whole' : 'scoped to some of its functions'
  const calls: Call[] = callsPlannedForApplyRole(current, needed)
  const chainDifferences = differences.length
  for (const call of calls) {
    switch (call.call) {
      case 'assignRoles': {
        if (call.join) {
          if (isAddressEqual(call.member, keeper)) break // named above as keeper_not_member
          add({ code: 'member_missing', danger: false, member: call.member, words: `${call.member} is not a member of the ${role}, which the config needs it to be.` })
        } else {
          add({
            code: 'member_not_needed',
            danger: true,
            member: call.member,
            words: `${call.member} is a member of the ${role} but the config does not name it: it can do whatever the role allows.`,
          })
        }
        break
      }
      case 'allowTarget': {
        const prev = targetIn(current, call.targetAddress)
        if (prev?.clearance === Clearance.Target) {
          add({
            code: 'execution_options_differ',
            danger: prev.executionOptions > call.executionOptions,
            target: call.targetAddress,
            words: `The ${role} allows ${named(call.targetAddress)} whole with ${EXECUTION_WORDS[prev.executionOptions]}; the config needs ${EXECUTION_WORDS[call.executionOptions]}.`,
          })
        } else {
          add({
            code: 'target_missing',
            danger: false,
            target: call.targetAddress,
            words: `The config needs ${named(call.targetAddress)} allowed whole, but the ${role} has it ${clearanceWords(prev)}.`,
          })
        }
        break
      }
      case 'scopeTarget': {
        const prev = targetIn(current, call.targetAddress)
        if (prev?.clearance === Clearance.Target) {
          add({
            code: 'target_allowed_whole',
            danger: true,
            target: call.targetAddress,
            words: `The ${role} allows ${named(call.targetAddress)} whole: the keeper can call any function on it with any arguments, where the config needs only some functions under conditions.`,
          })
        } else {
          add({
            code: 'target_missing',
            danger: false,
            target: call.targetAddress,
            words: `The config needs ${named(call.targetAddress)} scoped to some of its functions, but the ${role} has it not allowed.`,
          })
        }
        break
      }
      case 'revokeTarget': {
        const prev = targetIn(current, call.targetAddress)
        const whole = prev?.clearance === Clearance.Target
        add({
          code: whole ? 'target_allowed_whole' : 'target_not_needed',
          danger: true,
          target: call.targetAddress,
          words: `The ${role} has ${named(call.targetAddress)} ${clearanceWords(prev)}, but the config needs nothing on it.`,
        })
        break
      }
      case 'allowFunction':
      case 'scopeFunction': {
        const target = call.targetAddress
        const selector = call.selector
        const prevTarget = targetIn(current, target)
        const prev = functionIn(prevTarget, selector)
        const next = functionIn(targetIn(needed, target), selector)
        const fn = `${named(selector)} on ${named(target)}`
        if (prev === undefined) {
          add({ code: 'function_missing', danger: false, target, selector, words: `The config needs ${fn}, but the ${role} does not allow it.` })
        } else if (prev.wildcarded && call.call === 'scopeFunction') {
          add({ code: 'function_wildcarded', danger: true, target, selector, words: `The ${role} allows ${fn} with any arguments, where the config needs it only under conditions.` })
        } else if (!prev.wildcarded && call.call === 'allowFunction') {
          add({ code: 'condition_differs', danger: false, target, selector, words: `The ${role} allows ${fn} only under conditions, where the config needs it with any arguments.` })
        } else if (next !== undefined && !prev.wildcarded && !sameCondition(needed.key, prev, next)) {
          add({
            code: 'condition_differs',
            danger: true,
            target,
            selector,
            words: `The ${role} allows ${fn} under other conditions than the config needs: it may allow arguments the config does not, and refuse some it needs.`,
          })
        } else {
          add({
            code: 'execution_options_differ',
            danger: prev.executionOptions > call.executionOptions,
            target,
            selector,
            words: `The ${role} allows ${fn} with ${EXECUTION_WORDS[prev.executionOptions]}; the config needs ${EXECUTION_WORDS[call.executionOptions]}.`,
          })
        }
        break
      }
      case 'revokeFunction': {
        const prevTarget = targetIn(current, call.targetAddress)
        const fn = `${named(call.selector)} on ${named(call.targetAddress)}`
        const dormant = prevTarget === undefined || prevTarget.clearance !== Clearance.Function
        add({
          code: 'function_not_needed',
          danger: true,
          target: call.targetAddress,
          selector: call.selector,
          words: dormant
            ? `The ${role} keeps a permission for ${fn}, which the config does not need: the target is ${clearanceWords(prevTarget)} now, but the permission comes back into force if the target is scoped again.`
            : `The ${role} allows ${fn}, which the config does not need.`,
        })
        break
      }
      case 'setAllowance':
      case 'postAnnotations':
        // Planning one role never sets allowances, and annotations were made equal above.
        break
    }
  }
  // The planner lists removals before additions; people read a target's differences together, the target's own first.
  const planned = differences.splice(chainDifferences)
  const order = (difference: KeeperRoleDifference) => `${difference.member === undefined ? 1 : 0}:${difference.target ?? ''}:${difference.selector ?? ''}`
  planned.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
  return [...differences, ...planned]
}
