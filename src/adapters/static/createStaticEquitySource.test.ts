import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, FIXED_TIME, USDT, WEETH, amount, fixturePolicy, holding, price } from '../../../test/fixtureMoney.js'
import { createCurrency, createPriceBook } from '../../domain/money/index.js'
import { createHoldingsEquitySource, createStaticEquitySource } from './createStaticEquitySource.js'

const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })
const priceBook = createPriceBook({ prices: [price(EIGEN, USDT, '1.25'), price(ETH, USDT, '2500'), price(WEETH, ETH, '1.05')], at: FIXED_TIME })
const holdings = [
  holding(USDT, '100', 'wallet', 'wallet_balance'),
  holding(WEETH, '2', 'wallet', 'wallet_balance'),
  holding(EIGEN, '1500', 'etherfi', 'claimable_rewards'),
  holding(ZRO, '9', 'wallet', 'wallet_balance'),
]

describe('createStaticEquitySource', () => {
  it('answers the configured equity whatever is held', async () => {
    const source = createStaticEquitySource(amount(USDT, '1000000'))
    expect(source.name).toBe('static')
    const { equity, unpriced } = await source.fetchEquity({ holdings, priceBook })
    expect(equity.toString()).toBe('1000000 USDT')
    expect(unpriced).toEqual([])
  })
})

describe('createHoldingsEquitySource', () => {
  it('adds up every holding in the share class and names what it cannot price', async () => {
    const source = createHoldingsEquitySource(fixturePolicy())
    expect(source.name).toBe('holdings')
    const { equity, unpriced } = await source.fetchEquity({ holdings, priceBook })
    // 100 + 2 × 1.05 × 2,500 + 1,500 × 1.25 = 100 + 5,250 + 1,875.
    expect(equity.toString()).toBe('7225 USDT')
    expect(unpriced).toEqual(['ZRO'])
  })

  it('answers zero for an empty portfolio', async () => {
    const { equity } = await createHoldingsEquitySource(fixturePolicy()).fetchEquity({ holdings: [], priceBook })
    expect(equity.toString()).toBe('0 USDT')
  })
})
