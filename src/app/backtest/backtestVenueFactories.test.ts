import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, USDT, WEETH, WETH, amount } from '../../../test/fixtureMoney.js'
import { Fraction } from '../../domain/money/index.js'
import type { RouteQuote } from '../../domain/planning/RouteQuote.js'
import { layOutOrderBook } from '../../engine/backtest/layOutOrderBook.js'
import { layOutPools } from '../../engine/backtest/layOutPools.js'
import type { ConversionVenue } from '../../ports/index.js'
import { backtestVenueFactories } from './backtestVenueFactories.js'

const f = (text: string) => Fraction.fromDecimalString(text)

async function quoteOk(venue: ConversionVenue, path: Parameters<ConversionVenue['quote']>[0], tokens: string): Promise<RouteQuote> {
  const [from] = path
  if (!from) throw new Error('Expected a path with at least one token.')
  const quote = await venue.quote(path, amount(from, tokens))
  if (!quote.ok) throw new Error(`Expected a quote, found ${quote.reason}: ${quote.detail}`)
  return quote
}

describe('backtestVenueFactories', () => {
  it("builds the static AMM of paper trading over an hour's pools", async () => {
    const dex = { name: 'uniswap_v2', depthWeth: { EIGEN: f('500'), ETHFI: f('200'), USDT: f('10000') }, gas: { swap: 180_000n, extraHop: 70_000n } }
    const fee = new Fraction(30n)
    const pools = layOutPools({
      dex,
      tokens: { EIGEN, ETHFI, WETH, ETH, USDT, weETH: WEETH },
      closes: { eigenWeth: f('0.001'), ethfiWeth: f('0.0005'), ethUsdt: f('2000') },
      feeBps: { eigenWeth: fee, ethfiWeth: fee, ethUsdt: fee },
    })
    const venue = backtestVenueFactories.createAmmVenue({ name: 'uniswap_v2', chain: 'ethereum', pools, gas: dex.gas })
    expect([venue.name, venue.kind, venue.chain]).toEqual(['uniswap_v2', 'dex', 'ethereum'])
    const quote = await quoteOk(venue, [EIGEN, WETH], '1000')
    // x·y = k on 500,000 EIGEN and 500 WETH, 0.3 % off the input: 997 × 500 / (500,000 + 997), rounded down.
    expect([String(quote.amountIn), String(quote.amountOut), quote.gasUnits]).toEqual(['1000 EIGEN', '0.995015938219190933 WETH', 180_000n])
  })

  it("builds the static CEX of paper trading over an hour's order books", async () => {
    const cex = {
      name: 'binance',
      takerFeeBps: f('10'),
      minNotional: f('5'),
      amountStep: f('0.01'),
      ethAmountStep: f('0.0001'),
      halfSpreadBps: Fraction.ZERO,
      levelStepBps: f('10'),
      levelValue: f('1000000'),
      levels: 2,
    }
    const market = layOutOrderBook({ cex, base: EIGEN, quote: USDT, mid: f('1'), amountStep: cex.amountStep })
    const venue = backtestVenueFactories.createCexVenue({ name: 'binance', chain: 'ethereum', markets: [market] })
    expect([venue.name, venue.kind, venue.chain]).toEqual(['binance', 'cex', 'ethereum'])
    const quote = await quoteOk(venue, [EIGEN, USDT], '100.005')
    // 100 EIGEN (the 0.01 step) at the 1 USDT mid, less the 10 bps taker fee.
    expect([String(quote.amountIn), String(quote.residual), String(quote.amountOut), quote.gasUnits]).toEqual(['100 EIGEN', '0.005 EIGEN', '99.9 USDT', 0n])
  })
})
