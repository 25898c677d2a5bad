import type { Address, Hex } from 'viem'
import type { LastCloses } from '../adapters/history/readLastCloses.js'
import type { DemoEnvironment } from '../adapters/localchain/deployDemoEnvironment.js'
import type { LocalChain } from '../adapters/localchain/startLocalChain.js'

/** The demo's funds held in a Safe, and the keeper that may only convert them through its Zodiac Roles modifier. */
export type DemoKeeper = {
  readonly safe: Address
  readonly roles: Address
  readonly multiSend: Address
  /** The role's name (its key is the name's bytes). */
  readonly role: string
  /** The keeper's account: the key that signs, a member of the role and nothing else. */
  readonly keeper: Address
  /** The key of the Safe's one owner (the desk), which signs the Safe transactions that set the role up. */
  readonly ownerKey: Hex
  /** The Safe transaction that applied the role the demo's configuration needs, and how many functions it allows. */
  readonly applied?: { readonly hash: Hex; readonly functions: number } | undefined
}

/** A deployed demo world: the chain, its contracts, the strategy's wallet and key, and where its Binance deposits go. */
export type DemoWorld = {
  readonly chain: LocalChain
  readonly environment: DemoEnvironment
  /** Where the strategy's funds are: the wallet of the signing key, or the Safe in keeper mode. */
  readonly wallet: Address
  /** The key that signs: the wallet's own, or the keeper's. */
  readonly walletKey: Hex
  readonly depositAddress: Address
  readonly closes: LastCloses
  /** In keeper mode, the Safe and its Roles modifier; the role is applied by `setUpDemoKeeper`. */
  readonly keeper?: DemoKeeper | undefined
}

/** The role the demo's keeper holds. */
export const DEMO_ROLE = 'dust-keeper'
