import type { Address, PublicClient } from 'viem'
import type { Amount } from '../../domain/money/index.js'
import type { ClaimExecutor } from '../../ports/index.js'
import type { EvmTransactor } from '../evm/createEvmTransactor.js'
import { type MerkleRewardsSource, merkleDistributorAbi } from './createMerkleRewardsSource.js'

/**
 * Creates the claimer of one merkle distributor: `claim(index, account, amount, proof)` from
 * the claims file, simulated first. The claimed amount must be the whole claim: the
 * distributor pays a leaf in full or not at all.
 */
export function createMerkleClaimExecutor(parameters: { source: MerkleRewardsSource; transactor: EvmTransactor }): ClaimExecutor {
  const { source, transactor } = parameters
  return {
    async claim(amount: Amount, journal) {
      const claim = source.claim
      if (!claim) return { ok: false, reason: 'claim_failed', detail: `${source.name} has no claim for ${transactor.account}.`, retryable: false }
      if (claim.amount !== amount.raw) {
        return { ok: false, reason: 'claim_failed', detail: `${source.name} pays ${claim.amount} base units, but the plan claims ${amount.raw}.`, retryable: false }
      }
      const result = await transactor.send(
        {
          address: source.distributor,
          abi: merkleDistributorAbi,
          functionName: 'claim',
          args: [claim.index, claim.account, claim.amount, claim.proof],
        },
        journal && ((hash, signed) => journal.submitting(hash, signed)),
      )
      if (!result.ok)
        return {
          ok: false,
          reason: result.reason === 'reverted' ? 'claim_reverted' : result.reason === 'simulation_failed' ? 'claim_simulation_failed' : result.reason,
          detail: result.detail,
          retryable: result.retryable,
        }
      return { ok: true, receipt: transactor.receipt('claim', source.name, result) }
    },
  }
}

/**
 * Asks the node what the account's claim costs in gas (`eth_estimateGas`), before it is made:
 * anyone may send a claim, so the estimate needs no signer. `undefined` when there is no claim.
 */
export function estimateMerkleClaimGas(parameters: { source: MerkleRewardsSource; client: PublicClient; from: Address }): Promise<bigint | undefined> {
  const claim = parameters.source.claim
  if (!claim) return Promise.resolve(undefined)
  return parameters.client.estimateContractGas({
    address: parameters.source.distributor,
    abi: merkleDistributorAbi,
    functionName: 'claim',
    args: [claim.index, claim.account, claim.amount, claim.proof],
    account: parameters.from,
  })
}
