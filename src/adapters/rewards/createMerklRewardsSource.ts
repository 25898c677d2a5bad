import { type Address, encodeAbiParameters, encodeFunctionData, keccak256 } from 'viem'
import { merklDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import type { CumulativeDistributor } from './RewardClaim.js'
import { type CreateCumulativeRewardsSourceParameters, type CumulativeRewardsSource, createCumulativeRewardsSource } from './createCumulativeRewardsSource.js'

/** Merkl's `Distributor`, at the same address on every chain it supports. */
export const MERKL_DISTRIBUTOR = '0x3Ef3D8bA38EBe18DB133cEc108f4D14CE00Dd9Ae'

const leafParameters = [{ type: 'address' }, { type: 'address' }, { type: 'uint256' }] as const

/** Describes Merkl's `Distributor` at `address`: `getMerkleRoot()`, `claimed(user, token).amount`, leaves `keccak256(abi.encode(user, token, amount))`. */
export function merklDistributor(address: Address): CumulativeDistributor {
  const call = (claim: Parameters<CumulativeDistributor['claimData']>[0]) =>
    ({ address, abi: merklDistributorAbi, functionName: 'claim', args: [[claim.account], [claim.token], [claim.amount], [claim.proof]] }) as const
  return {
    label: 'Merkl Distributor',
    address,
    readRoot: (batcher) => batcher.read({ address, abi: merklDistributorAbi, functionName: 'getMerkleRoot' }),
    readClaimed: async (batcher, account, token) => (await batcher.read({ address, abi: merklDistributorAbi, functionName: 'claimed', args: [account, token] }))[0],
    leaf: (account, token, amount) => keccak256(encodeAbiParameters(leafParameters, [account, token, amount])),
    sendClaim: (transactor, claim, onSigned) => transactor.send(call(claim), onSigned),
    claimData: (claim) => encodeFunctionData(call(claim)),
  }
}

/**
 * Creates the claimable-rewards source of a Merkl `Distributor`, from proofs in Merkl's API v4
 * rewards format. Merkl's live root is `getMerkleRoot()`: a new tree only answers there once its
 * dispute period is over, so proofs of a tree still in dispute are listed `rewards_proof_stale`.
 */
export function createMerklRewardsSource(parameters: Omit<CreateCumulativeRewardsSourceParameters, 'distributor'> & { distributor: Address }): CumulativeRewardsSource {
  return createCumulativeRewardsSource({ ...parameters, distributor: merklDistributor(parameters.distributor) })
}
