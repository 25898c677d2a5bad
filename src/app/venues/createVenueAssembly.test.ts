import { describe, expect, it } from 'vitest'
import { createVenueAssembly } from './createVenueAssembly.js'

describe('createVenueAssembly', () => {
  it('gives an empty assembly, a new one each call, so strategies never share what their builders add', () => {
    const first = createVenueAssembly()
    const second = createVenueAssembly()
    expect(first).toEqual({
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
    })
    first.finishers.push(() => undefined)
    first.depositAddresses.set('binance', '0x90F79bf6EB2c4f870365E785982E1f101E93b906')
    expect(second.finishers).toEqual([])
    expect(second.depositAddresses.size).toBe(0)
  })
})
