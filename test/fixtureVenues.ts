import { type StaticAmmVenue, createStaticAmmVenue } from '../src/adapters/static/createStaticAmmVenue.js'
import { type StaticCexVenue, createStaticCexVenue } from '../src/adapters/static/createStaticCexVenue.js'
import { Amount, type Currency, Fraction } from '../src/domain/money/index.js'
import { type OrderBookMarket, createOrderBookLevel } from '../src/domain/planning/orderBook.js'
import type { ConstantProductPool } from '../src/domain/planning/quoteConstantProduct.js'
import { EIGEN, ETH, ETHFI, USDT, WETH } from './fixtureMoney.js'

function market(base: Currency, quote: Currency, rules: { minNotional: string; step: string; bids: [string, string][]; asks: [string, string][] }): OrderBookMarket {
  return {
    symbol: `${base.symbol}/${quote.symbol}`,
    base,
    quote,
    bids: rules.bids.map(([priceText, size]) => createOrderBookLevel(base, quote, priceText, size)),
    asks: rules.asks.map(([priceText, size]) => createOrderBookLevel(base, quote, priceText, size)),
    takerFeeBps: new Fraction(10n),
    minNotional: Amount.parse(quote, rules.minNotional),
    amountStep: Amount.parse(base, rules.step).raw,
  }
}

/** The binance books of the fixture configuration (10 bps taker fee). */
export function fixtureCexVenue(): StaticCexVenue {
  return createStaticCexVenue({
    name: 'binance',
    chain: 'ethereum',
    markets: [
      market(EIGEN, USDT, {
        minNotional: '5',
        step: '0.01',
        bids: [
          ['1.249', '1000'],
          ['1.247', '5000'],
        ],
        asks: [['1.251', '1000']],
      }),
      market(ETHFI, USDT, {
        minNotional: '5',
        step: '0.1',
        bids: [
          ['0.949', '500'],
          ['0.948', '5000'],
        ],
        asks: [['0.951', '1000']],
      }),
      market(ETH, USDT, { minNotional: '5', step: '0.0001', bids: [['2499.5', '10']], asks: [['2500.5', '10']] }),
    ],
  })
}

function pool(token0: Currency, token1: Currency, reserve0: string, reserve1: string): ConstantProductPool {
  return {
    name: `${token0.symbol}/${token1.symbol}`,
    token0,
    token1,
    reserve0: Amount.parse(token0, reserve0).raw,
    reserve1: Amount.parse(token1, reserve1).raw,
    feeBps: new Fraction(30n),
  }
}

/** The uniswap pools of the fixture configuration (30 bps, V2 constant product). */
export function fixtureAmmVenue(): StaticAmmVenue {
  return createStaticAmmVenue({
    name: 'uniswap',
    chain: 'ethereum',
    gas: { swap: 180_000n, extraHop: 70_000n },
    pools: [pool(EIGEN, WETH, '400000', '200'), pool(ETHFI, WETH, '500000', '190'), pool(WETH, USDT, '2000', '5000000')],
  })
}
