import { getAddress } from 'viem'
import { BaseError } from '../../errors/index.js'
import { createMerkleClaimExecutor, estimateMerkleClaimGas } from '../../adapters/merkle/createMerkleClaimExecutor.js'
import { createMerkleRewardsSource } from '../../adapters/merkle/createMerkleRewardsSource.js'
import type { VenueBuilder } from './VenueBuilder.js'
import { useRealExecution } from './useRealExecution.js'

/** Builds a `merkle_rewards` venue: the claimable rewards, their claim gas estimate and, when signing, their claimer. */
export const buildMerkleRewardsVenue: VenueBuilder<'merkle_rewards'> = (context, assembly, name, venue) => {
  if (venue.claims === undefined) {
    // loadConfig replaces claims_file with the claims it holds; a configuration built in code may not have.
    throw new BaseError(`The merkle_rewards venue ${name} has no claims.`, {
      code: 'invalid_config',
      details: 'Expected its claims inline (loadConfig reads claims_file into them), found none.',
    })
  }
  const real = useRealExecution(context, assembly)
  const source = createMerkleRewardsSource({
    name,
    distributor: getAddress(venue.distributor),
    token: context.currency(venue.token),
    account: getAddress(venue.account),
    claims: venue.claims,
    batcher: context.chainOf(venue.chain).batcher,
  })
  assembly.chainSources.push(source)
  const owner = context.owners.get(venue.chain)
  if (owner !== undefined) {
    const from = getAddress(owner)
    assembly.claimGasEstimators.set(name, () => estimateMerkleClaimGas({ source, client: context.chainOf(venue.chain).client, from }))
  }
  const transactor = real.transactorOf(venue.chain)
  if (transactor) assembly.claimers.set(name, createMerkleClaimExecutor({ source, transactor }))
}
