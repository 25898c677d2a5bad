import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import { decodeGridValue, encodeGridValue } from './runPolicyGridTransfer.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'ethereum', address: '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83' })

describe('encodeGridValue and decodeGridValue', () => {
  it('carry amounts and fractions through a structured clone exactly, at any depth', () => {
    const value = {
      policy: 'threshold',
      cost: Amount.fromRaw(USDT, 30_470_000n),
      ratio: new Fraction(2_500_015n, 12_000_000_000n),
      conversions: [{ amount: Amount.fromRaw(EIGEN, 3_500n * 10n ** 18n), at: 1_700_000_000_000, path: ['EIGEN', 'USDT'] }],
      received: new Map([['EIGEN', Amount.fromRaw(EIGEN, 1n)]]),
      ratios: undefined,
      skipped: {},
    }
    const decoded = decodeGridValue(structuredClone(encodeGridValue(value)))
    expect(decoded).toEqual(value)
    const { cost, ratio, received } = decoded as typeof value
    expect(cost).toBeInstanceOf(Amount)
    expect(cost.add(Amount.fromRaw(USDT, 1n)).raw).toBe(30_470_001n)
    expect(ratio).toBeInstanceOf(Fraction)
    expect(ratio.equals(new Fraction(2_500_015n, 12_000_000_000n))).toBe(true)
    expect(received.get('EIGEN')?.currency.address).toBe(EIGEN.address)
  })

  it('gives back every bigint of random amounts and fractions', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 30n }), (raw, denominator) => {
        const value = [Amount.fromRaw(USDT, raw), new Fraction(raw, denominator)]
        const [amount, fraction] = decodeGridValue(structuredClone(encodeGridValue(value))) as [Amount, Fraction]
        expect(amount.raw).toBe(raw)
        expect(fraction.numerator).toBe(new Fraction(raw, denominator).numerator)
        expect(fraction.denominator).toBe(new Fraction(raw, denominator).denominator)
      }),
    )
  })
})
