import { describe, expect, it } from 'vitest'
import { createStaticAmmVenue } from '../../adapters/static/createStaticAmmVenue.js'
import { createStaticCexVenue } from '../../adapters/static/createStaticCexVenue.js'
import type { HourlyHistory, HourlySeries, PoolSeries } from '../../domain/backtest/History.js'
import { trailingVolatility } from '../../domain/backtest/holdingRisk.js'
import { Amount, type Currency, Fraction, createCurrency } from '../../domain/money/index.js'
import type { RouteQuote } from '../../domain/planning/RouteQuote.js'
import type { ConversionVenue } from '../../ports/index.js'
import type { BacktestVenueSettings } from './BacktestVenueSettings.js'
import { type BacktestVenueFactories, type CreateBacktestMarketParameters, createBacktestMarket } from './createBacktestMarket.js'

const token = (symbol: string, decimals: number) => createCurrency({ symbol, decimals, chain: 'ethereum' })
const EIGEN = token('EIGEN', 18)
const ETHFI = token('ETHFI', 18)
const WETH = token('WETH', 18)
const ETH = token('ETH', 18)
const USDT = token('USDT', 6)
const weETH = token('weETH', 18)
const TOKENS = { EIGEN, ETHFI, WETH, ETH, USDT, weETH }

/** The static venues of paper trading, which the replay trades on. */
const STATIC_VENUES: BacktestVenueFactories = { createAmmVenue: createStaticAmmVenue, createCexVenue: createStaticCexVenue }

const f = (text: string) => Fraction.fromDecimalString(text)
const E18 = 10n ** 18n

const HOURS = [0, 1, 2].map((hour) => Date.UTC(2025, 0, 1, hour))

/**
 * Three hours, chosen so that EIGEN in USDT is 2, 2.2 and 1.98 (returns +0.1 and −0.1, exact at
 * 18 decimals) and ETHFI in USDT stays 1.
 */
const SERIES: Record<HourlySeries, readonly string[]> = {
  eigenWeth: ['0.001', '0.0011', '0.000792'],
  ethfiWeth: ['0.0005', '0.0005', '0.0004'],
  ethUsdt: ['2000', '2000', '2500'],
  weethEth: ['1.05', '1.048765432109876543', '1.06'],
  gasGwei: ['3.1234567891', '4', '0.0000000001'],
}

function history(feeBps: Partial<Record<PoolSeries, Fraction>> = {}): HourlyHistory {
  const values = Object.fromEntries(Object.entries(SERIES).map(([series, texts]) => [series, texts.map(f)])) as Record<HourlySeries, Fraction[]>
  return {
    hours: HOURS,
    values,
    filled: { eigenWeth: 0, ethfiWeth: 0, ethUsdt: 0, weethEth: 0, gasGwei: 0 },
    files: { eigenWeth: 'prices/eigen.csv', ethfiWeth: 'prices/ethfi.csv', ethUsdt: 'prices/eth.csv', weethEth: 'oracle/weeth.csv', gasGwei: 'gas/gas.csv' },
    feeBps: { eigenWeth: new Fraction(30n), ethfiWeth: new Fraction(30n), ethUsdt: new Fraction(30n), ...feeBps },
  }
}

const DEX: NonNullable<BacktestVenueSettings['dex']> = {
  name: 'dex',
  depthWeth: { EIGEN: f('500'), ETHFI: f('200'), USDT: f('10000') },
  gas: { swap: 180_000n, extraHop: 70_000n },
}

const CEX: NonNullable<BacktestVenueSettings['cex']> = {
  name: 'cex',
  takerFeeBps: f('10'),
  minNotional: f('5'),
  amountStep: f('0.01'),
  ethAmountStep: f('0.0001'),
  halfSpreadBps: f('5'),
  levelStepBps: f('10'),
  levelValue: f('25000'),
  levels: 3,
}

// 12.345678901234567891 weETH: 18 decimals, so that valuing it rounds.
const POSITION = Amount.parse(weETH, '12.345678901234567891')

function market(overrides: Partial<CreateBacktestMarketParameters> = {}) {
  return createBacktestMarket(STATIC_VENUES, {
    history: history(),
    tokens: TOKENS,
    shareClass: USDT,
    equivalents: [[WETH, ETH]],
    position: POSITION,
    venues: { chain: 'ethereum', dex: DEX, cex: CEX },
    volatilityHours: 2,
    ...overrides,
  })
}

async function quoteOk(venue: ConversionVenue, path: readonly Currency[], amountIn: Amount): Promise<RouteQuote> {
  const quote = await venue.quote(path, amountIn)
  if (!quote.ok) throw new Error(`Expected a quote, found ${quote.reason}: ${quote.detail}`)
  return quote
}

function venueOf(venues: readonly ConversionVenue[], kind: 'dex' | 'cex'): ConversionVenue {
  const venue = venues.find((candidate) => candidate.kind === kind)
  if (!venue) throw new Error(`Expected a ${kind} venue.`)
  return venue
}

describe('createBacktestMarket', () => {
  describe('priceBook', () => {
    it('prices EIGEN and ETHFI in USDT as the pool close times WETH/USDT, exactly', () => {
      const backtest = market()
      expect(backtest.hours).toEqual(HOURS)
      const eigenUsdt = ['2', '2.2', '1.98'] // 0.001 × 2000, 0.0011 × 2000, 0.000792 × 2500
      HOURS.forEach((at, index) => {
        const book = backtest.priceBook(index)
        const eigen = book.price(EIGEN, USDT)
        expect(eigen).toBeDefined()
        const product = f(SERIES.eigenWeth[index] as string).multiply(f(SERIES.ethUsdt[index] as string))
        expect(eigen?.perToken().equals(product)).toBe(true)
        expect(eigen?.perToken().equals(f(eigenUsdt[index] as string))).toBe(true)
        expect(eigen?.origin).toEqual({ source: 'uniswap_v3_close', at })
        // 0.0005 × 2000 = 1 and 0.0004 × 2500 = 1.
        expect(book.price(ETHFI, USDT)?.perToken().equals(Fraction.ONE)).toBe(true)
        expect(
          book
            .price(EIGEN, WETH)
            ?.perToken()
            .equals(f(SERIES.eigenWeth[index] as string)),
        ).toBe(true)
      })
    })

    it('prices weETH in USDT as the oracle rate times WETH/USDT, through the WETH = ETH parity', () => {
      const backtest = market()
      // 1.05 × 2000 = 2100; 1.048765432109876543 × 2000 = 2097.530864219753086; 1.06 × 2500 = 2650.
      const expected = ['2100', '2097.530864219753086', '2650']
      HOURS.forEach((at, index) => {
        const price = backtest.priceBook(index).price(weETH, USDT)
        expect(price).toBeDefined()
        const product = f(SERIES.weethEth[index] as string).multiply(f(SERIES.ethUsdt[index] as string))
        expect(price?.perToken().equals(product)).toBe(true)
        expect(price?.perToken().equals(f(expected[index] as string))).toBe(true)
        expect(price?.origin).toEqual({ source: 'aave_oracle+parity+uniswap_v3_close', at })
        expect(
          backtest
            .priceBook(index)
            .price(weETH, ETH)
            ?.perToken()
            .equals(f(SERIES.weethEth[index] as string)),
        ).toBe(true)
      })
    })

    it('cannot reach weETH from USDT without the WETH = ETH equivalence, and says so when equity needs it', () => {
      const broken = market({ equivalents: [] })
      const book = broken.priceBook(0)
      expect(book.price(weETH, USDT)).toBeUndefined()
      expect(book.price(EIGEN, USDT)?.perToken().equals(f('2'))).toBe(true)
      expect(() => broken.equity(0)).toThrow(
        expect.objectContaining({
          name: 'SourceError',
          shortMessage: 'The history gives no weETH/USDT price at 2025-01-01T00:00:00.000Z.',
          details: 'Expected the pool closes and the oracle to connect them, with WETH counted as ETH (equivalents: { WETH: ETH }).',
        }),
      )
    })

    it("builds each hour's book once", () => {
      const backtest = market()
      expect(backtest.priceBook(1)).toBe(backtest.priceBook(1))
      expect(backtest.priceBook(1)).not.toBe(backtest.priceBook(2))
    })
  })

  describe('equity', () => {
    it('values the weETH position in USDT at oracle × WETH/USDT, rounded down to base units', () => {
      const backtest = market()
      const p = 12_345_678_901_234_567_891n // the position in wei
      // Hour 0: p × 1.05 × 2000 = 12.345678901234567891 × 2100 = 25925.9256925925925711 USDT.
      expect(backtest.equity(0).currency).toBe(USDT)
      expect(backtest.equity(0).raw).toBe(25_925_925_692n)
      expect(backtest.equity(0).raw).toBe((p * 2100n * 10n ** 6n) / E18)
      // Hour 1: 12.345678901234567891 × 1.048765432109876543 × 2000 = 25895.4425350861…
      expect(backtest.equity(1).raw).toBe(25_895_442_535n)
      expect(backtest.equity(1).raw).toBe((p * 1_048_765_432_109_876_543n * 2000n * 10n ** 6n) / (E18 * E18))
      // Hour 2: × 1.06 × 2500 = × 2650 = 32716.0490882716…
      expect(backtest.equity(2).raw).toBe(32_716_049_088n)
      expect(backtest.equity(2).raw).toBe((p * 2650n * 10n ** 6n) / E18)
      expect(backtest.equity(1)).toBe(backtest.equity(1))
    })

    it('values a whole position exactly', () => {
      const backtest = market({ position: Amount.parse(weETH, '1000') })
      expect(backtest.equity(0).raw).toBe(2_100_000n * 10n ** 6n) // 1000 × 2100 USDT
      expect(backtest.equity(2).raw).toBe(2_650_000n * 10n ** 6n) // 1000 × 2650 USDT
    })
  })

  describe('gasPriceWei', () => {
    it('turns gwei into wei, rounding up', () => {
      const backtest = market()
      expect(backtest.gasPriceWei(0)).toBe(3_123_456_790n) // 3.1234567891 gwei = 3123456789.1 wei → up
      expect(backtest.gasPriceWei(1)).toBe(4_000_000_000n) // exact
      expect(backtest.gasPriceWei(2)).toBe(1n) // 0.0000000001 gwei = 0.1 wei → 1
    })
  })

  describe('venues', () => {
    it('offers the DEX and then the CEX, on the configured chain, each with its pairs', async () => {
      const venues = market().venues(1)
      expect(venues.map((venue) => [venue.name, venue.kind, venue.chain])).toEqual([
        ['dex', 'dex', 'ethereum'],
        ['cex', 'cex', 'ethereum'],
      ])
      const pairs = async (venue: ConversionVenue) => (await venue.tradablePairs()).map(([a, b]) => `${a.symbol}/${b.symbol}`)
      expect(await pairs(venueOf(venues, 'dex'))).toEqual(['EIGEN/WETH', 'ETHFI/WETH', 'WETH/USDT'])
      expect(await pairs(venueOf(venues, 'cex'))).toEqual(['EIGEN/USDT', 'ETHFI/USDT', 'ETH/USDT'])
    })

    it("builds each hour's venues once", () => {
      const backtest = market()
      const first = backtest.venues(1)
      expect(backtest.venues(1)).toBe(first)
      expect(backtest.venues(2)).not.toBe(first)
    })

    it('offers no venue without a DEX or a CEX, and only the one configured otherwise', () => {
      expect(market({ venues: { chain: 'ethereum' } }).venues(0)).toEqual([])
      expect(market({ venues: { chain: 'ethereum', dex: undefined, cex: undefined } }).venues(0)).toEqual([])
      expect(
        market({ venues: { chain: 'ethereum', dex: DEX } })
          .venues(0)
          .map((venue) => venue.kind),
      ).toEqual(['dex'])
      expect(
        market({ venues: { chain: 'ethereum', cex: CEX } })
          .venues(0)
          .map((venue) => venue.kind),
      ).toEqual(['cex'])
    })

    describe('the DEX', () => {
      // Hour 1: EIGEN = 0.0011 WETH. The pool holds 500 WETH and 500 / 0.0011 = 454545.4545… EIGEN, rounded down to wei.
      const reserveWeth = 500n * E18
      const reserveEigen = (500n * E18 * 10_000n) / 11n // 5·10^24 / 11 = 454545454545454545454545
      /** Uniswap V2's getAmountOut with a fee of `feeBps`. */
      const getAmountOut = (amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feeBps = 30n) =>
        (amountIn * (10_000n - feeBps) * reserveOut) / (reserveIn * 10_000n + amountIn * (10_000n - feeBps))

      it('swaps a tiny EIGEN amount for about price × (1 − 0.3%) WETH, with the exact constant-product formula', async () => {
        expect(reserveEigen).toBe(454_545_454_545_454_545_454_545n)
        const dex = venueOf(market().venues(1), 'dex')
        const quote = await quoteOk(dex, [EIGEN, WETH], Amount.parse(EIGEN, '1'))
        const out = getAmountOut(E18, reserveEigen, reserveWeth)
        expect(out).toBe(1_096_697_594_503_496n)
        expect(quote.amountOut.currency).toBe(WETH)
        expect(quote.amountOut.raw).toBe(out)
        // 0.0011 × 0.997 = 0.0010967 WETH, less a price impact of about 1 / 454545 (2.2 ppm).
        const ideal = 1_096_700_000_000_000n
        expect(quote.amountOut.raw < ideal).toBe(true)
        expect(quote.amountOut.raw * 100_000n > ideal * 99_999n).toBe(true)
        expect(quote.amountIn.raw).toBe(E18)
        expect(quote.residual.raw).toBe(0n)
        expect(quote.hops).toHaveLength(1)
        expect(quote.hops[0]?.market).toBe('dex:EIGEN/WETH')
        expect(quote.hops[0]?.fee.raw).toBe(3n * 10n ** 15n) // 0.3% of 1 EIGEN
        expect(quote.gasUnits).toBe(180_000n)
      })

      it('chains EIGEN → WETH → USDT through the WETH/USDT pool of 10000 WETH, with the gas of an extra hop', async () => {
        const dex = venueOf(market().venues(1), 'dex')
        const quote = await quoteOk(dex, [EIGEN, WETH, USDT], Amount.parse(EIGEN, '1'))
        const weth = getAmountOut(E18, reserveEigen, reserveWeth)
        // The WETH/USDT pool: 10000 WETH against 10000 × 2000 = 20,000,000 USDT.
        const usdt = getAmountOut(weth, 10_000n * E18, 20_000_000n * 10n ** 6n)
        expect(usdt).toBe(2_186_814n) // ≈ 0.0010967 × 0.997 × 2000 = 2.18681… USDT
        expect(quote.amountOut.currency).toBe(USDT)
        expect(quote.amountOut.raw).toBe(usdt)
        expect(quote.hops.map((hop) => hop.market)).toEqual(['dex:EIGEN/WETH', 'dex:WETH/USDT'])
        expect(quote.gasUnits).toBe(250_000n) // 180000 + 70000
      })

      it("lays the ETHFI pool at the hour's close with its own depth", async () => {
        // Hour 2: ETHFI = 0.0004 WETH; 200 WETH against 200 / 0.0004 = 500,000 ETHFI.
        const dex = venueOf(market().venues(2), 'dex')
        const quote = await quoteOk(dex, [ETHFI, WETH], Amount.parse(ETHFI, '10'))
        const out = getAmountOut(10n * E18, 500_000n * E18, 200n * E18)
        expect(out).toBe(3_987_920_480_865_611n) // ≈ 10 × 0.0004 × 0.997 = 0.003988 WETH
        expect(quote.amountOut.raw).toBe(out)
      })

      it("takes each pool's fee tier from the history", async () => {
        const dex = venueOf(market({ history: history({ eigenWeth: new Fraction(100n) }) }).venues(1), 'dex')
        const quote = await quoteOk(dex, [EIGEN, WETH], Amount.parse(EIGEN, '1'))
        const out = getAmountOut(E18, reserveEigen, reserveWeth, 100n)
        expect(out).toBe(1_088_997_628_163_165n) // ≈ 0.0011 × 0.99
        expect(quote.amountOut.raw).toBe(out)
        expect(quote.hops[0]?.fee.raw).toBe(10n ** 16n) // 1% of 1 EIGEN
      })
    })

    describe('the CEX', () => {
      // Hour 1: EIGEN mid 2.2 USDT. Bids at 2.2 × (1 − 5 bps) = 2.1989, then 2.2 × (1 − 15 bps) = 2.1967,
      // then 2.2 × (1 − 25 bps) = 2.1945, each worth 25000 USDT: 25000 / 2.1989 EIGEN at the first.
      const firstLevel = (25_000n * E18 * 10_000n) / 21_989n // 11369.321024148437855291 EIGEN, in wei, rounded down

      it('sells EIGEN at the first bid, mid × (1 − 5 bps), less the 10 bps taker fee, on the amount step', async () => {
        const cex = venueOf(market().venues(1), 'cex')
        const quote = await quoteOk(cex, [EIGEN, USDT], Amount.parse(EIGEN, '123.456'))
        // The step of 0.01 EIGEN leaves 0.006 unsold.
        expect(quote.amountIn.raw).toBe(12_345n * 10n ** 16n)
        expect(quote.residual.raw).toBe(6n * 10n ** 15n)
        // 123.45 × 2.1989 = 271.454205 USDT; the fee is 0.271454205 → 0.271455 (up).
        const hop = quote.hops[0]
        expect(hop?.notional?.raw).toBe(271_454_205n)
        expect(hop?.fee.raw).toBe(271_455n)
        expect(quote.amountOut.currency).toBe(USDT)
        expect(quote.amountOut.raw).toBe(271_454_205n - 271_455n)
        expect(hop?.minNotional?.raw).toBe(5_000_000n) // 5 USDT
        expect(hop?.market).toBe('EIGEN/USDT')
        expect(quote.gasUnits).toBe(0n)
      })

      it('walks to the second level, at mid × (1 − 15 bps), for a sale bigger than the first', async () => {
        expect(firstLevel).toBe(11_369_321_024_148_437_855_291n)
        const cex = venueOf(market().venues(1), 'cex')
        const sold = 12_000n * E18
        const quote = await quoteOk(cex, [EIGEN, USDT], Amount.fromRaw(EIGEN, sold))
        // Proceeds in USDT base units: first level × 2.1989 + the rest × 2.1967, per 10^12 wei.
        const gross = (firstLevel * 21_989n + (sold - firstLevel) * 21_967n) / (10_000n * 10n ** 12n)
        const fee = (gross * 10n + 9_999n) / 10_000n // 10 bps, rounded up
        expect(gross).toBe(26_385_412_506n) // 25000 − dust + 630.67897… × 2.1967 ≈ 26385.41 USDT
        expect(quote.hops[0]?.notional?.raw).toBe(gross)
        expect(quote.hops[0]?.fee.raw).toBe(fee)
        expect(fee).toBe(26_385_413n)
        expect(quote.amountOut.raw).toBe(gross - fee)
        // Between all at the second bid and all at the first.
        expect(gross > 12_000n * 21_967n * 100n).toBe(true)
        expect(gross < 12_000n * 21_989n * 100n).toBe(true)
      })

      it('has three levels and no more: selling past them finds no liquidity', async () => {
        const cex = venueOf(market().venues(1), 'cex')
        // 25000 / 2.1989 + 25000 / 2.1967 + 25000 / 2.1945 ≈ 34142 EIGEN in all.
        const depth = firstLevel + (25_000n * E18 * 10_000n) / 21_967n + (25_000n * E18 * 10_000n) / 21_945n
        expect(depth / E18).toBe(34_142n)
        const all = await quoteOk(cex, [EIGEN, USDT], Amount.fromRaw(EIGEN, 34_142n * E18))
        expect(all.amountIn.raw).toBe(34_142n * E18)
        const tooMuch = await cex.quote([EIGEN, USDT], Amount.fromRaw(EIGEN, 34_143n * E18))
        expect(tooMuch.ok).toBe(false)
        if (!tooMuch.ok) expect(tooMuch.reason).toBe('insufficient_liquidity')
      })

      it('sells ETH at the WETH close through the parity, on its own amount step: 1 ETH at 2500 × (1 − 5 bps) = 2498.75 USDT', async () => {
        const cex = venueOf(market().venues(2), 'cex')
        // The ETH step is 0.0001 ETH (not the 0.01 of EIGEN and ETHFI): 1.00005 ETH sells 1 and leaves 0.00005.
        const quote = await quoteOk(cex, [ETH, USDT], Amount.parse(ETH, '1.00005'))
        expect(quote.amountIn.raw).toBe(E18)
        expect(quote.residual.raw).toBe(5n * 10n ** 13n)
        expect(quote.hops[0]?.notional?.raw).toBe(2_498_750_000n)
        expect(quote.hops[0]?.fee.raw).toBe(2_498_750n) // 0.1% of 2498.75
        expect(quote.amountOut.raw).toBe(2_496_251_250n)
        // 1.2345 ETH is a multiple of the ETH step but 1.2345 EIGEN is not one of the EIGEN step.
        expect((await quoteOk(cex, [ETH, USDT], Amount.parse(ETH, '1.2345'))).residual.raw).toBe(0n)
        expect((await quoteOk(cex, [EIGEN, USDT], Amount.parse(EIGEN, '1.2345'))).residual.raw).toBe(45n * 10n ** 14n)
      })

      it('buys EIGEN at the first ask, mid × (1 + 5 bps), with the fee taken in EIGEN', async () => {
        // Hour 0: EIGEN mid 2 USDT, first ask 2.001: 100.05 USDT buys exactly 50 EIGEN.
        const cex = venueOf(market().venues(0), 'cex')
        const quote = await quoteOk(cex, [USDT, EIGEN], Amount.parse(USDT, '100.05'))
        expect(quote.amountIn.raw).toBe(100_050_000n)
        expect(quote.residual.raw).toBe(0n)
        expect(quote.hops[0]?.fee.raw).toBe(5n * 10n ** 16n) // 0.1% of 50 EIGEN
        expect(quote.amountOut.raw).toBe(49_950_000_000_000_000_000n) // 49.95 EIGEN
      })
    })
  })

  describe('volatility', () => {
    it("is 0 for the first two hours, then the sample standard deviation of EIGEN's two hourly returns in USDT", () => {
      const backtest = market()
      // EIGEN in USDT: 2, 2.2, 1.98 → returns +0.1 and −0.1; σ = √0.02 = 0.14142135623730950488…, rounded up.
      const prices = SERIES.eigenWeth.map((close, index) => f(close).multiply(f(SERIES.ethUsdt[index] as string)))
      const expected = trailingVolatility(prices, 2)
      expect(expected).toEqual([0n, 0n, 141_421_356_237_309_505n])
      expect([0, 1, 2].map((index) => backtest.volatility(EIGEN, index))).toEqual(expected)
    })

    it('measures weETH through the oracle, and finds no move in ETHFI or in the share class itself', () => {
      const backtest = market()
      const weethUsdt = SERIES.weethEth.map((rate, index) => f(rate).multiply(f(SERIES.ethUsdt[index] as string)))
      const expected = trailingVolatility(weethUsdt, 2)
      expect(expected[2]).not.toBe(0n)
      expect(backtest.volatility(weETH, 2)).toBe(expected[2])
      // ETHFI is 1 USDT at every hour.
      expect([0, 1, 2].map((index) => backtest.volatility(ETHFI, index))).toEqual([0n, 0n, 0n])
      expect(backtest.volatility(USDT, 2)).toBe(0n)
    })

    it('is 0 for a token the book cannot price', () => {
      const backtest = market()
      const unknown = token('FOO', 18)
      expect([0, 1, 2].map((index) => backtest.volatility(unknown, index))).toEqual([0n, 0n, 0n])
      // weETH without the parity has no USDT price either.
      expect(market({ equivalents: [] }).volatility(weETH, 2)).toBe(0n)
    })

    it('uses the configured window', () => {
      // With 3 hours of window the two returns are still all there is: the same σ at hour 2.
      expect(market({ volatilityHours: 3 }).volatility(EIGEN, 2)).toBe(141_421_356_237_309_505n)
      expect(() => market({ volatilityHours: 1 }).volatility(EIGEN, 2)).toThrow(RangeError)
    })
  })
})
