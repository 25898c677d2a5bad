export { Amount, sumAmounts } from './Amount.js'
export { type Currency, createCurrency, isSameCurrency } from './Currency.js'
export { Fraction, type Rounding, divRound, formatScaled } from './Fraction.js'
export { Price, type PriceOrigin } from './Price.js'
