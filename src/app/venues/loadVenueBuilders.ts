import { venueSchema } from '../../config/schema.js'
import type { VenueBuilder, VenueBuilders, VenueType } from './VenueBuilder.js'
import { venueBuilders } from './venueBuilders.js'

/** Adds the builder of one type; the generic ties the builder to its type's row. */
async function loadInto<T extends VenueType>(builders: { [K in T]?: VenueBuilder<K> }, type: T): Promise<void> {
  builders[type] = await venueBuilders[type]()
}

/**
 * Loads the builders of the venue types `configs` use, each with its adapters; the builders of
 * every venue type without `configs` (a test that edits its configuration as it goes).
 */
export async function loadVenueBuilders(configs?: Iterable<{ venues: Readonly<Record<string, { type: VenueType }>> }>): Promise<VenueBuilders> {
  const types = new Set<VenueType>()
  if (configs === undefined) for (const option of venueSchema.options) types.add(option.shape.type.value)
  else for (const config of configs) for (const venue of Object.values(config.venues)) types.add(venue.type)
  const builders: { [K in VenueType]?: VenueBuilder<K> } = {}
  await Promise.all([...types].map((type) => loadInto(builders, type)))
  return builders
}
