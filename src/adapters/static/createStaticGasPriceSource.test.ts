import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../../errors/index.js'
import { createStaticGasPriceSource } from './createStaticGasPriceSource.js'

describe('createStaticGasPriceSource', () => {
  it('reads gwei exactly into wei: 2.5 gwei is 2,500,000,000 wei', async () => {
    const source = createStaticGasPriceSource({ chain: 'ethereum', gwei: '2.5' })
    expect(source.chain).toBe('ethereum')
    expect(await source.fetchGasPrice()).toBe(2_500_000_000n)
  })

  it('reads fractions of a gwei down to the wei, and whole gwei', async () => {
    expect(await createStaticGasPriceSource({ chain: 'ethereum', gwei: '0.15' }).fetchGasPrice()).toBe(150_000_000n)
    expect(await createStaticGasPriceSource({ chain: 'ethereum', gwei: '0.000000001' }).fetchGasPrice()).toBe(1n)
    expect(await createStaticGasPriceSource({ chain: 'arbitrum', gwei: '30' }).fetchGasPrice()).toBe(30_000_000_000n)
    expect(await createStaticGasPriceSource({ chain: 'ethereum', gwei: '0' }).fetchGasPrice()).toBe(0n)
  })

  it('refuses a price finer than one wei or not a decimal', () => {
    expect(() => createStaticGasPriceSource({ chain: 'ethereum', gwei: '0.0000000001' })).toThrow(InvalidAmountError)
    expect(() => createStaticGasPriceSource({ chain: 'ethereum', gwei: 'fast' })).toThrow(InvalidAmountError)
  })
})
