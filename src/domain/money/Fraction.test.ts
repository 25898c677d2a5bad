import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../../errors/index.js'
import { Fraction, type Rounding, divRound, formatScaled } from './Fraction.js'

const ROUNDINGS: readonly Rounding[] = ['down', 'up', 'half_up']

describe('divRound', () => {
  it.each([
    // numerator, denominator, down, up, half_up
    [7n, 2n, 3n, 4n, 4n],
    [-7n, 2n, -4n, -3n, -4n],
    [5n, 3n, 1n, 2n, 2n],
    [-5n, 3n, -2n, -1n, -2n],
    [4n, 3n, 1n, 2n, 1n],
    [-4n, 3n, -2n, -1n, -1n],
    [1n, 1_000_000n, 0n, 1n, 0n],
    [-1n, 1_000_000n, -1n, 0n, 0n],
    [500_000n, 1_000_000n, 0n, 1n, 1n],
    [-500_000n, 1_000_000n, -1n, 0n, -1n],
    [6n, 3n, 2n, 2n, 2n],
    [-6n, 3n, -2n, -2n, -2n],
    [0n, 7n, 0n, 0n, 0n],
  ])('divides %i by %i as down %i, up %i, half_up %i', (numerator, denominator, down, up, halfUp) => {
    expect(divRound(numerator, denominator, 'down')).toBe(down)
    expect(divRound(numerator, denominator, 'up')).toBe(up)
    expect(divRound(numerator, denominator, 'half_up')).toBe(halfUp)
  })

  it('keeps down ≤ exact ≤ up, one base unit apart at most, with half_up between them', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 30n }), (numerator, denominator) => {
        const down = divRound(numerator, denominator, 'down')
        const up = divRound(numerator, denominator, 'up')
        const halfUp = divRound(numerator, denominator, 'half_up')
        expect(down * denominator <= numerator).toBe(true)
        expect(numerator <= up * denominator).toBe(true)
        expect(up - down).toBe(numerator % denominator === 0n ? 0n : 1n)
        expect(halfUp === down || halfUp === up).toBe(true)
        // half_up is the nearest integer: never more than half a unit away.
        const distance = halfUp * denominator - numerator
        expect(2n * (distance < 0n ? -distance : distance) <= denominator).toBe(true)
      }),
    )
  })
})

describe('Fraction', () => {
  it('keeps the denominator positive and refuses zero', () => {
    const half = new Fraction(1n, -2n)
    expect(half.numerator).toBe(-1n)
    expect(half.denominator).toBe(2n)
    expect(new Fraction(5n).denominator).toBe(1n)
    expect(() => new Fraction(1n, 0n)).toThrow(InvalidAmountError)
    expect(() => new Fraction(1n, 0n)).toThrow('zero denominator')
  })

  it.each([
    ['0.002', 1n, 500n],
    ['-12.5', -25n, 2n],
    [' 1.50 ', 3n, 2n],
    ['1520', 1520n, 1n],
    ['0', 0n, 1n],
    ['0.000000000000000001', 1n, 10n ** 18n],
  ])('reads "%s" exactly as %i/%i', (text, numerator, denominator) => {
    const value = Fraction.fromDecimalString(text)
    expect(value.numerator).toBe(numerator)
    expect(value.denominator).toBe(denominator)
  })

  it.each(['abc', '1e3', '1.', '.5', '', '1,5', '+1', '0x10', 'NaN'])('refuses "%s" with a message that quotes it', (text) => {
    expect(() => Fraction.fromDecimalString(text)).toThrow(InvalidAmountError)
    expect(() => Fraction.fromDecimalString(text)).toThrow(`found "${text}"`)
  })

  it('gives equal values one exact key, and values however close keys of their own', () => {
    expect(Fraction.fromDecimalString('0.002').exactKey()).toBe('1/500')
    expect(new Fraction(4n, 2000n).exactKey()).toBe(Fraction.fromDecimalString('0.0020').exactKey())
    expect(new Fraction(-6n, -3n).exactKey()).toBe('2/1')
    const tiny = Fraction.fromDecimalString(`0.${'0'.repeat(40)}1`)
    expect(tiny.exactKey()).not.toBe(tiny.multiply(2n).exactKey())
  })

  it('reduces to lowest terms and returns itself when already reduced', () => {
    const reduced = new Fraction(-6n, 4n).reduce()
    expect([reduced.numerator, reduced.denominator]).toEqual([-3n, 2n])
    const lowest = new Fraction(3n, 2n)
    expect(lowest.reduce()).toBe(lowest)
    expect(new Fraction(0n, 5n).reduce().denominator).toBe(1n)
  })

  it('adds, subtracts, multiplies and divides exactly', () => {
    const third = new Fraction(1n, 3n)
    const sixth = new Fraction(1n, 6n)
    expect(third.add(sixth).equals(new Fraction(1n, 2n))).toBe(true)
    expect(third.add(new Fraction(2n, 3n)).equals(Fraction.ONE)).toBe(true)
    expect(third.subtract(sixth).equals(sixth)).toBe(true)
    expect(third.multiply(sixth).equals(new Fraction(1n, 18n))).toBe(true)
    expect(third.multiply(3n).equals(Fraction.ONE)).toBe(true)
    expect(third.divide(sixth).equals(new Fraction(2n))).toBe(true)
    expect(third.divide(2n).equals(sixth)).toBe(true)
    expect(third.negate().equals(new Fraction(-1n, 3n))).toBe(true)
    expect(new Fraction(-2n, 3n).invert()).toMatchObject({ numerator: -3n, denominator: 2n })
    expect(() => Fraction.ZERO.invert()).toThrow(InvalidAmountError)
  })

  it('compares like a sort comparator', () => {
    const values = ['0.5', '-1', '0.002', '2', '0.0021'].map((text) => Fraction.fromDecimalString(text))
    const sorted = [...values].sort((a, b) => a.compare(b)).map((value) => value.toDecimalString(6))
    expect(sorted).toEqual(['-1', '0.002', '0.0021', '0.5', '2'])
    const a = new Fraction(2n, 4n)
    const b = new Fraction(1n, 2n)
    expect(a.equals(b)).toBe(true)
    expect(a.lessThan(b)).toBe(false)
    expect(a.greaterThan(b)).toBe(false)
    expect(Fraction.ZERO.lessThan(b)).toBe(true)
    expect(b.greaterThan(Fraction.ZERO)).toBe(true)
    expect(Fraction.ZERO.isZero()).toBe(true)
    expect(b.negate().isNegative()).toBe(true)
    expect(b.isNegative()).toBe(false)
  })

  it('rounds to an integer in the direction asked', () => {
    const value = new Fraction(-5n, 2n)
    expect(value.toBigInt('down')).toBe(-3n)
    expect(value.toBigInt('up')).toBe(-2n)
    expect(value.toBigInt('half_up')).toBe(-3n)
  })

  it('writes decimal strings without trailing zeros, rounded as asked', () => {
    expect(new Fraction(2n, 3n).toDecimalString(4)).toBe('0.6667')
    expect(new Fraction(2n, 3n).toDecimalString(4, 'down')).toBe('0.6666')
    expect(new Fraction(1n, 500n).toDecimalString(6)).toBe('0.002')
    expect(new Fraction(-1n, 3n).toDecimalString(2, 'down')).toBe('-0.34')
    expect(new Fraction(-1n, 3n).toDecimalString(2, 'up')).toBe('-0.33')
    expect(new Fraction(1520n).toDecimalString(18)).toBe('1520')
  })

  it('writes fixed decimals for aligned display, never "-0.00"', () => {
    expect(new Fraction(3n, 2n).toDecimalPlaces(2)).toBe('1.50')
    expect(new Fraction(5n, 2n).toDecimalPlaces(0)).toBe('3')
    expect(new Fraction(-1n, 3n).toDecimalPlaces(2)).toBe('-0.33')
    expect(new Fraction(-1n, 1000n).toDecimalPlaces(2)).toBe('0.00')
    expect(new Fraction(2660n, 1_000_000n).toDecimalPlaces(5)).toBe('0.00266')
  })

  it.each([
    [new Fraction(0n), 3, 'half_up', '0'],
    [new Fraction(2660n, 1_000_000n), 3, 'half_up', '0.00266'],
    [new Fraction(1n, 3n), 4, 'half_up', '0.3333'],
    [new Fraction(2n, 3n), 2, 'half_up', '0.67'],
    [new Fraction(-2n, 3n), 2, 'half_up', '-0.67'],
    [new Fraction(1n, 7n), 3, 'down', '0.142'],
    [new Fraction(1n, 7n), 3, 'up', '0.143'],
    [Fraction.fromDecimalString('1234.5678'), 6, 'half_up', '1234.57'],
    // The integer part is always kept whole.
    [new Fraction(123456n), 3, 'half_up', '123456'],
    [new Fraction(1n, 10n), 3, 'half_up', '0.1'],
    [new Fraction(1n, 2000n), 4, 'half_up', '0.0005'],
  ] as const)('writes %o with %i significant digits (%s) as "%s"', (value, digits, rounding, expected) => {
    expect(value.toSignificant(digits, rounding)).toBe(expected)
  })

  it('reads back what it writes for every plain decimal string', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 36 }), (scaled, decimals) => {
        const text = formatScaled(scaled, decimals)
        const value = Fraction.fromDecimalString(text)
        expect(value.equals(new Fraction(scaled, 10n ** BigInt(decimals)))).toBe(true)
        for (const rounding of ROUNDINGS) expect(value.toDecimalString(decimals, rounding)).toBe(text)
      }),
    )
  })

  it('keeps arithmetic exact: (a + b) - b = a and (a × b) ÷ b = a', () => {
    const fraction = fc.tuple(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 24n })).map(([numerator, denominator]) => new Fraction(numerator, denominator))
    fc.assert(
      fc.property(fraction, fraction, (a, b) => {
        expect(a.add(b).subtract(b).equals(a)).toBe(true)
        if (!b.isZero()) expect(a.multiply(b).divide(b).equals(a)).toBe(true)
        expect(a.reduce().equals(a)).toBe(true)
        expect(a.compare(b)).toBe(-b.compare(a))
      }),
    )
  })
})

describe('formatScaled', () => {
  it.each([
    [1_250_000n, 6, false, '1.25'],
    [1_250_000n, 6, true, '1.250000'],
    [1_900_000_000n, 6, false, '1900'],
    [-5n, 3, false, '-0.005'],
    [5n, 18, false, '0.000000000000000005'],
    [0n, 6, false, '0'],
    [0n, 2, true, '0.00'],
    [1234n, 0, false, '1234'],
    [-1234n, 0, true, '-1234'],
  ])('writes %i with %i implied decimals (keep zeros: %s) as "%s"', (scaled, decimals, keepZeros, expected) => {
    expect(formatScaled(scaled, decimals, keepZeros)).toBe(expected)
  })
})
