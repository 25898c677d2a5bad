import { describe, expect, it } from 'vitest'
import { EIGEN, FIXED_TIME, USDT, fixtureClock } from '../../../test/fixtureMoney.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import { type OrderBookMarket, createOrderBookLevel } from '../../domain/planning/orderBook.js'
import { createOrderBookMidPriceSource } from './createOrderBookMidPriceSource.js'

const market = (bids: Array<[string, string]>, asks: Array<[string, string]>): OrderBookMarket => ({
  symbol: 'EIGEN/USDT',
  base: EIGEN,
  quote: USDT,
  bids: bids.map(([price, size]) => createOrderBookLevel(EIGEN, USDT, price, size)),
  asks: asks.map(([price, size]) => createOrderBookLevel(EIGEN, USDT, price, size)),
  takerFeeBps: new Fraction(10n),
  minNotional: Amount.parse(USDT, '5'),
  amountStep: undefined,
})

describe('createOrderBookMidPriceSource', () => {
  it('answers the exact mid of the best bid and ask, stamped with the source and time', async () => {
    const source = createOrderBookMidPriceSource({
      name: 'binance',
      markets: () => [
        market(
          [
            ['1.8545', '10'],
            ['1.85', '10'],
          ],
          [['1.8552', '10']],
        ),
      ],
      clock: fixtureClock(),
    })
    const [price] = await source.fetchPrices()
    // (1.8545 + 1.8552) / 2 = 1.85485.
    expect(price?.perToken().toDecimalString(8)).toBe('1.85485')
    expect(price?.origin).toEqual({ source: 'binance', at: FIXED_TIME })
  })

  it('leaves out a one-sided book, and fails when no market has both sides', async () => {
    const source = createOrderBookMidPriceSource({ name: 'binance', markets: () => [market([['1.85', '1']], [])], clock: fixtureClock() })
    await expect(source.fetchPrices()).rejects.toMatchObject({ name: 'SourceError', shortMessage: 'binance has no market with both bids and asks.' })
  })
})
