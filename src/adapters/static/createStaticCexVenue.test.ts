import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, USDT, WETH, amount } from '../../../test/fixtureMoney.js'
import { fixtureCexVenue } from '../../../test/fixtureVenues.js'
import { createStaticCexVenue } from './createStaticCexVenue.js'
import { CurrencyMismatchError } from '../../errors/index.js'
import type { RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'

function ok(quote: RouteQuote | RouteQuoteFailure): RouteQuote {
  if (!quote.ok) throw new Error(`expected a quote, found ${quote.reason}: ${quote.detail}`)
  return quote
}

describe('createStaticCexVenue', () => {
  const venue = fixtureCexVenue()

  it('is a CEX taking deposits on its chain, trading the pairs of its markets', async () => {
    expect(venue.name).toBe('binance')
    expect(venue.kind).toBe('cex')
    expect(venue.chain).toBe('ethereum')
    expect((await venue.tradablePairs()).map(([a, b]) => `${a.symbol}/${b.symbol}`)).toEqual(['EIGEN/USDT', 'ETHFI/USDT', 'ETH/USDT'])
  })

  it('answers at once as it answers by promise, with the same frozen pairs every time', async () => {
    const pairs = venue.tradablePairsSync?.()
    expect(pairs).toBe(await venue.tradablePairs())
    expect(Object.isFrozen(pairs)).toBe(true)
    for (const path of [
      [EIGEN, USDT],
      [EIGEN, USDT, ETH],
      [EIGEN, WETH],
    ]) {
      expect(venue.quoteSync?.(path, amount(EIGEN, '1520'))).toStrictEqual(await venue.quote(path, amount(EIGEN, '1520')))
    }
  })

  it('quotes a market sell down the bids: 1,520 EIGEN for 1,895.54256 USDT after the taker fee', async () => {
    const quote = ok(await venue.quote([EIGEN, USDT], amount(EIGEN, '1520')))
    expect(quote.venue).toBe('binance')
    expect(quote.path).toEqual([EIGEN, USDT])
    expect(quote.amountIn.toString()).toBe('1520 EIGEN')
    expect(quote.residual.toString()).toBe('0 EIGEN')
    expect(quote.amountOut.toString()).toBe('1895.54256 USDT')
    expect(quote.gasUnits).toBe(0n)
    expect(quote.hops).toHaveLength(1)
    const [hop] = quote.hops
    expect(hop?.market).toBe('EIGEN/USDT')
    // 1,000 × 1.249 + 520 × 1.247 = 1,897.44; 10 bps of it is 1.89744.
    expect(hop?.notional?.toString()).toBe('1897.44 USDT')
    expect(hop?.fee.toString()).toBe('1.89744 USDT')
    expect(hop?.minNotional?.toString()).toBe('5 USDT')
  })

  it('quotes a two-hop path EIGEN → USDT → ETH: sell EIGEN on the bids, then buy ETH on the asks with the proceeds', async () => {
    const quote = ok(await venue.quote([EIGEN, USDT, ETH], amount(EIGEN, '1520.005')))
    // The amount step of 0.01 EIGEN leaves 0.005 EIGEN unsold.
    expect(quote.amountIn.toString()).toBe('1520 EIGEN')
    expect(quote.residual.toString()).toBe('0.005 EIGEN')
    expect(quote.hops.map((hop) => [hop.market, hop.amountIn.toString(), hop.amountOut.toString(), hop.fee.toString(), hop.notional?.toString()])).toEqual([
      ['EIGEN/USDT', '1520 EIGEN', '1895.54256 USDT', '1.89744 USDT', '1897.44 USDT'],
      // 1,895.54256 USDT buys 0.75806… ETH at 2,500.5, stepped down to 0.758 ETH for 1,895.379 USDT;
      // the taker fee of 10 bps is taken in ETH: 0.000758.
      ['ETH/USDT', '1895.379 USDT', '0.757242 ETH', '0.000758 ETH', '1895.379 USDT'],
    ])
    expect(quote.amountOut.toString()).toBe('0.757242 ETH')
    // What the ETH step left of the USDT proceeds is reported, not lost: 1,895.54256 − 1,895.379.
    expect(quote.leftovers.map(String)).toEqual(['0.16356 USDT'])
    expect(quote.gasUnits).toBe(0n)
  })

  it('fills on execute exactly as it quotes (the books do not move)', async () => {
    const first = ok(await venue.execute([ETHFI, USDT], amount(ETHFI, '800.05')))
    const second = ok(await venue.execute([ETHFI, USDT], amount(ETHFI, '800.05')))
    // Step 0.1: 800 ETHFI sold, 0.05 left. 500 × 0.949 + 300 × 0.948 = 758.9; less 0.7589.
    expect(first.amountIn.toString()).toBe('800 ETHFI')
    expect(first.residual.toString()).toBe('0.05 ETHFI')
    expect(first.amountOut.toString()).toBe('758.1411 USDT')
    expect(second.amountOut.toString()).toBe('758.1411 USDT')
  })

  it('answers no_route for a pair it has no market of', async () => {
    expect(await venue.quote([EIGEN, WETH], amount(EIGEN, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'binance has no EIGEN/WETH market.' })
    expect(await venue.quote([EIGEN, ETHFI, USDT], amount(EIGEN, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'binance has no EIGEN/ETHFI market.' })
  })

  it('answers no_route for a path of one token', async () => {
    expect(await venue.quote([EIGEN], amount(EIGEN, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'A path needs at least two tokens, found 1.' })
  })

  it("passes on the book's refusals, naming the market and the venue", async () => {
    const tooMuch = await venue.quote([EIGEN, USDT], amount(EIGEN, '7000'))
    expect(tooMuch).toEqual({
      ok: false,
      reason: 'insufficient_liquidity',
      detail: 'EIGEN/USDT on binance: The bids of EIGEN/USDT hold 6000 EIGEN in all, less than the 7000 EIGEN to sell.',
    })
    const tooLittle = await venue.quote([EIGEN, USDT], amount(EIGEN, '0.009'))
    expect(tooLittle.ok).toBe(false)
    expect(!tooLittle.ok && tooLittle.reason).toBe('below_amount_step')
  })

  it('refuses an amount in another currency than the path starts with', async () => {
    await expect(venue.quote([EIGEN, USDT], amount(ETHFI, '1'))).rejects.toThrow(CurrencyMismatchError)
  })
})

describe('createStaticCexVenue without markets', () => {
  it('trades nothing and says so for any path', async () => {
    const empty = createStaticCexVenue({ name: 'okx', chain: 'arbitrum', markets: [] })
    expect(empty.chain).toBe('arbitrum')
    expect(await empty.tradablePairs()).toEqual([])
    expect(await empty.quote([EIGEN, USDT], amount(EIGEN, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'okx has no EIGEN/USDT market.' })
  })
})
