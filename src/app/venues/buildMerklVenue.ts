import { createMerklClaimExecutor } from '../../adapters/rewards/createMerklClaimExecutor.js'
import { createMerklRewardsSource } from '../../adapters/rewards/createMerklRewardsSource.js'
import { parseMerklRewards } from '../../adapters/rewards/parseMerklRewards.js'
import type { VenueBuilder } from './VenueBuilder.js'
import { addCumulativeRewardsVenue } from './addCumulativeRewardsVenue.js'

/** Builds a `merkl` venue: rewards in Merkl's `Distributor`, proofs in Merkl's API v4 rewards format. */
export const buildMerklVenue: VenueBuilder<'merkl'> = (context, assembly, name, venue) =>
  addCumulativeRewardsVenue(context, assembly, name, venue, {
    parse: (origin, value, { account, chainId }) => parseMerklRewards({ ...origin, value, account, chainId }),
    createSource: createMerklRewardsSource,
    createClaimer: createMerklClaimExecutor,
  })
