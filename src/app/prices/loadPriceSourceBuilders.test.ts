import { describe, expect, it } from 'vitest'
import type { PriceSourceBuilders } from './PriceSourceBuilder.js'
import { loadPriceSourceBuilders } from './loadPriceSourceBuilders.js'
import { priceSourceBuilders } from './priceSourceBuilders.js'

describe('loadPriceSourceBuilders', () => {
  it('loads only the on-chain price source types the configurations use', async () => {
    expect(await loadPriceSourceBuilders([{ prices: [{ type: 'static' }, { type: 'cex_mid' }] }])).toEqual({})
    const builders = await loadPriceSourceBuilders([{ prices: [{ type: 'static' }] }, { prices: [{ type: 'lst_rate' }, { type: 'uniswap_spot' }] }])
    expect(Object.keys(builders)).toEqual(['lst_rate'])
    expect(builders.lst_rate).toBe(await priceSourceBuilders.lst_rate())
  })

  it('loads every on-chain type without configurations', async () => {
    const builders: PriceSourceBuilders = await loadPriceSourceBuilders()
    expect(Object.keys(builders).sort()).toEqual(['chainlink', 'lst_rate'])
    expect(builders.chainlink?.name).toBe('buildChainlinkPriceSources')
  })
})
