import type { AbiParameter } from 'viem'
import { type FunctionPermission, type Role, c, processPermissions } from 'zodiac-roles-sdk'
import { encodeV3Path } from '../uniswap/v3Math.js'
import { KEEPER_FUNCTIONS, type KeeperNeed, type KeeperNeeds, type KeeperParty, type KeeperSwapPath } from './KeeperNeeds.js'

export type BuildKeeperRoleReturnType = {
  /** The permissions, as `processPermissions` takes them: one scoped function per need. */
  permissions: FunctionPermission[]
  /** The role to apply: the keeper its only member, every target scoped to functions, every function conditioned. */
  role: Role
  /** What a human checks before signing: the role, then each target, function and condition in words. */
  review: string[]
}

/** An ABI parameter as ethers reads it (`(bytes path,address recipient) params`), names kept so that `c.matches` can name tuple fields. */
function formatParameter(parameter: AbiParameter): string {
  const type = parameter.type.startsWith('tuple') && 'components' in parameter ? `(${parameter.components.map(formatParameter).join(',')})${parameter.type.slice('tuple'.length)}` : parameter.type
  return parameter.name ? `${type} ${parameter.name}` : type
}

/** A condition that a value (an address, encoded bytes) is one of `values`: plain equality for one (the SDK's `or` needs two branches). */
function oneOf(values: readonly string[]): string | ReturnType<typeof c.or<[string, string, ...string[]], string>> {
  const [first, second, ...rest] = values
  if (first === undefined) throw new Error('A condition needs at least one allowed value.')
  return second === undefined ? first : c.or<[string, string, ...string[]], string>(first, second, ...rest)
}

/** A condition that an array (a V2 path of addresses) is one of `values`, element by element; plain matching for one. */
function oneOfArrays(values: readonly (readonly string[])[]): readonly string[] | ReturnType<typeof c.or<[readonly string[], readonly string[], ...(readonly string[])[]], string[]>> {
  const [first, second, ...rest] = values
  if (first === undefined) throw new Error('A condition needs at least one allowed value.')
  return second === undefined ? first : c.or<[readonly string[], readonly string[], ...(readonly string[])[]], string[]>(first, second, ...rest)
}

function describeParties(parties: readonly KeeperParty[]): string {
  return parties.map((party) => `${party.address} (${party.label})`).join(' or ')
}

/** A path as the review shows it: `EIGEN -3000-> WETH -500-> USDT` on V3, `EIGEN -> WETH -> USDT` on V2. */
export function describeSwapPath(path: KeeperSwapPath): string {
  return path.tokens.map((token, index) => (index === 0 ? token : `${path.fees?.[index - 1] === undefined ? '->' : `-${path.fees[index - 1]}->`} ${token}`)).join(' ')
}

/** The condition on a need's calldata, and the lines that say it in words. */
function conditionOf(need: KeeperNeed): { condition: NonNullable<FunctionPermission['condition']>; words: string[] } {
  const types = KEEPER_FUNCTIONS[need.function].inputs.map(formatParameter)
  const { constraint } = need
  switch (constraint.kind) {
    case 'claim':
      if (constraint.distributor === 'merkl') {
        return { condition: c.calldataMatches([c.every(c.avatar)], types), words: ['users: every one = the Safe', 'tokens, amounts, proofs: any'] }
      }
      if (constraint.distributor === 'merkle_rewards') {
        return { condition: c.calldataMatches([undefined, c.avatar], types), words: ['account = the Safe', 'index, amount, proof: any'] }
      }
      return {
        condition: c.calldataMatches([c.avatar], types),
        words: ['account = the Safe', constraint.distributor === 'morpho_urd' ? 'reward, claimable, proof: any' : 'cumulativeAmount, expectedMerkleRoot, proof: any'],
      }
    case 'approve':
      return { condition: c.calldataMatches([oneOf(constraint.spenders.map((party) => party.address))], types), words: [`spender = ${describeParties(constraint.spenders)}`, 'amount: any'] }
    case 'transfer':
      return { condition: c.calldataMatches([oneOf(constraint.recipients.map((party) => party.address))], types), words: [`to = ${describeParties(constraint.recipients)}`, 'amount: any'] }
    case 'swap_v2':
      return {
        condition: c.calldataMatches([undefined, undefined, oneOfArrays(constraint.paths.map((path) => path.addresses)), c.avatar], types),
        words: [`path one of: ${constraint.paths.map(describeSwapPath).join(', ')}`, 'to = the Safe', 'amountIn, amountOutMin, deadline: any'],
      }
    case 'swap_v3':
      return {
        condition: c.calldataMatches([c.matches({ path: oneOf(constraint.paths.map((path) => encodeV3Path(path.addresses, path.fees ?? []))), recipient: c.avatar })], types),
        words: [`path one of: ${constraint.paths.map(describeSwapPath).join(', ')}`, 'recipient = the Safe', 'deadline, amountIn, amountOutMinimum: any'],
      }
  }
}

/**
 * Builds the Zodiac Roles role that allows exactly a keeper's needs, with `zodiac-roles-sdk`.
 *
 * Each need becomes one function permission on its target, with its condition on the calldata
 * (claims to the Safe, approvals to the configured routers, swaps along the planner's paths to the
 * Safe, transfers to the deposit addresses); no target is allowed whole, no function wildcarded,
 * neither sending ether nor delegatecall is allowed. Amounts are not limited: the manager decides
 * them, and a swap's output always comes back to the Safe.
 */
export function buildKeeperRole(needs: KeeperNeeds): BuildKeeperRoleReturnType {
  const permissions: FunctionPermission[] = []
  const review: string[] = [
    `Role ${needs.role.name === undefined ? needs.role.key : `"${needs.role.name}" (${needs.role.key})`} on the Roles modifier ${needs.rolesModifier}, ${needs.chain.name} (chain ${needs.chain.id}):`,
    `  member: the keeper ${needs.keeper}, acting for the Safe ${needs.safe}`,
    '  no target is allowed whole, no function wildcarded, no ether sent, no delegatecall',
  ]
  for (const need of needs.needs) {
    const { condition, words } = conditionOf(need)
    permissions.push({ targetAddress: need.target, signature: need.signature, condition })
    review.push(`${need.target} (${need.label}): ${need.signature}`, ...words.map((line) => `  ${line}`))
  }
  const { targets } = processPermissions(permissions)
  return {
    permissions,
    role: { key: needs.role.key, members: [needs.keeper], targets, annotations: [], lastUpdate: 0 },
    review,
  }
}
