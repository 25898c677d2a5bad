import { type Address, type PublicClient, getAddress } from 'viem'
import type { Amount } from '../../domain/money/index.js'
import type { ClaimExecutor, StepResult } from '../../ports/index.js'
import type { EvmTransactor } from '../evm/createEvmTransactor.js'
import type { CumulativeRewardsSource } from './createCumulativeRewardsSource.js'
import type { PendingRewardClaim } from './RewardClaim.js'
import type { RewardsState } from './readRewardsState.js'

export type CreateCumulativeClaimExecutorParameters = {
  source: CumulativeRewardsSource
  transactor: EvmTransactor
  /**
   * Checks, before anything is sent, that the signer may claim for the account; answers the
   * failure when it may not (Merkl: only the account or an operator it approved).
   */
  checkSigner?: ((signer: Address) => Promise<StepResult | undefined>) | undefined
}

/** Words an error for a step detail in one sentence (a project or viem error's short message). */
function messageOf(error: unknown): string {
  if (error instanceof Error && 'shortMessage' in error && typeof error.shortMessage === 'string') return error.shortMessage
  return error instanceof Error ? error.message : String(error)
}

/**
 * Creates the claimer of a cumulative distributor. Before sending, it reads the proofs, the live
 * root and what was claimed again: proofs that no longer lead to the live root fail
 * `claim_proof_stale` and nothing is sent; a reward with nothing left to claim (claimed already,
 * by this process or, where anyone may claim, by someone else) fails retryable, never claimed
 * twice. The claim pays cumulative − claimed at the time it is mined, which may be more than
 * planned (a newer root): the plan sells what it planned, the rest waits. A claim that reverts
 * (the root replaced while it was in flight) fails `claim_reverted`, retryable: the next cycle
 * reads everything again and claims once.
 */
export function createCumulativeClaimExecutor(parameters: CreateCumulativeClaimExecutorParameters): ClaimExecutor {
  const { source, transactor } = parameters
  const { distributor, account, name } = source
  return {
    async claim(amount: Amount, journal) {
      const token = amount.currency.address
      if (token === undefined) return { ok: false, reason: 'claim_failed', detail: `${name} pays ERC-20 tokens only; the plan claims ${amount.currency.symbol}, a native coin.`, retryable: false }
      let state: RewardsState
      try {
        state = await source.readState()
      } catch (error) {
        return { ok: false, reason: 'claim_failed', detail: `${name} could not be read again before claiming: ${messageOf(error)} Nothing was sent.`, retryable: true }
      }
      const entry = state.entries.find((candidate) => candidate.claim.token === getAddress(token))
      if (entry === undefined) {
        return { ok: false, reason: 'claim_failed', detail: `The proofs of ${name} no longer name ${amount.currency.symbol} for ${account}. Nothing was sent.`, retryable: true }
      }
      if (!entry.current) {
        return {
          ok: false,
          reason: 'claim_proof_stale',
          detail: `The proofs of ${name} for ${amount.currency.symbol} are for root ${entry.proofRoot}, the ${distributor.label}'s live root is ${state.liveRoot}. Nothing was sent; the next cycle reads them again.`,
          retryable: true,
        }
      }
      if (entry.claimable <= 0n) {
        return {
          ok: false,
          reason: 'claim_failed',
          detail: `${name} has nothing left to claim of ${amount.currency.symbol} for ${account}: ${entry.claimed} base units of the cumulative ${entry.claim.amount} are claimed already (they are in the account's wallet, and the next cycle sells them). Nothing was sent.`,
          retryable: true,
        }
      }
      const refused = await parameters.checkSigner?.(transactor.account)
      if (refused !== undefined) return refused
      const claim: PendingRewardClaim = { ...entry.claim, account, root: state.liveRoot }
      const result = await distributor.sendClaim(transactor, claim, journal && ((hash, signed) => journal.submitting(hash, signed)))
      if (result.ok) return { ok: true, receipt: transactor.receipt('claim', name, result) }
      if (result.reason === 'reverted' || result.reason === 'simulation_failed') {
        // Checked against the live root a moment ago: a claim that fails now met a new root (or a claim by someone else) on the way.
        return {
          ok: false,
          reason: result.reason === 'reverted' ? 'claim_reverted' : 'claim_simulation_failed',
          detail: `${result.detail} The next cycle reads the ${distributor.label} again and claims once.`,
          retryable: true,
        }
      }
      return { ok: false, reason: result.reason, detail: result.detail, retryable: result.retryable }
    },
  }
}

/**
 * Asks the node what the first claimable reward's claim costs in gas (`eth_estimateGas`) from
 * `from`, with what the scan read (or a new read when there was none); `undefined` when nothing
 * current is left to claim.
 */
export async function estimateCumulativeClaimGas(parameters: { source: CumulativeRewardsSource; client: PublicClient; from: Address }): Promise<bigint | undefined> {
  const { source } = parameters
  const state = source.latestState() ?? (await source.readState())
  const entry = state.entries.find((candidate) => candidate.registered && candidate.current && candidate.claimable > 0n)
  if (entry === undefined) return undefined
  const data = source.distributor.claimData({ ...entry.claim, account: source.account, root: state.liveRoot })
  return parameters.client.estimateGas({ account: parameters.from, to: source.distributor.address, data })
}
