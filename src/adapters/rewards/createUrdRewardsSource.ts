import { type Address, encodeAbiParameters, encodeFunctionData, keccak256 } from 'viem'
import { universalRewardsDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import type { CumulativeDistributor } from './RewardClaim.js'
import { type CreateCumulativeRewardsSourceParameters, type CumulativeRewardsSource, createCumulativeRewardsSource } from './createCumulativeRewardsSource.js'

const leafParameters = [{ type: 'address' }, { type: 'address' }, { type: 'uint256' }] as const

/** Describes a Morpho `UniversalRewardsDistributor`: `root()`, `claimed(account, reward)`, leaves `keccak256(bytes.concat(keccak256(abi.encode(account, reward, claimable))))`. */
export function universalRewardsDistributor(address: Address): CumulativeDistributor {
  const call = (claim: Parameters<CumulativeDistributor['claimData']>[0]) =>
    ({ address, abi: universalRewardsDistributorAbi, functionName: 'claim', args: [claim.account, claim.token, claim.amount, claim.proof] }) as const
  return {
    label: 'Universal Rewards Distributor',
    address,
    readRoot: (batcher) => batcher.read({ address, abi: universalRewardsDistributorAbi, functionName: 'root' }),
    readClaimed: (batcher, account, token) => batcher.read({ address, abi: universalRewardsDistributorAbi, functionName: 'claimed', args: [account, token] }),
    leaf: (account, token, amount) => keccak256(keccak256(encodeAbiParameters(leafParameters, [account, token, amount]))),
    sendClaim: (transactor, claim, onSigned) => transactor.send(call(claim), onSigned),
    claimData: (claim) => encodeFunctionData(call(claim)),
  }
}

/**
 * Creates the claimable-rewards source of a Morpho Universal Rewards Distributor, from proofs in
 * the Morpho rewards API's distributions format. The live root is `root()` (a submitted root only
 * answers there once accepted after its timelock). Anyone may claim for the account, and the
 * tokens always go to the account.
 */
export function createUrdRewardsSource(parameters: Omit<CreateCumulativeRewardsSourceParameters, 'distributor'> & { distributor: Address }): CumulativeRewardsSource {
  return createCumulativeRewardsSource({ ...parameters, distributor: universalRewardsDistributor(parameters.distributor) })
}
