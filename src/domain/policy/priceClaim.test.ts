import { describe, expect, it } from 'vitest'
import { ETH, USDT, amount, price } from '../../../test/fixtureMoney.js'
import { createPriceBook } from '../money/index.js'
import { priceClaim } from './priceClaim.js'

const BOOK = createPriceBook({ at: 0, prices: [price(ETH, USDT, '2000')] })
const GWEI = 10n ** 9n

describe('priceClaim', () => {
  it('prices the claim gas at the gas price in the share class, rounded up', () => {
    // 100,000 gas × 20 gwei = 0.002 ETH = 4 USDT.
    expect(priceClaim({ priceBook: BOOK, shareClass: USDT, native: ETH, claimGasUnits: 100_000n, gasPriceWei: 20n * GWEI })).toEqual(amount(USDT, '4'))
    // 1 gas × 1 wei is 2 × 10^-15 USDT: a whole base unit once rounded up.
    expect(priceClaim({ priceBook: BOOK, shareClass: USDT, native: ETH, claimGasUnits: 1n, gasPriceWei: 1n })).toEqual(amount(USDT, '0.000001'))
  })

  it('has no price without a gas price, a native coin or a price of it', () => {
    const base = { priceBook: BOOK, shareClass: USDT, claimGasUnits: 1n }
    expect(priceClaim({ ...base, native: ETH, gasPriceWei: undefined })).toBeUndefined()
    expect(priceClaim({ ...base, native: undefined, gasPriceWei: 1n })).toBeUndefined()
    expect(priceClaim({ ...base, priceBook: createPriceBook({ at: 0, prices: [] }), native: ETH, gasPriceWei: 1n })).toBeUndefined()
  })
})
