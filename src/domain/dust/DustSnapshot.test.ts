import { describe, expect, it } from 'vitest'
import { EIGEN, ETHFI, FIXED_TIME, USDT, amount } from '../../../test/fixtureMoney.js'
import { Fraction, createCurrency } from '../money/index.js'
import { type DustSnapshot, RATIO_DECIMALS, serializeSnapshot } from './DustSnapshot.js'

const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })

function snapshot(overrides: Partial<DustSnapshot> = {}): DustSnapshot {
  return {
    timestamp: FIXED_TIME,
    strategyMode: 'usdt_test',
    shareClass: 'USDT',
    totalDustValue: amount(USDT, '2660'),
    dustTokens: [
      { token: 'EIGEN', amount: amount(EIGEN, '1500'), value: amount(USDT, '1875'), venue: 'etherfi', source: 'claimable_rewards' },
      { token: 'EIGEN', amount: amount(EIGEN, '20'), value: amount(USDT, '25'), venue: 'wallet', source: 'wallet_balance' },
      { token: 'ETHFI', amount: amount(ETHFI, '800'), value: amount(USDT, '760'), venue: 'wallet', source: 'wallet_balance' },
    ],
    unpricedTokens: [{ token: 'ZRO', amount: amount(ZRO, '0.000000000000000001'), venue: 'wallet', source: 'wallet_balance' }],
    equity: amount(USDT, '1000000'),
    dustRatio: new Fraction(2660n, 1_000_000n),
    dustDelta: Fraction.fromDecimalString('0.002'),
    exceedsThreshold: true,
    ...overrides,
  }
}

describe('serializeSnapshot', () => {
  it("writes the seed's snake_case fields with every number as an exact decimal string", () => {
    const json = serializeSnapshot(snapshot())
    expect(json).toEqual({
      timestamp: FIXED_TIME,
      strategy_mode: 'usdt_test',
      share_class: 'USDT',
      total_dust_value: '2660',
      dust_tokens: [
        { token: 'EIGEN', amount: '1500', value: '1875', venue: 'etherfi', source: 'claimable_rewards' },
        { token: 'EIGEN', amount: '20', value: '25', venue: 'wallet', source: 'wallet_balance' },
        { token: 'ETHFI', amount: '800', value: '760', venue: 'wallet', source: 'wallet_balance' },
      ],
      unpriced_tokens: [{ token: 'ZRO', amount: '0.000000000000000001', venue: 'wallet', source: 'wallet_balance' }],
      equity: '1000000',
      dust_ratio: '0.00266',
      dust_delta: '0.002',
      exceeds_threshold: true,
    })
    expect(Object.keys(json)).toEqual(['timestamp', 'strategy_mode', 'share_class', 'total_dust_value', 'dust_tokens', 'unpriced_tokens', 'equity', 'dust_ratio', 'dust_delta', 'exceeds_threshold'])
  })

  it('survives JSON.stringify unchanged (no bigint, no number for money)', () => {
    const json = serializeSnapshot(snapshot())
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })

  it(`writes a ratio that does not terminate with ${RATIO_DECIMALS} decimals, rounded down`, () => {
    expect(RATIO_DECIMALS).toBe(18)
    expect(serializeSnapshot(snapshot({ dustRatio: new Fraction(2n, 3n) })).dust_ratio).toBe('0.666666666666666666')
    expect(serializeSnapshot(snapshot({ dustRatio: Fraction.ZERO })).dust_ratio).toBe('0')
  })

  it('writes an empty snapshot with empty lists and zero values', () => {
    const json = serializeSnapshot(snapshot({ totalDustValue: amount(USDT, '0'), dustTokens: [], unpricedTokens: [], equity: amount(USDT, '0'), dustRatio: Fraction.ZERO, exceedsThreshold: false }))
    expect(json).toMatchObject({ total_dust_value: '0', dust_tokens: [], unpriced_tokens: [], equity: '0', dust_ratio: '0', exceeds_threshold: false })
  })

  it('writes incomplete_equity only on an incomplete snapshot, with the failed sources and unvalued holdings', () => {
    expect(serializeSnapshot(snapshot())).not.toHaveProperty('incomplete_equity')
    const json = serializeSnapshot(snapshot({ exceedsThreshold: false, incomplete: { failedSources: ['wallet', 'binance_mid'], unpricedHoldings: ['weETH'] } }))
    expect(json).toMatchObject({ exceeds_threshold: false, incomplete_equity: { failed_sources: ['wallet', 'binance_mid'], unpriced_holdings: ['weETH'] } })
  })
})
