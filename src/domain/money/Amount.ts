import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { type Currency, isSameCurrency } from './Currency.js'
import { Fraction, type Rounding, divRound, formatScaled } from './Fraction.js'

/**
 * Is a quantity of one currency in whole base units (`bigint`), like viem's amounts and
 * sdk-core's `CurrencyAmount`. Combining two currencies throws at once.
 */
export class Amount {
  readonly currency: Currency
  /** Base units (wei for an 18-decimal token, 1e-6 for USDT). */
  readonly raw: bigint

  private constructor(currency: Currency, raw: bigint) {
    this.currency = currency
    this.raw = raw
  }

  /** Creates an amount from base units. */
  static fromRaw(currency: Currency, raw: bigint): Amount {
    return new Amount(currency, raw)
  }

  static zero(currency: Currency): Amount {
    return new Amount(currency, 0n)
  }

  /**
   * Reads a decimal string in whole tokens (`"1.25"` EIGEN).
   * More decimals than the currency has is an error unless a rounding is given.
   */
  static parse(currency: Currency, text: string, rounding?: Rounding): Amount {
    let value: Fraction
    try {
      value = Fraction.fromDecimalString(text)
    } catch {
      throw new InvalidAmountError(`Expected a decimal amount of ${currency.symbol} such as "1.5", found "${text}".`)
    }
    const scaled = value.multiply(10n ** BigInt(currency.decimals))
    if (scaled.numerator % scaled.denominator !== 0n && rounding === undefined) {
      throw new InvalidAmountError(`${currency.symbol} has ${currency.decimals} decimals, so "${text}" cannot be held exactly; expected at most ${currency.decimals} decimals.`)
    }
    return new Amount(currency, scaled.toBigInt(rounding ?? 'down'))
  }

  /** Converts a whole-token fraction to base units with the given rounding. */
  static fromTokens(currency: Currency, tokens: Fraction, rounding: Rounding): Amount {
    return new Amount(currency, tokens.multiply(10n ** BigInt(currency.decimals)).toBigInt(rounding))
  }

  private check(other: Amount, operation: string): void {
    if (!isSameCurrency(this.currency, other.currency)) {
      throw new CurrencyMismatchError(operation, this.currency.symbol, other.currency.symbol)
    }
  }

  add(other: Amount): Amount {
    this.check(other, 'add')
    return new Amount(this.currency, this.raw + other.raw)
  }

  subtract(other: Amount): Amount {
    this.check(other, 'subtract')
    return new Amount(this.currency, this.raw - other.raw)
  }

  /** Multiplies by an exact factor, rounding the result to base units as asked. */
  multiply(factor: Fraction, rounding: Rounding): Amount {
    return new Amount(this.currency, factor.multiply(this.raw).toBigInt(rounding))
  }

  /** Rounds down to a whole multiple of `step` base units (an exchange's amount step). */
  floorToStep(step: bigint): Amount {
    if (step <= 0n) throw new InvalidAmountError(`An amount step must be positive, found ${step}.`)
    return new Amount(this.currency, divRound(this.raw, step, 'down') * step)
  }

  compare(other: Amount): number {
    this.check(other, 'compare')
    return this.raw < other.raw ? -1 : this.raw > other.raw ? 1 : 0
  }

  lessThan(other: Amount): boolean {
    return this.compare(other) < 0
  }

  greaterThan(other: Amount): boolean {
    return this.compare(other) > 0
  }

  equals(other: Amount): boolean {
    return this.compare(other) === 0
  }

  min(other: Amount): Amount {
    return this.compare(other) <= 0 ? this : other
  }

  max(other: Amount): Amount {
    return this.compare(other) >= 0 ? this : other
  }

  isZero(): boolean {
    return this.raw === 0n
  }

  isPositive(): boolean {
    return this.raw > 0n
  }

  isNegative(): boolean {
    return this.raw < 0n
  }

  /** The amount in whole tokens as an exact fraction. */
  toTokens(): Fraction {
    return new Fraction(this.raw, 10n ** BigInt(this.currency.decimals))
  }

  /** Writes the exact amount in whole tokens, without trailing zeros (`"1520"`, `"0.95"`). */
  toDecimalString(): string {
    return formatScaled(this.raw, this.currency.decimals)
  }

  /** Writes the amount rounded to `decimals` decimals, for display. */
  toDecimalPlaces(decimals: number, rounding: Rounding = 'half_up'): string {
    return this.toTokens().toDecimalPlaces(decimals, rounding)
  }

  /** JSON carries amounts as exact decimal strings. */
  toJSON(): string {
    return this.toDecimalString()
  }

  toString(): string {
    return `${this.toDecimalString()} ${this.currency.symbol}`
  }
}

/** Adds amounts of one currency; the empty sum is zero of `currency`. */
export function sumAmounts(currency: Currency, amounts: Iterable<Amount>): Amount {
  let total = Amount.zero(currency)
  for (const amount of amounts) total = total.add(amount)
  return total
}
