import { buildCcxtVenue } from './buildCcxtVenue.js'
import { buildEvmWalletVenue } from './buildEvmWalletVenue.js'
import { buildMerkleRewardsVenue } from './buildMerkleRewardsVenue.js'
import { buildStaticAmmVenue } from './buildStaticAmmVenue.js'
import { buildStaticCexVenue } from './buildStaticCexVenue.js'
import { buildStaticVenue } from './buildStaticVenue.js'
import { buildUniswapVenue } from './buildUniswapVenue.js'
import type { VenueBuilder, VenueType } from './VenueBuilder.js'

/** The builder of each venue type: a new venue type is one builder file and one row here. */
export const venueBuilders = {
  static: buildStaticVenue,
  static_cex: buildStaticCexVenue,
  static_amm: buildStaticAmmVenue,
  evm_wallet: buildEvmWalletVenue,
  merkle_rewards: buildMerkleRewardsVenue,
  uniswap_v2: buildUniswapVenue,
  uniswap_v3: buildUniswapVenue,
  ccxt: buildCcxtVenue,
} satisfies { [T in VenueType]: VenueBuilder<T> }
