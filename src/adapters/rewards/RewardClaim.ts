import type { Address, Hex } from 'viem'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import type { EvmTransactionResult, EvmTransactor } from '../evm/createEvmTransactor.js'
import type { SignedTransaction } from '../../ports/index.js'

/**
 * One leaf of a cumulative distribution as its proofs give it: everything the account has earned
 * of `token` since the distribution began (claimed or not), and the proof of that leaf.
 */
export type RewardClaim = {
  readonly token: Address
  /** Cumulative amount in base units. */
  readonly amount: bigint
  readonly proof: readonly Hex[]
  /** The token's symbol as the proofs name it (Merkl's API does), for a token the registry lacks. */
  readonly symbol?: string | undefined
  readonly decimals?: number | undefined
}

/** A claim ready to send: the leaf, the live root it was verified against, and the account it pays. */
export type PendingRewardClaim = RewardClaim & { readonly account: Address; readonly root: Hex }

/**
 * What tells one cumulative merkle distributor from another: how its live root and what an
 * account claimed are read, how a leaf is hashed (pairs are always hashed sorted), and how a claim
 * is sent. Each distributor kind (Merkl, Morpho URD, 1inch drop) is one of these.
 */
export type CumulativeDistributor = {
  /** The contract's name in messages (`Merkl Distributor`). */
  readonly label: string
  readonly address: Address
  /** Queues the read of the root claims are verified against. */
  readRoot(batcher: EvmCallBatcher): Promise<Hex>
  /** Queues the read of what `account` has claimed of `token`, cumulatively, in base units. */
  readClaimed(batcher: EvmCallBatcher, account: Address, token: Address): Promise<bigint>
  /** The leaf of `account`'s cumulative `amount` of `token`. */
  leaf(account: Address, token: Address, amount: bigint): Hex
  /** Simulates, signs and sends the claim of one leaf. */
  sendClaim(transactor: EvmTransactor, claim: PendingRewardClaim, onSigned?: (hash: Hex, signed: SignedTransaction) => Promise<void>): Promise<EvmTransactionResult>
  /** The claim's calldata, for a gas estimate. */
  claimData(claim: PendingRewardClaim): Hex
  /**
   * Queues, with the other reads, a check that the contract is the one configured; answers what
   * is wrong, or `undefined` (a drop pays the configured token).
   */
  check?(batcher: EvmCallBatcher): Promise<string | undefined>
}
