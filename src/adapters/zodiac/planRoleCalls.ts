import { type Address, type Hex, getAddress, toFunctionSelector } from 'viem'
import { type Call, ExecutionOptions, type Role, callsPlannedForApplyRole, decodeKey, encodeCalls } from 'zodiac-roles-sdk'
import type { KeeperNeeds } from './KeeperNeeds.js'
import type { SafeCall } from './encodeMultiSend.js'
import { lowerHex } from './lowerHex.js'

export type PlanRoleCallsParameters = {
  /** The role as it is on the modifier (`emptyRole(key)` for a role never configured). */
  current: Role
  /** The role as it must be. */
  next: Role
  /** The Roles modifier the calls go to. */
  roles: Address
}

/** A role with no member and no permission: what the modifier holds for a key never configured. */
export function emptyRole(key: Hex): Role {
  return { key, members: [], targets: [], annotations: [], lastUpdate: 0 }
}

/**
 * Plans the modifier calls that turn `current` into `next`, as the Safe (the modifier's owner)
 * makes them: members assigned or removed, targets scoped or revoked, functions scoped or revoked.
 * Offline: the SDK's `callsPlannedForApplyRole` and `encodeCalls`, never its remote planners. No
 * call when the two roles are the same.
 */
export function planRoleCalls(parameters: PlanRoleCallsParameters): SafeCall[] {
  return encodeCalls(callsPlannedForApplyRole(parameters.current, parameters.next), parameters.roles).map((call) => ({ to: getAddress(call.to), value: 0n, data: call.data }))
}

/** The modifier calls `planRoleCalls` encodes, in the same order, for `describeRoleCall`. */
export function plannedRoleCalls(current: Role, next: Role): Call[] {
  return callsPlannedForApplyRole(current, next)
}

const EXECUTION = {
  [ExecutionOptions.None]: 'no ether, no delegatecall',
  [ExecutionOptions.Send]: 'may send ether',
  [ExecutionOptions.DelegateCall]: 'may delegatecall',
  [ExecutionOptions.Both]: 'may send ether and delegatecall',
} as const

/**
 * Says one planned modifier call in words, for `dust keeper check` and the review:
 * `scopeFunction 0x… (EIGEN) approve(address,uint256) [0x095ea7b3]: allowed with conditions`.
 * With the keeper's needs, targets are named by their token or venue and selectors by their signature.
 */
export function describeRoleCall(call: Call, needs?: KeeperNeeds): string {
  const labels = new Map((needs?.needs ?? []).map((need) => [need.target.toLowerCase(), need.label]))
  const signatures = new Map((needs?.needs ?? []).map((need) => [toFunctionSelector(need.signature), need.signature]))
  const target = (address: Hex) => {
    const label = labels.get(address.toLowerCase())
    return `${getAddress(address)}${label === undefined ? '' : ` (${label})`}`
  }
  const selector = (value: Hex) => {
    const signature = signatures.get(lowerHex(value))
    return signature === undefined ? value : `${signature} [${value}]`
  }
  const role = (key: Hex) => {
    try {
      const name = decodeKey(key)
      return /^[\x20-\x7e]+$/.test(name) ? `"${name}"` : key
    } catch {
      return key
    }
  }
  switch (call.call) {
    case 'allowTarget':
      return `allowTarget ${target(call.targetAddress)}: every function of the target allowed with any arguments (${EXECUTION[call.executionOptions]})`
    case 'scopeTarget':
      return `scopeTarget ${target(call.targetAddress)}: only the functions scoped on it allowed`
    case 'revokeTarget':
      return `revokeTarget ${target(call.targetAddress)}: nothing on the target allowed any more`
    case 'allowFunction':
      return `allowFunction ${target(call.targetAddress)} ${selector(call.selector)}: allowed with any arguments (${EXECUTION[call.executionOptions]})`
    case 'scopeFunction':
      return `scopeFunction ${target(call.targetAddress)} ${selector(call.selector)}: allowed with conditions on its arguments (${EXECUTION[call.executionOptions]})`
    case 'revokeFunction':
      return `revokeFunction ${target(call.targetAddress)} ${selector(call.selector)}: no longer allowed`
    case 'assignRoles':
      return `assignRoles ${getAddress(call.member)} ${call.join ? 'joins' : 'leaves'} the role ${role(call.roleKey)}`
    case 'setAllowance':
      return `setAllowance ${call.key}: balance ${call.balance}, refill ${call.refill} every ${call.period} s up to ${call.maxRefill}`
    case 'postAnnotations':
      return `postAnnotations on the role ${role(call.roleKey)}: ${call.body.addAnnotations?.flatMap((annotation) => annotation.uris).length ?? 0} added, ${call.body.removeAnnotations?.length ?? 0} removed`
  }
}
