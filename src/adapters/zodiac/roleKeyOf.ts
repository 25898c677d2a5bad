import { type Hex, getAddress, isHex, stringToHex } from 'viem'
import type { RolesExecution } from '../evm/createEvmTransactor.js'
import { lowerHex } from './lowerHex.js'

/**
 * Returns the bytes32 key of a role as the configuration names it: a 0x-prefixed bytes32 as it
 * is, or a name's UTF-8 bytes right-padded with zeros (what zodiac-roles-sdk's `encodeKey` gives,
 * and the Roles app shows as the role's name).
 */
export function roleKeyOf(role: string): Hex {
  if (isHex(role) && role.length === 66) return lowerHex(role)
  return stringToHex(role, { size: 32 })
}

/** The Roles execution of a roles signer's settings, as the transactor takes it. */
export function rolesExecutionOf(signer: { readonly safe: string; readonly roles_modifier: string; readonly role: string }): RolesExecution {
  return { type: 'roles', safe: getAddress(signer.safe), roles: getAddress(signer.roles_modifier), roleKey: roleKeyOf(signer.role), roleName: signer.role }
}
