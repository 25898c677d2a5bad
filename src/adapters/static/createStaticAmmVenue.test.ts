import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, USDT, WETH, amount } from '../../../test/fixtureMoney.js'
import { fixtureAmmVenue } from '../../../test/fixtureVenues.js'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import type { RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'
import { createStaticAmmVenue } from './createStaticAmmVenue.js'

function ok(quote: RouteQuote | RouteQuoteFailure): RouteQuote {
  if (!quote.ok) throw new Error(`expected a quote, found ${quote.reason}: ${quote.detail}`)
  return quote
}

const E18 = 10n ** 18n

/** Uniswap V2's getAmountOut with a 30 bps fee, written out independently. */
function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const inWithFee = amountIn * 997n
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee)
}

describe('createStaticAmmVenue', () => {
  it('is a DEX on its chain, trading the pairs of its pools', async () => {
    const venue = fixtureAmmVenue()
    expect(venue.name).toBe('uniswap')
    expect(venue.kind).toBe('dex')
    expect(venue.chain).toBe('ethereum')
    expect((await venue.tradablePairs()).map(([a, b]) => `${a.symbol}/${b.symbol}`)).toEqual(['EIGEN/WETH', 'ETHFI/WETH', 'WETH/USDT'])
  })

  it("quotes one hop with V2's exact formula: 1,000 EIGEN into 400,000 EIGEN / 200 WETH", async () => {
    const quote = ok(await fixtureAmmVenue().quote([EIGEN, WETH], amount(EIGEN, '1000')))
    expect(quote.amountOut.raw).toBe(getAmountOut(1000n * E18, 400_000n * E18, 200n * E18))
    expect(quote.amountOut.toString()).toBe('0.49726057800931179 WETH')
    expect(quote.amountIn.toString()).toBe('1000 EIGEN')
    expect(quote.residual.toString()).toBe('0 EIGEN')
    expect(quote.hops.map((hop) => [hop.market, hop.fee.toString()])).toEqual([['EIGEN/WETH', '3 EIGEN']])
    expect(quote.gasUnits).toBe(180_000n)
  })

  it('quotes two hops, the first output feeding the second, with the gas of an extra hop', async () => {
    const quote = ok(await fixtureAmmVenue().quote([EIGEN, WETH, USDT], amount(EIGEN, '1000')))
    const weth = getAmountOut(1000n * E18, 400_000n * E18, 200n * E18)
    expect(quote.amountOut.raw).toBe(getAmountOut(weth, 2000n * E18, 5_000_000n * 10n ** 6n))
    expect(quote.amountOut.toString()).toBe('1239.114833 USDT')
    expect(quote.hops.map((hop) => [hop.market, hop.amountIn.toString(), hop.amountOut.toString(), hop.fee.toString()])).toEqual([
      ['EIGEN/WETH', '1000 EIGEN', '0.49726057800931179 WETH', '3 EIGEN'],
      ['WETH/USDT', '0.49726057800931179 WETH', '1239.114833 USDT', '0.001491781734027936 WETH'],
    ])
    expect(quote.gasUnits).toBe(250_000n)
  })

  it('answers at once as it answers by promise, with the same frozen pairs every time, before and after a swap', async () => {
    const venue = fixtureAmmVenue()
    const pairs = venue.tradablePairsSync?.()
    expect(pairs).toBe(await venue.tradablePairs())
    expect(Object.isFrozen(pairs)).toBe(true)
    expect(venue.quoteSync?.([EIGEN, WETH, USDT], amount(EIGEN, '1000'))).toStrictEqual(await venue.quote([EIGEN, WETH, USDT], amount(EIGEN, '1000')))
    await venue.execute([EIGEN, WETH], amount(EIGEN, '1000'))
    expect(venue.tradablePairsSync?.()).toBe(pairs)
    // The quote at once sees the moved reserves, as the quote by promise does.
    expect(venue.quoteSync?.([EIGEN, WETH], amount(EIGEN, '1000'))).toStrictEqual(await venue.quote([EIGEN, WETH], amount(EIGEN, '1000')))
    expect(venue.quoteSync?.([ETHFI, USDT], amount(ETHFI, '1'))).toStrictEqual(await venue.quote([ETHFI, USDT], amount(ETHFI, '1')))
  })

  it('moves the reserves on execute, so the next swap gets less', async () => {
    const venue = fixtureAmmVenue()
    const before = ok(await venue.quote([EIGEN, WETH], amount(EIGEN, '1000')))
    const filled = ok(await venue.execute([EIGEN, WETH], amount(EIGEN, '1000')))
    expect(filled.amountOut.toString()).toBe(before.amountOut.toString())
    const pool = venue.pools().find((candidate) => candidate.name === 'EIGEN/WETH')
    expect(pool?.reserve0).toBe(401_000n * E18)
    expect(pool?.reserve1).toBe(200n * E18 - 497_260_578_009_311_790n)
    // The other pools are untouched.
    expect(venue.pools().find((candidate) => candidate.name === 'WETH/USDT')?.reserve0).toBe(2000n * E18)
    const after = ok(await venue.quote([EIGEN, WETH], amount(EIGEN, '1000')))
    expect(after.amountOut.raw).toBe(getAmountOut(1000n * E18, 401_000n * E18, 200n * E18 - 497_260_578_009_311_790n))
    expect(after.amountOut.lessThan(before.amountOut)).toBe(true)
  })

  it('swaps the other way through a pool (token1 in, token0 out)', async () => {
    const quote = ok(await fixtureAmmVenue().quote([USDT, WETH], amount(USDT, '2500')))
    expect(quote.amountOut.raw).toBe(getAmountOut(2_500_000_000n, 5_000_000n * 10n ** 6n, 2000n * E18))
    expect(quote.amountOut.currency).toBe(WETH)
  })

  it('moves every pool of a two-hop execute', async () => {
    const venue = fixtureAmmVenue()
    const filled = ok(await venue.execute([ETHFI, WETH, USDT], amount(ETHFI, '800')))
    const [first, second] = filled.hops
    const ethfiPool = venue.pools().find((candidate) => candidate.name === 'ETHFI/WETH')
    const usdtPool = venue.pools().find((candidate) => candidate.name === 'WETH/USDT')
    expect(ethfiPool?.reserve0).toBe(500_800n * E18)
    expect(ethfiPool?.reserve1).toBe(190n * E18 - (first?.amountOut.raw ?? 0n))
    expect(usdtPool?.reserve0).toBe(2000n * E18 + (second?.amountIn.raw ?? 0n))
    expect(usdtPool?.reserve1).toBe(5_000_000n * 10n ** 6n - filled.amountOut.raw)
  })

  it('answers no_route for a pair without a pool, and does not move anything', async () => {
    const venue = fixtureAmmVenue()
    expect(await venue.execute([EIGEN, ETH], amount(EIGEN, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'uniswap has no EIGEN/ETH pool.' })
    expect(venue.pools().find((candidate) => candidate.name === 'EIGEN/WETH')?.reserve0).toBe(400_000n * E18)
  })

  it("passes on a pool's refusal, naming the pool and the venue", async () => {
    const SHIB = createCurrency({ symbol: 'SHIB', decimals: 18 })
    const dry = createStaticAmmVenue({
      name: 'dry',
      chain: 'ethereum',
      gas: { swap: 1n, extraHop: 1n },
      pools: [{ name: 'SHIB/WETH', token0: SHIB, token1: WETH, reserve0: 0n, reserve1: E18, feeBps: new Fraction(30n) }],
    })
    const quote = await dry.quote([SHIB, WETH], amount(SHIB, '1'))
    expect(quote).toEqual({ ok: false, reason: 'insufficient_liquidity', detail: 'SHIB/WETH on dry: SHIB/WETH holds 0 SHIB and 1 WETH, so it cannot swap.' })
  })

  it('turns a token the pool does not trade into no_route', async () => {
    // A same-symbol token of other decimals is another currency, which the pool does not trade.
    const odd = createCurrency({ symbol: 'EIGEN', decimals: 6 })
    const quote = await fixtureAmmVenue().quote([odd, WETH], Amount.parse(odd, '1'))
    expect(quote.ok).toBe(false)
    expect(!quote.ok && quote.reason).toBe('no_route')
    expect(!quote.ok && quote.detail).toBe('EIGEN/WETH on uniswap: EIGEN/WETH trades EIGEN and WETH, not EIGEN.')
  })
})
