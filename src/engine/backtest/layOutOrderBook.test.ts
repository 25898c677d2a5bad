import { describe, expect, it } from 'vitest'
import { EIGEN, USDT } from '../../../test/fixtureMoney.js'
import { Fraction } from '../../domain/money/index.js'
import type { OrderBookMarket } from '../../domain/planning/orderBook.js'
import type { BacktestCexSettings } from './BacktestVenueSettings.js'
import { layOutOrderBook } from './layOutOrderBook.js'

const f = (text: string) => Fraction.fromDecimalString(text)
const CEX: BacktestCexSettings = {
  name: 'binance',
  takerFeeBps: f('10'),
  minNotional: f('5'),
  amountStep: f('0.01'),
  ethAmountStep: f('0.0001'),
  halfSpreadBps: f('5'),
  levelStepBps: f('10'),
  levelValue: f('25000'),
  levels: 2,
}

/** Each level as its price in USDT per whole EIGEN, to 6 places, and its size in EIGEN base units. */
const levels = (side: OrderBookMarket['bids']) => side.map((level) => [level.price.multiply(10n ** 12n).toDecimalString(6), level.size])

describe('layOutOrderBook', () => {
  it('lays bids under and asks over the mid, a half spread then a level step apart, each worth the level value', () => {
    const book = layOutOrderBook({ cex: CEX, base: EIGEN, quote: USDT, mid: f('2'), amountStep: f('0.01') })
    expect(book.symbol).toBe('EIGEN/USDT')
    // 2 × (1 ∓ 0.0005), then 2 × (1 ∓ 0.0015); sizes 25,000 USDT / price, rounded down.
    expect(levels(book.bids)).toEqual([
      ['1.999', 12_506_253_126_563_281_640_820n],
      ['1.997', 12_518_778_167_250_876_314_471n],
    ])
    expect(levels(book.asks)).toEqual([
      ['2.001', 12_493_753_123_438_280_859_570n],
      ['2.003', 12_481_278_082_875_686_470_294n],
    ])
    // Prices are USDT base units per EIGEN base unit: 1.999 × 10^6 / 10^18.
    expect(book.bids[0]?.price.equals(new Fraction(1999n, 10n ** 15n))).toBe(true)
    expect(book.takerFeeBps.toDecimalString(0)).toBe('10')
    expect(book.minNotional.toString()).toBe('5 USDT')
    expect(book.amountStep).toBe(10n ** 16n)
  })

  it('drops the bids a spread of 100 % or more would put at or under zero, and keeps the asks', () => {
    const book = layOutOrderBook({ cex: { ...CEX, halfSpreadBps: f('9995') }, base: EIGEN, quote: USDT, mid: f('2'), amountStep: f('0.01') })
    // The first bid is at 2 × 0.0005 = 0.001; the second would be at 2 × (1 − 1.0005).
    expect(levels(book.bids)).toEqual([['0.001', 25_000_000n * 10n ** 18n]])
    expect(levels(book.asks).map(([price]) => price)).toEqual(['3.999', '4.001'])
  })

  it('lays out an empty book when the CEX has no level', () => {
    const book = layOutOrderBook({ cex: { ...CEX, levels: 0 }, base: EIGEN, quote: USDT, mid: f('2'), amountStep: f('0.01') })
    expect(book.bids).toEqual([])
    expect(book.asks).toEqual([])
  })
})
