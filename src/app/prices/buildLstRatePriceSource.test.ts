import { describe, expect, it } from 'vitest'
import { buildConfigOf, createVenueBuildContext } from '../../../test/venueBuildContext.js'
import { BaseError } from '../../errors/index.js'
import { buildLstRatePriceSource } from './buildLstRatePriceSource.js'

/** The `lst_rate` entry of a configuration whose only price source it is. */
function lstRate(entry: Record<string, unknown>) {
  const config = buildConfigOf({}, { prices: [{ type: 'lst_rate', chain: 'local', quote: 'ETH', method: 'getRate', ...entry }] })
  const source = config.prices[0]
  if (source?.type !== 'lst_rate') throw new Error('test setup: an lst_rate source')
  return { context: createVenueBuildContext(config), source }
}

describe('buildLstRatePriceSource', () => {
  it("reads the base token's own contract by default, under a name of its pair", () => {
    const { context, source } = lstRate({ base: 'EIGEN' })
    expect(buildLstRatePriceSource(context, source).map((built) => built.name)).toEqual(['lst_rate:EIGEN/ETH'])
  })

  it('refuses a base without an address and no contract to read', () => {
    const { context, source } = lstRate({ base: 'ETH', quote: 'USDT', method: 'stEthPerToken' })
    expect(() => buildLstRatePriceSource(context, source)).toThrow(BaseError)
    expect(() => buildLstRatePriceSource(context, source)).toThrow('The lst_rate price source of ETH names no contract to read the rate from.')
  })
})
