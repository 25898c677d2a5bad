import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, FIXED_TIME, USDT, WETH, price } from '../../../test/fixtureMoney.js'
import { createPriceBook } from '../money/index.js'
import { crossCheckPrices } from './crossCheckPrices.js'

describe('crossCheckPrices', () => {
  it('values the token by each source that prices it, chaining through the others for the rest', () => {
    const book = createPriceBook({
      prices: [price(EIGEN, USDT, '1.85', 'binance'), price(EIGEN, WETH, '0.0005', 'uniswap'), price(WETH, USDT, '3800', 'uniswap'), price(ETH, USDT, '3790', 'binance')],
      equivalents: [[WETH, ETH]],
      at: FIXED_TIME,
    })
    const { quotes, deviationBps } = crossCheckPrices(book, EIGEN, USDT)
    // binance: 1.85 USDT; uniswap: 0.0005 WETH × 3,800 = 1.9 USDT.
    expect(quotes.map((quote) => [quote.source, quote.price.toDecimalString(6)])).toEqual([
      ['binance', '1.85'],
      ['uniswap', '1.9'],
    ])
    // (1.9 − 1.85) / 1.85 = 270.27... bps.
    expect(deviationBps.toDecimalString(2)).toBe('270.27')
  })

  it('sees no disagreement with one source, or when sources agree', () => {
    const one = createPriceBook({ prices: [price(EIGEN, USDT, '1.85', 'binance')], at: FIXED_TIME })
    expect(crossCheckPrices(one, EIGEN, USDT).deviationBps.isZero()).toBe(true)
    const agree = createPriceBook({ prices: [price(EIGEN, USDT, '1.85', 'binance'), price(EIGEN, USDT, '1.85', 'okx')], at: FIXED_TIME })
    expect(crossCheckPrices(agree, EIGEN, USDT)).toMatchObject({ quotes: [{ source: 'binance' }, { source: 'okx' }] })
    expect(crossCheckPrices(agree, EIGEN, USDT).deviationBps.isZero()).toBe(true)
  })

  it('skips a source whose price of the token reaches no share-class price', () => {
    const book = createPriceBook({ prices: [price(EIGEN, USDT, '1.85', 'binance'), price(EIGEN, WETH, '0.0005', 'uniswap')], at: FIXED_TIME })
    expect(crossCheckPrices(book, EIGEN, USDT).quotes.map((quote) => quote.source)).toEqual(['binance'])
  })
})
