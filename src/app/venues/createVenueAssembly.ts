import type { VenueAssembly } from './VenueBuilder.js'

/** Creates an empty assembly for the venue builders of one strategy to add to. */
export function createVenueAssembly(): VenueAssembly {
  return {
    balanceSources: [],
    chainSources: [],
    venues: [],
    staticVenues: [],
    claimers: new Map(),
    claimGasEstimators: new Map(),
    swappers: new Map(),
    sellers: new Map(),
    depositAddresses: new Map(),
    spotPriceSources: new Map(),
    midPriceSources: new Map(),
    finishers: [],
    realExecution: undefined,
  }
}
