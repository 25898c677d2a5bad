import { getAddress } from 'viem'
import { createCumulativeClaimExecutor } from '../../adapters/rewards/createCumulativeClaimExecutor.js'
import { createMerkleDropRewardsSource } from '../../adapters/rewards/createMerkleDropRewardsSource.js'
import { parseMerkleDropClaims } from '../../adapters/rewards/parseMerkleDropClaims.js'
import { BaseError } from '../../errors/index.js'
import type { VenueBuilder } from './VenueBuilder.js'
import { addCumulativeRewardsVenue } from './addCumulativeRewardsVenue.js'

/** Builds a `merkle_drop` venue: a cumulative merkle drop of one registry token, with its claims file. */
export const buildMerkleDropVenue: VenueBuilder<'merkle_drop'> = (context, assembly, name, venue) => {
  const token = context.currency(venue.token)
  if (token.address === undefined) throw new BaseError(`The merkle_drop venue ${name} drops ${venue.token}, a native coin; expected an ERC-20 token.`, { code: 'invalid_config' })
  const address = getAddress(token.address)
  addCumulativeRewardsVenue(context, assembly, name, venue, {
    parse: (origin, value, { account }) => parseMerkleDropClaims({ ...origin, value, account, token: address }),
    createSource: (parameters) => createMerkleDropRewardsSource({ ...parameters, token: address }),
    createClaimer: createCumulativeClaimExecutor,
  })
}
