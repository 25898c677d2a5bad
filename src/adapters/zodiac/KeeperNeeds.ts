import { type Address, type Hex, erc20Abi } from 'viem'
import { cumulativeMerkleDropAbi, merklDistributorAbi, universalRewardsDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import { merkleDistributorAbi } from '../merkle/createMerkleRewardsSource.js'
import { swapRouterAbi, v2RouterAbi } from '../uniswap/uniswapAbis.js'

/** The rewards distributors a keeper claims from, by venue type. */
export type KeeperDistributorType = 'merkle_rewards' | 'merkl' | 'morpho_urd' | 'merkle_drop'

function functionOf<const Name extends string, const Item extends { readonly type: string; readonly name: string }>(abi: readonly Item[], name: Name): Extract<Item, { type: 'function'; name: Name }> {
  const item = abi.find((candidate): candidate is Extract<Item, { type: 'function'; name: Name }> => candidate.type === 'function' && candidate.name === name)
  // The fragments are the project's own constants: a missing one is a bug, caught by KeeperNeeds.test.ts.
  if (!item) throw new Error(`No function ${name} in the ABI fragments.`)
  return item
}

/**
 * The function each need calls, from the ABI fragments the adapters call it with (so the role and
 * the manager cannot drift apart): the four distributors' `claim`, ERC-20 `approve` and `transfer`,
 * V2 `swapExactTokensForTokens` and V3 `exactInput`.
 */
export const KEEPER_FUNCTIONS = {
  claim_merkle_rewards: functionOf(merkleDistributorAbi, 'claim'),
  claim_merkl: functionOf(merklDistributorAbi, 'claim'),
  claim_morpho_urd: functionOf(universalRewardsDistributorAbi, 'claim'),
  claim_merkle_drop: functionOf(cumulativeMerkleDropAbi, 'claim'),
  approve: functionOf(erc20Abi, 'approve'),
  transfer: functionOf(erc20Abi, 'transfer'),
  swap_v2: functionOf(v2RouterAbi, 'swapExactTokensForTokens'),
  swap_v3: functionOf(swapRouterAbi, 'exactInput'),
} as const

/** A key of `KEEPER_FUNCTIONS`. */
export type KeeperFunction = keyof typeof KEEPER_FUNCTIONS

/** An address the role lets a parameter take, with what it is for the review (`uniswap (uniswap_v3 router)`). */
export type KeeperParty = { readonly address: Address; readonly label: string }

/** A swap path the planner can produce: registry symbols, their addresses on the chain and, on V3, each hop's fee tier. */
export type KeeperSwapPath = { readonly tokens: readonly string[]; readonly addresses: readonly Address[]; readonly fees?: readonly number[] | undefined }

/** What the role lets one function's parameters be. */
export type KeeperConstraint =
  /** The claim's account (every `users` element on Merkl) is the Safe. */
  | { readonly kind: 'claim'; readonly distributor: KeeperDistributorType }
  /** `approve(spender, amount)`: spender one of these routers; any amount. */
  | { readonly kind: 'approve'; readonly spenders: readonly KeeperParty[] }
  /** `transfer(to, amount)`: to one of these deposit addresses; any amount. */
  | { readonly kind: 'transfer'; readonly recipients: readonly KeeperParty[] }
  /** `swapExactTokensForTokens`: `path` one of these, `to` the Safe; any amounts and deadline. */
  | { readonly kind: 'swap_v2'; readonly router: Address; readonly paths: readonly KeeperSwapPath[] }
  /** `exactInput`: `path` one of these (encoded with their fees), `recipient` the Safe; any amounts and deadline. */
  | { readonly kind: 'swap_v3'; readonly router: Address; readonly paths: readonly KeeperSwapPath[] }

/** One function of one contract the keeper's role must allow, and on what conditions. */
export type KeeperNeed = {
  /** The contract called (checksummed). */
  readonly target: Address
  /** What the target is, for the review: a token's symbol, or the venue names and what the contract is to them. */
  readonly label: string
  /** Which of `KEEPER_FUNCTIONS` is called. */
  readonly function: KeeperFunction
  /** Its canonical signature, `approve(address,uint256)`. */
  readonly signature: string
  readonly constraint: KeeperConstraint
}

/** Everything the keeper's role must allow for one strategy, derived from its configuration; plain data. */
export type KeeperNeeds = {
  readonly chain: { readonly name: string; readonly id: number }
  /** The Safe: the Roles modifier's avatar, which holds the funds and executes every call. */
  readonly safe: Address
  readonly rolesModifier: Address
  /** The role's bytes32 key (lower-case hex), and its name when the configuration gives one. */
  readonly role: { readonly key: Hex; readonly name?: string | undefined }
  /** The account whose key sends `execTransactionWithRole`: the role's only member. */
  readonly keeper: Address
  /** Claims first (in the order of the venues), then each token's approval and transfer (in the order of the registry), then the swaps. */
  readonly needs: readonly KeeperNeed[]
}
