import { InvalidAmountError } from '../../errors/index.js'

/**
 * Says which way a value that does not fit is rounded.
 * `down` is toward negative infinity (floor), `up` toward positive infinity (ceiling),
 * `half_up` to the nearest, ties away from zero.
 */
export type Rounding = 'down' | 'up' | 'half_up'

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** Divides with an explicit rounding direction. `denominator` must be positive. */
export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const q = numerator / denominator // truncates toward zero
  const r = numerator % denominator
  if (r === 0n) return q
  switch (rounding) {
    case 'down':
      return numerator < 0n ? q - 1n : q
    case 'up':
      return numerator < 0n ? q : q + 1n
    case 'half_up': {
      const twice = 2n * (r < 0n ? -r : r)
      if (twice >= denominator) return numerator < 0n ? q - 1n : q + 1n
      return q
    }
  }
}

/** Is an exact rational number of two bigints; the denominator is always positive. */
export class Fraction {
  readonly numerator: bigint
  readonly denominator: bigint

  constructor(numerator: bigint, denominator: bigint = 1n) {
    if (denominator === 0n) throw new InvalidAmountError('A fraction cannot have a zero denominator.')
    if (denominator < 0n) {
      numerator = -numerator
      denominator = -denominator
    }
    this.numerator = numerator
    this.denominator = denominator
  }

  static readonly ZERO = new Fraction(0n)
  static readonly ONE = new Fraction(1n)

  /** Reads a plain decimal string such as `"0.002"` or `"-12.5"` exactly. */
  static fromDecimalString(text: string): Fraction {
    const match = DECIMAL.exec(text.trim())
    if (!match) {
      throw new InvalidAmountError(`Expected a decimal number such as "1.25", found "${text}".`)
    }
    const [, sign, whole, frac = ''] = match
    const numerator = BigInt(`${whole}${frac}`) * (sign ? -1n : 1n)
    return new Fraction(numerator, 10n ** BigInt(frac.length)).reduce()
  }

  /** Returns the same value with numerator and denominator divided by their greatest common divisor. */
  reduce(): Fraction {
    const g = gcd(this.numerator, this.denominator)
    if (g <= 1n) return this
    return new Fraction(this.numerator / g, this.denominator / g)
  }

  /** A text that equal values, and only they, share (`"1/500"` for 0.002 however written): a key for maps and sets, exact where a rounded decimal would merge close values. */
  exactKey(): string {
    const { numerator, denominator } = this.reduce()
    return `${numerator}/${denominator}`
  }

  add(other: Fraction): Fraction {
    if (this.denominator === other.denominator) return new Fraction(this.numerator + other.numerator, this.denominator)
    return new Fraction(this.numerator * other.denominator + other.numerator * this.denominator, this.denominator * other.denominator)
  }

  subtract(other: Fraction): Fraction {
    return this.add(other.negate())
  }

  multiply(other: Fraction | bigint): Fraction {
    if (typeof other === 'bigint') return new Fraction(this.numerator * other, this.denominator)
    return new Fraction(this.numerator * other.numerator, this.denominator * other.denominator)
  }

  divide(other: Fraction | bigint): Fraction {
    if (typeof other === 'bigint' ? other === 0n : other.numerator === 0n) {
      throw new InvalidAmountError(`Cannot divide ${this.toSignificant(12)} by zero.`)
    }
    if (typeof other === 'bigint') return new Fraction(this.numerator, this.denominator * other)
    return new Fraction(this.numerator * other.denominator, this.denominator * other.numerator)
  }

  negate(): Fraction {
    return new Fraction(-this.numerator, this.denominator)
  }

  invert(): Fraction {
    return new Fraction(this.denominator, this.numerator)
  }

  /** Compares with another fraction: negative, zero or positive like a sort comparator. */
  compare(other: Fraction): number {
    const left = this.numerator * other.denominator
    const right = other.numerator * this.denominator
    return left < right ? -1 : left > right ? 1 : 0
  }

  lessThan(other: Fraction): boolean {
    return this.compare(other) < 0
  }

  greaterThan(other: Fraction): boolean {
    return this.compare(other) > 0
  }

  equals(other: Fraction): boolean {
    return this.compare(other) === 0
  }

  isZero(): boolean {
    return this.numerator === 0n
  }

  isNegative(): boolean {
    return this.numerator < 0n
  }

  /** Rounds to an integer in the given direction. */
  toBigInt(rounding: Rounding): bigint {
    return divRound(this.numerator, this.denominator, rounding)
  }

  /**
   * Writes the value with at most `maxDecimals` decimals, rounded as asked, without trailing zeros.
   * Exact whenever the value terminates within `maxDecimals` decimals.
   */
  toDecimalString(maxDecimals: number, rounding: Rounding = 'half_up'): string {
    const scale = 10n ** BigInt(maxDecimals)
    const scaled = divRound(this.numerator * scale, this.denominator, rounding)
    return formatScaled(scaled, maxDecimals)
  }

  /** Writes the value with exactly `decimals` decimals (for aligned display). */
  toDecimalPlaces(decimals: number, rounding: Rounding = 'half_up'): string {
    const scale = 10n ** BigInt(decimals)
    const scaled = divRound(this.numerator * scale, this.denominator, rounding)
    return formatScaled(scaled, decimals, true)
  }

  /** Writes the value with `digits` significant decimals (at least the integer part), for ratios and prices. */
  toSignificant(digits: number, rounding: Rounding = 'half_up'): string {
    if (this.numerator === 0n) return '0'
    const abs = this.numerator < 0n ? -this.numerator : this.numerator
    // The position of the first significant digit decides how many decimals carry `digits` digits.
    const integerDigits = (abs / this.denominator).toString().length
    let decimals = digits - integerDigits
    if (abs < this.denominator) {
      let probe = abs * 10n
      decimals = digits
      while (probe < this.denominator) {
        probe *= 10n
        decimals += 1
      }
    }
    return this.toDecimalString(Math.max(decimals, 0), rounding)
  }
}

/** Formats an integer that holds `decimals` implied decimals. */
export function formatScaled(scaled: bigint, decimals: number, keepZeros = false): string {
  const negative = scaled < 0n
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  let frac = decimals > 0 ? digits.slice(digits.length - decimals) : ''
  if (!keepZeros) frac = frac.replace(/0+$/, '')
  const body = frac ? `${whole}.${frac}` : whole
  return negative && /[1-9]/.test(body) ? `-${body}` : body
}
