import { getAddress, zeroAddress } from 'viem'
import type { ClaimExecutor } from '../../ports/index.js'
import type { EvmTransactor } from '../evm/createEvmTransactor.js'
import { merklDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import { createCumulativeClaimExecutor } from './createCumulativeClaimExecutor.js'
import type { CumulativeRewardsSource } from './createCumulativeRewardsSource.js'

/**
 * Creates the claimer of a Merkl `Distributor` (see `createCumulativeClaimExecutor`). Merkl lets only
 * the account itself, or an operator it approved (`operators(account, signer)`, or any operator with
 * `operators(account, 0x0)`), claim for it: a signer that is neither fails `claim_failed`, not
 * retryable, before anything is sent.
 */
export function createMerklClaimExecutor(parameters: { source: CumulativeRewardsSource; transactor: EvmTransactor }): ClaimExecutor {
  const { source, transactor } = parameters
  const { address } = source.distributor
  return createCumulativeClaimExecutor({
    source,
    transactor,
    async checkSigner(signer) {
      if (getAddress(signer) === getAddress(source.account)) return undefined
      const read = (operator: `0x${string}`) => transactor.chain.client.readContract({ address, abi: merklDistributorAbi, functionName: 'operators', args: [source.account, operator] })
      try {
        const [approved, anyone] = await Promise.all([read(signer), read(zeroAddress)])
        if (approved !== 0n || anyone !== 0n) return undefined
      } catch (error) {
        return {
          ok: false,
          reason: 'claim_failed',
          detail: `Could not read operators(${source.account}, ${signer}) from the Merkl Distributor ${address}: ${error instanceof Error ? error.message : String(error)} Nothing was sent.`,
          retryable: true,
        }
      }
      return {
        ok: false,
        reason: 'claim_failed',
        detail: `The signer ${signer} may not claim ${source.name}'s Merkl rewards for ${source.account}: operators(${source.account}, ${signer}) is 0. Sign with ${source.account}, or have it call toggleOperator(${source.account}, ${signer}) on ${address}. Nothing was sent.`,
        retryable: false,
      }
    },
  })
}
