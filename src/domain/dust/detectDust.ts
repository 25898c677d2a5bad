import type { DustWarningCode } from '../events/DustWarningCode.js'
import { Amount, Fraction, type PriceBook } from '../money/index.js'
import type { DustPolicy } from './DustPolicy.js'
import type { DustSnapshot, DustToken, IncompleteEquity, UnpricedToken } from './DustSnapshot.js'
import type { Holding } from './Holding.js'
import { classifyToken } from './classifyToken.js'
import { evaluateThreshold } from './evaluateThreshold.js'

/** A condition worth an operator's attention that does not stop detection: a `dust_warning` of one of two codes. */
export type DustWarning =
  | { readonly code: Extract<DustWarningCode, 'unpriced_token'>; readonly token: string; readonly venue: string; readonly message: string }
  | { readonly code: Extract<DustWarningCode, 'zero_equity'>; readonly message: string }

export type DetectDustParameters = {
  policy: DustPolicy
  holdings: readonly Holding[]
  priceBook: PriceBook
  /** Equity in the share class. */
  equity: Amount
  /** Wall-clock milliseconds. */
  timestamp: number
  /** Whether this strategy's previous snapshot exceeded the threshold (for hysteresis). */
  previouslyExceeded?: boolean | undefined
  /** What the holdings and prices lack (failed sources, unvalued holdings): the snapshot then judges no threshold. */
  incomplete?: IncompleteEquity | undefined
}

export type DetectDustReturnType = { snapshot: DustSnapshot; warnings: DustWarning[] }

/**
 * Values every dust holding in the share class and compares the total with `dust_delta` of equity.
 *
 * Values round down to the share class's base unit (a holding is never said to be worth more
 * than it is). Holdings of zero are left out. A dust token without a price is listed in
 * `unpricedTokens` with a warning. Equity of zero or less gives a ratio of 0 and a warning.
 * An `incomplete` snapshot never exceeds the threshold (its figures are what answered, not a
 * verdict) and has no `zero_equity` warning: its own says what is missing.
 */
export function detectDust(parameters: DetectDustParameters): DetectDustReturnType {
  const { policy, holdings, priceBook, equity, timestamp } = parameters
  const warnings: DustWarning[] = []
  const dustTokens: DustToken[] = []
  const unpricedTokens: UnpricedToken[] = []
  let total = Amount.zero(policy.shareClass)
  for (const holding of holdings) {
    const token = holding.amount.currency.symbol
    if (!holding.amount.isPositive() || classifyToken(policy, token) !== 'dust') continue
    const price = priceBook.price(holding.amount.currency, policy.shareClass)
    if (!price) {
      unpricedTokens.push({ token, amount: holding.amount, venue: holding.venue, source: holding.source })
      warnings.push({
        code: 'unpriced_token',
        token,
        venue: holding.venue,
        message: `${holding.amount.toString()} at ${holding.venue} has no price in ${policy.shareClass.symbol}; it is listed as unpriced and not counted.`,
      })
      continue
    }
    const value = price.quoteAmount(holding.amount, 'down')
    total = total.add(value)
    dustTokens.push({ token, amount: holding.amount, value, venue: holding.venue, source: holding.source })
  }
  const { incomplete } = parameters
  let dustRatio = Fraction.ZERO
  if (equity.isPositive()) {
    // Left unreduced: a gcd per scan costs more than anything else here, and no reader needs it.
    dustRatio = new Fraction(total.raw, equity.raw)
  } else if (!incomplete) {
    // An incomplete snapshot says why its equity may be 0 already; "taken as 0" would read as a verdict.
    warnings.push({
      code: 'zero_equity',
      message: `Equity of ${policy.mode} is ${equity.toString()}; the dust ratio is taken as 0 until equity is positive.`,
    })
  }
  const exceedsThreshold =
    incomplete === undefined &&
    evaluateThreshold({
      ratio: dustRatio,
      dustDelta: policy.dustDelta,
      hysteresis: policy.hysteresis,
      previouslyExceeded: parameters.previouslyExceeded ?? false,
    })
  return {
    snapshot: {
      timestamp,
      strategyMode: policy.mode,
      shareClass: policy.shareClass.symbol,
      totalDustValue: total,
      dustTokens,
      unpricedTokens,
      equity,
      dustRatio,
      dustDelta: policy.dustDelta,
      exceedsThreshold,
      ...(incomplete === undefined ? {} : { incomplete }),
    },
    warnings,
  }
}
