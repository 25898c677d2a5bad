import { getAddress } from 'viem'
import type { Role } from 'zodiac-roles-sdk'
import { lowerHex } from './lowerHex.js'

/**
 * Returns a role as the SDK's planner compares two of them (`===` on text): its key, target
 * addresses and selectors in lower case, its members checksummed, and the given annotations
 * (they live in the Poster contract and grant nothing, so both sides of a comparison take the same).
 */
export function normalizeRole(role: Role, annotations: Role['annotations']): Role {
  return {
    ...role,
    key: lowerHex(role.key),
    members: role.members.map((member) => getAddress(member)),
    annotations,
    targets: role.targets.map((target) => ({
      ...target,
      address: lowerHex(target.address),
      functions: target.functions.map((fn) => ({ ...fn, selector: lowerHex(fn.selector) })),
    })),
  }
}
