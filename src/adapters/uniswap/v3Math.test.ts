import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Fraction } from '../../domain/money/index.js'
import { encodeV3Path, ratioFromSqrtPriceX96, sqrtFloor, sqrtPriceX96FromRatio, tickAtRatio } from './v3Math.js'

describe('V3 price math', () => {
  it('takes exact integer square roots', () => {
    expect(sqrtFloor(0n)).toBe(0n)
    expect(sqrtFloor(15n)).toBe(3n)
    expect(sqrtFloor(16n)).toBe(4n)
    expect(sqrtFloor(2n ** 192n)).toBe(2n ** 96n)
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n }), (n) => {
        const root = sqrtFloor(n)
        return root * root <= n && (root + 1n) * (root + 1n) > n
      }),
    )
    expect(() => sqrtFloor(-1n)).toThrow('negative')
  })

  it('round-trips a price through sqrtPriceX96 within one part in 2^96', () => {
    // 3992.487 USDT (6 decimals) per WETH (18 decimals): token0 = USDT when its address sorts first.
    const ratio = new Fraction(10n ** 18n, 3_992_487_175n)
    const back = ratioFromSqrtPriceX96(sqrtPriceX96FromRatio(ratio))
    expect(back.lessThan(ratio) || back.equals(ratio)).toBe(true)
    expect(
      ratio
        .subtract(back)
        .divide(ratio)
        .lessThan(new Fraction(1n, 2n ** 40n)),
    ).toBe(true)
    expect(sqrtPriceX96FromRatio(Fraction.ONE)).toBe(2n ** 96n)
  })

  it('places ticks on their spacing', () => {
    expect(tickAtRatio(Fraction.ONE, 60)).toBe(0)
    expect(tickAtRatio(new Fraction(100005n, 100000n), 1)).toBe(0)
    expect(tickAtRatio(new Fraction(2n), 60)).toBe(6900)
    expect(tickAtRatio(new Fraction(1n, 2n), 60)).toBe(-6960)
  })

  it('encodes multi-hop paths', () => {
    const a = '0x1111111111111111111111111111111111111111'
    const b = '0x2222222222222222222222222222222222222222'
    const c = '0x3333333333333333333333333333333333333333'
    expect(encodeV3Path([a, b, c], [3000, 500])).toBe(`${a}000bb8${b.slice(2)}0001f4${c.slice(2)}`)
    expect(() => encodeV3Path([a, b], [])).toThrow('needs 1 fees, found 0')
  })
})
