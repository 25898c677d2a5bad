import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, FIXED_TIME, USDT, WEETH, WETH, amount, fixturePolicy, holding, price } from '../../../test/fixtureMoney.js'
import { Amount, Fraction, createCurrency, createPriceBook } from '../money/index.js'
import { detectDust } from './detectDust.js'

const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })
const SPAM = createCurrency({ symbol: 'SPAM', decimals: 18 })

const usdtBook = createPriceBook({
  prices: [price(EIGEN, USDT, '1.25'), price(ETHFI, USDT, '0.95'), price(ETH, USDT, '2500'), price(WEETH, ETH, '1.05')],
  equivalents: [[WETH, ETH]],
  at: FIXED_TIME,
})

/** The issue's portfolio: EIGEN 1,500 claimable + 20 in the wallet, ETHFI 800, and holdings that are not dust. */
const issueHoldings = [
  holding(EIGEN, '1500', 'etherfi', 'claimable_rewards'),
  holding(EIGEN, '20', 'wallet', 'wallet_balance'),
  holding(ETHFI, '800', 'wallet', 'wallet_balance'),
  holding(USDT, '5000', 'wallet', 'wallet_balance'),
  holding(WEETH, '100', 'wallet', 'wallet_balance'),
  holding(WETH, '3', 'wallet', 'wallet_balance'),
]

describe('detectDust', () => {
  it('values the issue example at 2,660 USDT, a ratio of 0.00266 that exceeds 0.002', () => {
    const { snapshot, warnings } = detectDust({
      policy: fixturePolicy(),
      holdings: issueHoldings,
      priceBook: usdtBook,
      equity: amount(USDT, '1000000'),
      timestamp: FIXED_TIME,
    })
    expect(warnings).toEqual([])
    expect(snapshot.totalDustValue.toDecimalString()).toBe('2660')
    expect(snapshot.totalDustValue.currency).toBe(USDT)
    expect(snapshot.dustRatio.equals(new Fraction(266n, 100_000n))).toBe(true)
    expect(snapshot.dustRatio.toDecimalString(18)).toBe('0.00266')
    expect(snapshot.exceedsThreshold).toBe(true)
    expect(snapshot.timestamp).toBe(FIXED_TIME)
    expect(snapshot.strategyMode).toBe('usdt_test')
    expect(snapshot.shareClass).toBe('USDT')
    expect(snapshot.equity.toDecimalString()).toBe('1000000')
    expect(snapshot.dustDelta.toDecimalString(18)).toBe('0.002')
    expect(snapshot.unpricedTokens).toEqual([])
    // Claimable and wallet holdings are listed apart, each once; USDT, weETH and WETH are not dust.
    expect(snapshot.dustTokens.map((token) => [token.token, token.amount.toDecimalString(), token.value.toDecimalString(), token.venue, token.source])).toEqual([
      ['EIGEN', '1500', '1875', 'etherfi', 'claimable_rewards'],
      ['EIGEN', '20', '25', 'wallet', 'wallet_balance'],
      ['ETHFI', '800', '760', 'wallet', 'wallet_balance'],
    ])
  })

  it('gives zero dust, a ratio of 0 and no warning when only the share class, asset and LSTs are held', () => {
    const { snapshot, warnings } = detectDust({
      policy: fixturePolicy(),
      holdings: issueHoldings.slice(3),
      priceBook: usdtBook,
      equity: amount(USDT, '1000000'),
      timestamp: FIXED_TIME,
    })
    expect(snapshot.totalDustValue.toDecimalString()).toBe('0')
    expect(snapshot.dustTokens).toEqual([])
    expect(snapshot.dustRatio.isZero()).toBe(true)
    expect(snapshot.exceedsThreshold).toBe(false)
    expect(warnings).toEqual([])
  })

  it('takes the ratio as 0 with a zero_equity warning when equity is 0, instead of dividing by zero', () => {
    const { snapshot, warnings } = detectDust({
      policy: fixturePolicy(),
      holdings: issueHoldings,
      priceBook: usdtBook,
      equity: Amount.zero(USDT),
      timestamp: FIXED_TIME,
    })
    expect(snapshot.totalDustValue.toDecimalString()).toBe('2660')
    expect(snapshot.dustRatio.isZero()).toBe(true)
    expect(snapshot.exceedsThreshold).toBe(false)
    expect(warnings).toEqual([{ code: 'zero_equity', message: 'Equity of usdt_test is 0 USDT; the dust ratio is taken as 0 until equity is positive.' }])
  })

  it('treats negative equity like zero equity', () => {
    const { snapshot, warnings } = detectDust({
      policy: fixturePolicy(),
      holdings: issueHoldings,
      priceBook: usdtBook,
      equity: Amount.fromRaw(USDT, -1_500_000n),
      timestamp: FIXED_TIME,
    })
    expect(snapshot.dustRatio.isZero()).toBe(true)
    expect(warnings.map((warning) => warning.message)).toEqual(['Equity of usdt_test is -1.5 USDT; the dust ratio is taken as 0 until equity is positive.'])
  })

  it('lists a dust token without a price as unpriced with a warning, never as worth 0', () => {
    const { snapshot, warnings } = detectDust({
      policy: fixturePolicy(),
      holdings: [...issueHoldings, holding(ZRO, '42.5', 'wallet', 'wallet_balance')],
      priceBook: usdtBook,
      equity: amount(USDT, '1000000'),
      timestamp: FIXED_TIME,
    })
    expect(snapshot.totalDustValue.toDecimalString()).toBe('2660')
    expect(snapshot.dustTokens.map((token) => token.token)).toEqual(['EIGEN', 'EIGEN', 'ETHFI'])
    expect(snapshot.unpricedTokens).toHaveLength(1)
    expect(snapshot.unpricedTokens[0]).toMatchObject({ token: 'ZRO', venue: 'wallet', source: 'wallet_balance' })
    expect(snapshot.unpricedTokens[0]?.amount.toDecimalString()).toBe('42.5')
    expect(warnings).toEqual([
      {
        code: 'unpriced_token',
        token: 'ZRO',
        venue: 'wallet',
        message: '42.5 ZRO at wallet has no price in USDT; it is listed as unpriced and not counted.',
      },
    ])
  })

  it('leaves out zero holdings and ignored tokens', () => {
    const { snapshot, warnings } = detectDust({
      policy: fixturePolicy(),
      holdings: [holding(EIGEN, '0', 'wallet', 'wallet_balance'), holding(SPAM, '1000000', 'wallet', 'wallet_balance'), holding(ETHFI, '10', 'wallet', 'wallet_balance')],
      priceBook: usdtBook,
      equity: amount(USDT, '1000'),
      timestamp: FIXED_TIME,
    })
    expect(snapshot.dustTokens.map((token) => token.token)).toEqual(['ETHFI'])
    expect(snapshot.unpricedTokens).toEqual([])
    expect(warnings).toEqual([])
    expect(snapshot.totalDustValue.toDecimalString()).toBe('9.5')
    // 9.5 / 1000 = 0.0095 > 0.002.
    expect(snapshot.exceedsThreshold).toBe(true)
  })

  it('rounds each value down to the share class base unit', () => {
    // 0.0000011 EIGEN × 1.25 = 0.000001375 USDT, which USDT's 6 decimals hold as 0.000001.
    const { snapshot } = detectDust({
      policy: fixturePolicy(),
      holdings: [holding(EIGEN, '0.0000011', 'wallet', 'wallet_balance'), holding(EIGEN, '0.0000011', 'etherfi', 'claimable_rewards')],
      priceBook: usdtBook,
      equity: amount(USDT, '1'),
      timestamp: FIXED_TIME,
    })
    expect(snapshot.dustTokens.map((token) => token.value.toDecimalString())).toEqual(['0.000001', '0.000001'])
    expect(snapshot.totalDustValue.raw).toBe(2n)
  })

  it('values dust in an ETH share class through chained prices (EIGEN → USDT → ETH)', () => {
    const policy = fixturePolicy({ mode: 'eth_test', shareClass: ETH, asset: ETH })
    const { snapshot } = detectDust({
      policy,
      holdings: [holding(EIGEN, '1520', 'wallet', 'wallet_balance'), holding(ETHFI, '800', 'wallet', 'wallet_balance'), holding(USDT, '100', 'wallet', 'wallet_balance')],
      priceBook: usdtBook,
      equity: amount(ETH, '500'),
      timestamp: FIXED_TIME,
    })
    // USDT is dust to an ETH strategy: 100 / 2500 = 0.04 ETH; EIGEN 1520 × 1.25 / 2500 = 0.76; ETHFI 800 × 0.95 / 2500 = 0.304.
    expect(snapshot.dustTokens.map((token) => [token.token, token.value.toDecimalString()])).toEqual([
      ['EIGEN', '0.76'],
      ['ETHFI', '0.304'],
      ['USDT', '0.04'],
    ])
    expect(snapshot.totalDustValue.toDecimalString()).toBe('1.104')
    expect(snapshot.totalDustValue.currency).toBe(ETH)
    expect(snapshot.dustRatio.toDecimalString(18)).toBe('0.002208')
    expect(snapshot.shareClass).toBe('ETH')
    expect(snapshot.exceedsThreshold).toBe(true)
  })

  it('judges no threshold on an incomplete snapshot: over dust_delta and exceeded before, it still does not exceed, and says nothing of zero equity', () => {
    const incomplete = { failedSources: ['etherfi'], unpricedHoldings: [] }
    const over = detectDust({ policy: fixturePolicy(), holdings: issueHoldings, priceBook: usdtBook, equity: amount(USDT, '100000'), timestamp: FIXED_TIME, previouslyExceeded: true, incomplete })
    expect(over.snapshot.dustRatio.equals(new Fraction(266n, 10_000n))).toBe(true)
    expect(over.snapshot.exceedsThreshold).toBe(false)
    expect(over.snapshot.incomplete).toBe(incomplete)
    const zero = detectDust({ policy: fixturePolicy(), holdings: issueHoldings, priceBook: usdtBook, equity: amount(USDT, '0'), timestamp: FIXED_TIME, incomplete })
    expect(zero.warnings).toEqual([])
    expect(zero.snapshot.exceedsThreshold).toBe(false)
    // Complete, the same figures exceed.
    const complete = detectDust({ policy: fixturePolicy(), holdings: issueHoldings, priceBook: usdtBook, equity: amount(USDT, '100000'), timestamp: FIXED_TIME })
    expect(complete.snapshot.exceedsThreshold).toBe(true)
    expect(complete.snapshot.incomplete).toBeUndefined()
  })

  it('keeps exceeding inside the hysteresis band once exceeded, and not before', () => {
    // 1,900 USDT of dust over 1,000,000 is 0.0019: under 0.002, over 0.002 × 0.9 = 0.0018.
    const parameters = {
      policy: fixturePolicy(),
      holdings: [holding(EIGEN, '1520', 'wallet', 'wallet_balance')],
      priceBook: usdtBook,
      equity: amount(USDT, '1000000'),
      timestamp: FIXED_TIME,
    }
    expect(detectDust(parameters).snapshot.exceedsThreshold).toBe(false)
    expect(detectDust({ ...parameters, previouslyExceeded: false }).snapshot.exceedsThreshold).toBe(false)
    expect(detectDust({ ...parameters, previouslyExceeded: true }).snapshot.exceedsThreshold).toBe(true)
  })

  it('computes the ratio as exactly the total over equity, and the total as the sum of the values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(EIGEN, ETHFI), fc.bigInt({ min: 0n, max: 10n ** 30n })), { maxLength: 8 }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (entries, equityRaw) => {
        const holdings = entries.map(([currency, raw], index) => ({
          amount: Amount.fromRaw(currency, raw),
          venue: `venue${index}`,
          source: 'wallet_balance' as const,
          custody: { kind: 'onchain' as const, chain: 'ethereum' },
        }))
        const equity = Amount.fromRaw(USDT, equityRaw)
        const { snapshot, warnings } = detectDust({ policy: fixturePolicy(), holdings, priceBook: usdtBook, equity, timestamp: FIXED_TIME })
        expect(warnings).toEqual([])
        const sum = snapshot.dustTokens.reduce((total, token) => total + token.value.raw, 0n)
        expect(snapshot.totalDustValue.raw).toBe(sum)
        expect(snapshot.dustRatio.equals(new Fraction(snapshot.totalDustValue.raw, equityRaw))).toBe(true)
        expect(snapshot.exceedsThreshold).toBe(snapshot.dustRatio.greaterThan(new Fraction(2n, 1000n)))
        // Each value is the exact value rounded down: never more than the holding is worth.
        for (const token of snapshot.dustTokens) {
          const exact = usdtBook.price(token.amount.currency, USDT)?.ratio.multiply(token.amount.raw)
          expect(exact).toBeDefined()
          expect(new Fraction(token.value.raw).compare(exact as Fraction)).toBeLessThanOrEqual(0)
          expect(new Fraction(token.value.raw + 1n).compare(exact as Fraction)).toBeGreaterThan(0)
        }
      }),
    )
  })
})
