import type { VenueBuilderTable } from './VenueBuilder.js'

/**
 * The builder of each venue type: a new venue type is one builder file and one row here. Each
 * row imports its builder, and with it the venue's adapters (viem, ccxt...), only when a venue of
 * that type is configured, so a strategy of static venues starts without loading them.
 */
export const venueBuilders: VenueBuilderTable = {
  static: async () => (await import('./buildStaticVenue.js')).buildStaticVenue,
  static_cex: async () => (await import('./buildStaticCexVenue.js')).buildStaticCexVenue,
  static_amm: async () => (await import('./buildStaticAmmVenue.js')).buildStaticAmmVenue,
  evm_wallet: async () => (await import('./buildEvmWalletVenue.js')).buildEvmWalletVenue,
  merkle_rewards: async () => (await import('./buildMerkleRewardsVenue.js')).buildMerkleRewardsVenue,
  merkl: async () => (await import('./buildMerklVenue.js')).buildMerklVenue,
  morpho_urd: async () => (await import('./buildMorphoUrdVenue.js')).buildMorphoUrdVenue,
  merkle_drop: async () => (await import('./buildMerkleDropVenue.js')).buildMerkleDropVenue,
  uniswap_v2: async () => (await import('./buildUniswapVenue.js')).buildUniswapVenue,
  uniswap_v3: async () => (await import('./buildUniswapVenue.js')).buildUniswapVenue,
  ccxt: async () => (await import('./buildCcxtVenue.js')).buildCcxtVenue,
}
