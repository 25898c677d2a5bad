import { describe, expect, it } from 'vitest'
import { buildConfigOf, createVenueBuildContext } from '../../../test/venueBuildContext.js'
import { buildChainlinkPriceSources } from './buildChainlinkPriceSources.js'

describe('buildChainlinkPriceSources', () => {
  it('gives one price source per pair of registry tokens: each direct feed, and each pair two feeds join through USD', () => {
    const config = buildConfigOf(
      {},
      {
        prices: [
          {
            type: 'chainlink',
            name: 'cl',
            chain: 'local',
            feeds: [
              { base: 'ETH', quote: 'USD', address: '0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419', heartbeat_seconds: 3600 },
              { base: 'USDT', quote: 'USD', address: '0x3E7d1eAB13ad0104d2750B8863b489D65364e32D', heartbeat_seconds: 86400 },
              { base: 'EIGEN', quote: 'ETH', address: '0x5c9C449BbC9a6075A2c061dF312a35fd1E05fF22', heartbeat_seconds: 86400 },
            ],
          },
        ],
      },
    )
    const source = config.prices[0]
    if (source?.type !== 'chainlink') throw new Error('test setup: a chainlink source')
    expect(buildChainlinkPriceSources(createVenueBuildContext(config), source).map((built) => built.name)).toEqual(['cl:EIGEN/ETH', 'cl:ETH/USDT'])
  })
})
