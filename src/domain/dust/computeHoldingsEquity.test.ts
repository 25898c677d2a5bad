import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, FIXED_TIME, USDT, WEETH, WETH, fixturePolicy, holding, price } from '../../../test/fixtureMoney.js'
import { createCurrency, createPriceBook } from '../money/index.js'
import { computeHoldingsEquity } from './computeHoldingsEquity.js'

const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })
const AAA = createCurrency({ symbol: 'AAA', decimals: 8 })
const SPAM = createCurrency({ symbol: 'SPAM', decimals: 18 })

const book = createPriceBook({
  prices: [price(EIGEN, USDT, '1.25'), price(ETHFI, USDT, '0.95'), price(ETH, USDT, '2500'), price(WEETH, ETH, '1.0778675663760975', 'aave_oracle_weeth')],
  equivalents: [[WETH, ETH]],
  at: FIXED_TIME,
})

describe('computeHoldingsEquity', () => {
  it('values every holding in the share class, weETH at its exchange rate, each rounded down', () => {
    const { equity, unpriced } = computeHoldingsEquity(
      fixturePolicy(),
      [
        holding(USDT, '1000', 'wallet', 'wallet_balance'),
        // 10 weETH × 1.0778675663760975 ETH × 2,500 = 26,946.6891594024375 USDT, down to 26,946.689159.
        holding(WEETH, '10', 'wallet', 'wallet_balance'),
        holding(EIGEN, '20', 'wallet', 'wallet_balance'),
        holding(WETH, '0.5', 'wallet', 'wallet_balance'),
      ],
      book,
    )
    expect(unpriced).toEqual([])
    expect(equity.currency).toBe(USDT)
    // 1,000 + 26,946.689159 + 25 + 1,250.
    expect(equity.toDecimalString()).toBe('29221.689159')
  })

  it('values equity in ETH for an ETH share class, WETH one for one', () => {
    const { equity } = computeHoldingsEquity(
      fixturePolicy({ shareClass: ETH }),
      [holding(WEETH, '936', 'wallet', 'wallet_balance'), holding(WETH, '1.5', 'wallet', 'wallet_balance'), holding(EIGEN, '4040', 'wallet', 'wallet_balance')],
      book,
    )
    // 936 × 1.0778675663760975 = 1008.88404212802726; 1.5 WETH; 4,040 × 1.25 / 2,500 = 2.02.
    expect(equity.toDecimalString()).toBe('1012.40404212802726')
  })

  it('leaves unpriced tokens out and names each once, sorted; ignored and zero holdings are skipped', () => {
    const { equity, unpriced } = computeHoldingsEquity(
      fixturePolicy(),
      [
        holding(ZRO, '5', 'wallet', 'wallet_balance'),
        holding(ZRO, '7', 'etherfi', 'claimable_rewards'),
        holding(AAA, '1', 'wallet', 'wallet_balance'),
        holding(SPAM, '1000000', 'wallet', 'wallet_balance'),
        holding(ETHFI, '0', 'wallet', 'wallet_balance'),
        holding(USDT, '12.5', 'wallet', 'wallet_balance'),
      ],
      book,
    )
    expect(unpriced).toEqual(['AAA', 'ZRO'])
    expect(equity.toDecimalString()).toBe('12.5')
  })

  it('gives zero equity for no holdings', () => {
    const { equity, unpriced } = computeHoldingsEquity(fixturePolicy(), [], book)
    expect(equity.toDecimalString()).toBe('0')
    expect(equity.currency).toBe(USDT)
    expect(unpriced).toEqual([])
  })
})
