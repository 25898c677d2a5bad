import { type Address, encodeFunctionData, encodePacked, getAddress, keccak256 } from 'viem'
import { cumulativeMerkleDropAbi } from '../localchain/rewardDistributorAbis.js'
import type { CumulativeDistributor } from './RewardClaim.js'
import { type CreateCumulativeRewardsSourceParameters, type CumulativeRewardsSource, createCumulativeRewardsSource } from './createCumulativeRewardsSource.js'

/**
 * Describes a 1inch-style `CumulativeMerkleDrop` of `token`: `merkleRoot()`,
 * `cumulativeClaimed(account)`, leaves `keccak256(abi.encodePacked(account, cumulativeAmount))`;
 * the claim names the root it expects (`MerkleRootWasUpdated` when another is live). Its `token()`
 * is read with the rest and must be `token`.
 */
export function cumulativeMerkleDrop(address: Address, token: Address): CumulativeDistributor {
  const call = (claim: Parameters<CumulativeDistributor['claimData']>[0]) =>
    ({ address, abi: cumulativeMerkleDropAbi, functionName: 'claim', args: [claim.account, claim.amount, claim.root, claim.proof] }) as const
  return {
    label: 'Cumulative Merkle Drop',
    address,
    readRoot: (batcher) => batcher.read({ address, abi: cumulativeMerkleDropAbi, functionName: 'merkleRoot' }),
    readClaimed: (batcher, account) => batcher.read({ address, abi: cumulativeMerkleDropAbi, functionName: 'cumulativeClaimed', args: [account] }),
    leaf: (account, _token, amount) => keccak256(encodePacked(['address', 'uint256'], [account, amount])),
    sendClaim: (transactor, claim, onSigned) => transactor.send(call(claim), onSigned),
    claimData: (claim) => encodeFunctionData(call(claim)),
    async check(batcher) {
      const dropped = getAddress(await batcher.read({ address, abi: cumulativeMerkleDropAbi, functionName: 'token' }))
      return dropped === getAddress(token) ? undefined : `the Cumulative Merkle Drop ${address} drops ${dropped}, not the configured token ${getAddress(token)}.`
    },
  }
}

/**
 * Creates the claimable-rewards source of a cumulative merkle drop (1inch style, for protocol
 * token drops) from its claims file; its one token, `token`, is a registry token.
 */
export function createMerkleDropRewardsSource(parameters: Omit<CreateCumulativeRewardsSourceParameters, 'distributor'> & { distributor: Address; token: Address }): CumulativeRewardsSource {
  return createCumulativeRewardsSource({ ...parameters, distributor: cumulativeMerkleDrop(parameters.distributor, parameters.token), knownTokens: [getAddress(parameters.token)] })
}
