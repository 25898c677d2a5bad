import { describe, expect, it } from 'vitest'
import { venueSchema } from '../../config/schema.js'
import { venueBuilders } from './venueBuilders.js'

describe('venueBuilders', () => {
  it('has one builder for each venue type the configuration accepts, and none other', () => {
    const accepted = venueSchema.options.map((option) => option.shape.type.value).sort()
    expect(Object.keys(venueBuilders).sort()).toEqual(accepted)
    expect(accepted).toEqual(['ccxt', 'evm_wallet', 'merkle_rewards', 'static', 'static_amm', 'static_cex', 'uniswap_v2', 'uniswap_v3'])
  })

  it('builds Uniswap V2 and V3 with one builder, and every other type with its own', () => {
    expect(venueBuilders.uniswap_v2).toBe(venueBuilders.uniswap_v3)
    const others = Object.entries(venueBuilders).filter(([type]) => !type.startsWith('uniswap_'))
    expect(new Set(others.map(([, builder]) => builder)).size).toBe(others.length)
  })
})
