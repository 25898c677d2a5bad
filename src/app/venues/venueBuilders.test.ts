import { describe, expect, it } from 'vitest'
import { venueSchema } from '../../config/schema.js'
import { loadVenueBuilders } from './loadVenueBuilders.js'
import { venueBuilders } from './venueBuilders.js'

describe('venueBuilders', () => {
  it('has one builder for each venue type the configuration accepts, and none other', () => {
    const accepted = venueSchema.options.map((option) => option.shape.type.value).sort()
    expect(Object.keys(venueBuilders).sort()).toEqual(accepted)
    expect(accepted).toEqual(['ccxt', 'evm_wallet', 'merkl', 'merkle_drop', 'merkle_rewards', 'morpho_urd', 'static', 'static_amm', 'static_cex', 'uniswap_v2', 'uniswap_v3'])
  })

  it('builds Uniswap V2 and V3 with one builder, and every other type with its own', async () => {
    const builders = await Promise.all(Object.entries(venueBuilders).map(async ([type, load]) => [type, await load()] as const))
    expect(Object.fromEntries(builders).uniswap_v2).toBe(Object.fromEntries(builders).uniswap_v3)
    const others = builders.filter(([type]) => !type.startsWith('uniswap_'))
    expect(new Set(others.map(([, builder]) => builder)).size).toBe(others.length)
    // Loading every builder imports viem, ccxt and the Uniswap adapters: slow on a loaded machine.
  }, 60_000)
})

describe('loadVenueBuilders', () => {
  it('loads the builders of the venue types the configurations use, or of every type', async () => {
    const some = await loadVenueBuilders([{ venues: { wallet: { type: 'static' }, binance: { type: 'static_cex' } } }, { venues: { rewards: { type: 'static' } } }])
    expect(Object.keys(some).sort()).toEqual(['static', 'static_cex'])
    expect(some.static).toBe(await venueBuilders.static())
    expect(Object.keys(await loadVenueBuilders()).sort()).toEqual(Object.keys(venueBuilders).sort())
  }, 60_000)
})
