import { CurrencyMismatchError } from '../../errors/index.js'
import { Amount } from './Amount.js'
import { type Currency, isSameCurrency } from './Currency.js'
import { Fraction, type Rounding } from './Fraction.js'

/** Where a price came from and when it was true. */
export type PriceOrigin = {
  /** Name of the price source (`static`, `binance`, `uniswap_v2:EIGEN/WETH`). */
  readonly source: string
  /** Wall-clock milliseconds at which the price was observed. */
  readonly at: number
}

/**
 * Is an exact exchange rate: how many `quote` base units one `base` base unit is worth.
 * Kept in base units so that quoting an amount never goes through decimals.
 */
export class Price {
  readonly base: Currency
  readonly quote: Currency
  /** Quote base units per base base unit. */
  readonly ratio: Fraction
  readonly origin: PriceOrigin

  constructor(base: Currency, quote: Currency, ratio: Fraction, origin: PriceOrigin) {
    this.base = base
    this.quote = quote
    this.ratio = ratio
    this.origin = origin
  }

  /** Creates a price from a human decimal (`"1.25"` USDT per EIGEN). */
  static fromDecimal(base: Currency, quote: Currency, text: string, origin: PriceOrigin): Price {
    return Price.fromTokens(base, quote, Fraction.fromDecimalString(text), origin)
  }

  /** Creates a price from an exact number of whole quote tokens per whole base token. */
  static fromTokens(base: Currency, quote: Currency, perToken: Fraction, origin: PriceOrigin): Price {
    const ratio = perToken.multiply(10n ** BigInt(quote.decimals)).divide(10n ** BigInt(base.decimals))
    return new Price(base, quote, ratio, origin)
  }

  /** The price of one base currency in another equal unit (WETH in ETH): exactly one token per token. */
  static parity(base: Currency, quote: Currency, origin: PriceOrigin): Price {
    return Price.fromTokens(base, quote, Fraction.ONE, origin)
  }

  /** Values an amount of `base` in `quote`, rounding to quote base units as asked. */
  quoteAmount(amount: Amount, rounding: Rounding): Amount {
    if (!isSameCurrency(amount.currency, this.base)) {
      throw new CurrencyMismatchError(`value with a ${this.base.symbol}/${this.quote.symbol} price`, this.base.symbol, amount.currency.symbol)
    }
    return Amount.fromRaw(this.quote, this.ratio.multiply(amount.raw).toBigInt(rounding))
  }

  /** The same rate seen from the other side. */
  invert(): Price {
    return new Price(this.quote, this.base, this.ratio.invert(), this.origin)
  }

  /**
   * Chains `base/quote` with `quote/next` into `base/next`; the older observation time is kept.
   * The ratio is left unreduced: a gcd of chained ratios costs more than the larger numbers it saves.
   */
  multiply(other: Price): Price {
    if (!isSameCurrency(this.quote, other.base)) {
      throw new CurrencyMismatchError(`chain the ${this.base.symbol}/${this.quote.symbol} price`, this.quote.symbol, other.base.symbol)
    }
    const origin: PriceOrigin = {
      source: this.origin.source === other.origin.source ? this.origin.source : `${this.origin.source}+${other.origin.source}`,
      at: Math.min(this.origin.at, other.origin.at),
    }
    return new Price(this.base, other.quote, this.ratio.multiply(other.ratio), origin)
  }

  /** Whole quote tokens per whole base token, exact. */
  perToken(): Fraction {
    return this.ratio.multiply(10n ** BigInt(this.base.decimals)).divide(10n ** BigInt(this.quote.decimals))
  }

  /** Writes whole quote tokens per whole base token with `digits` significant digits. */
  toSignificant(digits = 8): string {
    return this.perToken().toSignificant(digits)
  }

  toJSON(): string {
    return this.perToken().toSignificant(18)
  }
}
