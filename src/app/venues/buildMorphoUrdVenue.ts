import { createCumulativeClaimExecutor } from '../../adapters/rewards/createCumulativeClaimExecutor.js'
import { createUrdRewardsSource } from '../../adapters/rewards/createUrdRewardsSource.js'
import { parseMorphoDistributions } from '../../adapters/rewards/parseMorphoDistributions.js'
import type { VenueBuilder } from './VenueBuilder.js'
import { addCumulativeRewardsVenue } from './addCumulativeRewardsVenue.js'

/** Builds a `morpho_urd` venue: rewards in a Morpho Universal Rewards Distributor, proofs in the Morpho rewards API's distributions format. */
export const buildMorphoUrdVenue: VenueBuilder<'morpho_urd'> = (context, assembly, name, venue) =>
  addCumulativeRewardsVenue(context, assembly, name, venue, {
    parse: (origin, value, { account, chainId, distributor }) => parseMorphoDistributions({ ...origin, value, account, chainId, distributor }),
    createSource: createUrdRewardsSource,
    // Anyone may claim for the account on a URD: no signer check.
    createClaimer: createCumulativeClaimExecutor,
  })
