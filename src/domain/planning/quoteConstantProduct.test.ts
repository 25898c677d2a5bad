import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { quoteConstantProduct as quoteConstantProductReference } from '../../../test/reference/quoteConstantProduct.js'
import { type ConstantProductPool, applyConstantProductSwap, quoteConstantProduct } from './quoteConstantProduct.js'

const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18 })
const WETH = createCurrency({ symbol: 'WETH', decimals: 18 })
const USDC = createCurrency({ symbol: 'USDC', decimals: 6 })
const E18 = 10n ** 18n

function pool(overrides: Partial<ConstantProductPool> = {}): ConstantProductPool {
  return {
    name: 'uniswap_v2:EIGEN/WETH',
    token0: EIGEN,
    token1: WETH,
    reserve0: 1_000n * E18,
    reserve1: 2n * E18,
    feeBps: new Fraction(30n),
    ...overrides,
  }
}

/** Uniswap V2's `getAmountOut`, literally. */
function v2AmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const amountInWithFee = amountIn * 997n
  return (amountInWithFee * reserveOut) / (reserveIn * 1000n + amountInWithFee)
}

describe('quoteConstantProduct', () => {
  it('quotes token0 for token1 with the V2 formula', () => {
    const quote = quoteConstantProduct(pool(), Amount.parse(EIGEN, '10'))
    if (!quote.ok) throw new Error(quote.detail)
    // 9.97 × 2 / (1000 + 9.97) = 0.019743160687941225(7...) WETH.
    expect(quote.amountOut.currency).toBe(WETH)
    expect(quote.amountOut.raw).toBe(19_743_160_687_941_225n)
    // 0.3 % of 10 EIGEN, in EIGEN.
    expect(quote.fee.toString()).toBe('0.03 EIGEN')
    expect(quote.amountIn.toString()).toBe('10 EIGEN')
    expect(quote.reserveIn).toBe(1_000n * E18)
    expect(quote.reserveOut).toBe(2n * E18)
  })

  it('quotes token1 for token0 the other way round', () => {
    const quote = quoteConstantProduct(pool(), Amount.parse(WETH, '0.1'))
    if (!quote.ok) throw new Error(quote.detail)
    // 0.0997 × 1000 / (2 + 0.0997) = 47.482973758155927037(...) EIGEN.
    expect(quote.amountOut.currency).toBe(EIGEN)
    expect(quote.amountOut.raw).toBe(47_482_973_758_155_927_037n)
    expect(quote.fee.toString()).toBe('0.0003 WETH')
    expect(quote.reserveIn).toBe(2n * E18)
    expect(quote.reserveOut).toBe(1_000n * E18)
  })

  it('takes other fees, fractional ones included, exactly', () => {
    const pancake = quoteConstantProduct(pool({ feeBps: new Fraction(25n) }), Amount.parse(EIGEN, '10'))
    // 9.975 × 2 / (1000 + 9.975) = 0.019752964182281739(...) WETH.
    expect(pancake.ok && pancake.amountOut.raw).toBe(19_752_964_182_281_739n)
    const tiny = quoteConstantProduct(pool({ feeBps: new Fraction(5n, 2n) }), Amount.parse(EIGEN, '10'))
    // 2.5 bps: 9.9975 × 2 / (1000 + 9.9975) = 0.019797078705640360(...) WETH.
    expect(tiny.ok && tiny.amountOut.raw).toBe(19_797_078_705_640_360n)
    expect(tiny.ok && tiny.fee.toString()).toBe('0.0025 EIGEN')
    const free = quoteConstantProduct(pool({ feeBps: Fraction.ZERO }), Amount.parse(EIGEN, '1000'))
    // Without a fee, doubling the input reserve halves the output reserve: 1 WETH out.
    expect(free.ok && free.amountOut.toString()).toBe('1 WETH')
    expect(free.ok && free.fee.raw).toBe(0n)
  })

  it('rounds the fee up to the input base unit', () => {
    // 0.3 % of 1001 × 10^9 units is 3.003 × 10^9 units, exactly.
    const exact = quoteConstantProduct(pool(), Amount.fromRaw(EIGEN, 1_001n * 10n ** 9n))
    expect(exact.ok && exact.fee.raw).toBe(3_003_000_000n)
    // 0.3 % of 1001 units is 3.003 units, rounded up to 4.
    const small = quoteConstantProduct(pool({ reserve0: 1_000n, reserve1: 1_000_000n }), Amount.fromRaw(EIGEN, 1_001n))
    expect(small.ok && small.fee.raw).toBe(4n)
    // 1001 × 997 × 10^6 / (1000 × 1000 + 1001 × 997) = 997997000000 / 1997997 = 499498.74(...).
    expect(small.ok && small.amountOut.raw).toBe(499_498n)
  })

  it('fails with insufficient_liquidity when the output rounds to nothing or a reserve is empty', () => {
    expect(quoteConstantProduct(pool(), Amount.fromRaw(EIGEN, 1n))).toEqual({
      ok: false,
      reason: 'insufficient_liquidity',
      detail: 'Swapping 0.000000000000000001 EIGEN through uniswap_v2:EIGEN/WETH, which holds 1000 EIGEN and 2 WETH, gives less than one base unit of WETH.',
    })
    expect(quoteConstantProduct(pool({ reserve1: 0n }), Amount.parse(EIGEN, '1'))).toEqual({
      ok: false,
      reason: 'insufficient_liquidity',
      detail: 'uniswap_v2:EIGEN/WETH holds 1000 EIGEN and 0 WETH, so it cannot swap.',
    })
    const zero = quoteConstantProduct(pool(), Amount.zero(EIGEN))
    expect(zero.ok === false && zero.reason).toBe('insufficient_liquidity')
    const all = quoteConstantProduct(pool({ feeBps: new Fraction(10_000n) }), Amount.parse(EIGEN, '1'))
    expect(all.ok === false && all.reason).toBe('insufficient_liquidity')
  })

  it('fails with unknown_token for a token the pool does not trade', () => {
    expect(quoteConstantProduct(pool(), Amount.parse(USDC, '1'))).toEqual({
      ok: false,
      reason: 'unknown_token',
      detail: 'uniswap_v2:EIGEN/WETH trades EIGEN and WETH, not USDC.',
    })
  })

  it('refuses a negative amount and a fee out of range', () => {
    expect(() => quoteConstantProduct(pool(), Amount.parse(EIGEN, '-1'))).toThrow('The amount to swap through uniswap_v2:EIGEN/WETH must be at least zero, found -1 EIGEN.')
    expect(() => quoteConstantProduct(pool({ feeBps: new Fraction(10_001n) }), Amount.parse(EIGEN, '1'))).toThrow(InvalidAmountError)
    expect(() => quoteConstantProduct(pool({ feeBps: new Fraction(-1n, 2n) }), Amount.parse(EIGEN, '1'))).toThrow(InvalidAmountError)
  })
})

describe('applyConstantProductSwap', () => {
  it('adds the whole input to its reserve and takes the output from the other', () => {
    const before = pool()
    const amountIn = Amount.parse(EIGEN, '10')
    const quote = quoteConstantProduct(before, amountIn)
    if (!quote.ok) throw new Error(quote.detail)
    const after = applyConstantProductSwap(before, amountIn, quote.amountOut)
    expect(after.reserve0).toBe(1_010n * E18)
    expect(after.reserve1).toBe(2n * E18 - 19_743_160_687_941_225n)
    expect(after.name).toBe(before.name)
    expect(before.reserve0).toBe(1_000n * E18)

    const back = applyConstantProductSwap(after, Amount.parse(WETH, '0.01'), Amount.parse(EIGEN, '4'))
    expect(back.reserve1).toBe(after.reserve1 + 10n ** 16n)
    expect(back.reserve0).toBe(1_006n * E18)
  })

  it('accepts less than the quote and refuses more', () => {
    const amountIn = Amount.parse(EIGEN, '10')
    const most = Amount.fromRaw(WETH, 19_743_160_687_941_225n)
    expect(applyConstantProductSwap(pool(), amountIn, Amount.parse(WETH, '0.01')).reserve1).toBe(199n * 10n ** 16n)
    expect(() => applyConstantProductSwap(pool(), amountIn, most.add(Amount.fromRaw(WETH, 1n)))).toThrow(
      'Swapping 10 EIGEN through uniswap_v2:EIGEN/WETH gives at most 0.019743160687941225 WETH, found 0.019743160687941226 WETH.',
    )
    expect(() => applyConstantProductSwap(pool(), Amount.fromRaw(EIGEN, 1n), Amount.fromRaw(WETH, 1n))).toThrow(InvalidAmountError)
    expect(applyConstantProductSwap(pool(), Amount.fromRaw(EIGEN, 1n), Amount.zero(WETH)).reserve0).toBe(1_000n * E18 + 1n)
  })

  it('refuses currencies the pool does not trade and a negative output', () => {
    expect(() => applyConstantProductSwap(pool(), Amount.parse(USDC, '1'), Amount.zero(WETH))).toThrow(
      'Cannot swap through uniswap_v2:EIGEN/WETH: expected an amount in EIGEN or WETH, found one in USDC.',
    )
    expect(() => applyConstantProductSwap(pool(), Amount.parse(EIGEN, '1'), Amount.zero(EIGEN))).toThrow(CurrencyMismatchError)
    expect(() => applyConstantProductSwap(pool(), Amount.parse(EIGEN, '1'), Amount.fromRaw(WETH, -1n))).toThrow(InvalidAmountError)
  })
})

const reserveArbitrary = fc.bigInt({ min: 1n, max: 10n ** 30n })
const amountInArbitrary = fc.bigInt({ min: 1n, max: 10n ** 30n })
const feeArbitrary = fc.tuple(fc.bigInt({ min: 0n, max: 1_000n }), fc.bigInt({ min: 1n, max: 4n })).map(([numerator, denominator]) => new Fraction(numerator, denominator))

function outOf(quote: ReturnType<typeof quoteConstantProduct>): bigint {
  return quote.ok ? quote.amountOut.raw : 0n
}

describe('quoteConstantProduct properties', () => {
  it('is Uniswap V2 getAmountOut to the base unit at 30 bps', () => {
    fc.assert(
      fc.property(reserveArbitrary, reserveArbitrary, amountInArbitrary, (reserve0, reserve1, amountIn) => {
        const quote = quoteConstantProduct(pool({ reserve0, reserve1 }), Amount.fromRaw(EIGEN, amountIn))
        expect(outOf(quote)).toBe(v2AmountOut(amountIn, reserve0, reserve1))
        const reverse = quoteConstantProduct(pool({ reserve0, reserve1 }), Amount.fromRaw(WETH, amountIn))
        expect(outOf(reverse)).toBe(v2AmountOut(amountIn, reserve1, reserve0))
      }),
    )
  })

  it('gives less than the output reserve and a fee of at least zero', () => {
    fc.assert(
      fc.property(reserveArbitrary, reserveArbitrary, amountInArbitrary, feeArbitrary, (reserve0, reserve1, amountIn, feeBps) => {
        const quote = quoteConstantProduct(pool({ reserve0, reserve1, feeBps }), Amount.fromRaw(EIGEN, amountIn))
        if (!quote.ok) return
        expect(quote.amountOut.raw < reserve1).toBe(true)
        expect(quote.amountOut.raw > 0n).toBe(true)
        expect(quote.fee.isNegative()).toBe(false)
        expect(quote.fee.raw <= amountIn).toBe(true)
      }),
    )
  })

  it('gives more for more input, and less for a higher fee', () => {
    fc.assert(
      fc.property(reserveArbitrary, reserveArbitrary, amountInArbitrary, amountInArbitrary, feeArbitrary, feeArbitrary, (reserve0, reserve1, a, b, feeA, feeB) => {
        const [small, large] = a <= b ? [a, b] : [b, a]
        const [low, high] = feeA.compare(feeB) <= 0 ? [feeA, feeB] : [feeB, feeA]
        const at = (amount: bigint, feeBps: Fraction) => outOf(quoteConstantProduct(pool({ reserve0, reserve1, feeBps }), Amount.fromRaw(EIGEN, amount)))
        expect(at(small, low) <= at(large, low)).toBe(true)
        expect(at(small, high) <= at(small, low)).toBe(true)
      }),
    )
  })

  it('never lowers the product of the reserves when the quote is applied', () => {
    fc.assert(
      fc.property(reserveArbitrary, reserveArbitrary, amountInArbitrary, feeArbitrary, (reserve0, reserve1, amountIn, feeBps) => {
        const before = pool({ reserve0, reserve1, feeBps })
        const quote = quoteConstantProduct(before, Amount.fromRaw(EIGEN, amountIn))
        if (!quote.ok) return
        const after = applyConstantProductSwap(before, quote.amountIn, quote.amountOut)
        expect(after.reserve0 * after.reserve1 >= reserve0 * reserve1).toBe(true)
        expect(() => applyConstantProductSwap(before, quote.amountIn, quote.amountOut.add(Amount.fromRaw(WETH, 1n)))).toThrow(InvalidAmountError)
      }),
    )
  })

  it('gives exactly what the frozen reference gives, failures and their sentences included', () => {
    const reserveOrNone = fc.oneof(fc.constant(0n), fc.constant(1n), reserveArbitrary)
    const amountOrNone = fc.oneof(fc.constant(0n), fc.constant(1n), amountInArbitrary)
    fc.assert(
      fc.property(reserveOrNone, reserveOrNone, amountOrNone, feeArbitrary, fc.constantFrom(EIGEN, WETH, USDC), (reserve0, reserve1, amountIn, feeBps, currency) => {
        const swapped = pool({ reserve0, reserve1, feeBps })
        const amount = Amount.fromRaw(currency, amountIn)
        expect(quoteConstantProduct(swapped, amount)).toStrictEqual(quoteConstantProductReference(swapped, amount))
      }),
    )
  })
})
