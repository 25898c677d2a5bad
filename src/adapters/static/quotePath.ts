import type { ConversionFailureReason } from '../../domain/conversions/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { QuotedHop, RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'
import type { SkipReason } from '../../domain/planning/SkipReason.js'

/**
 * Is a path's reason not to quote or fill: one that both skips a route when planning and fails
 * a sale when executing (a paper fill, a sale's fresh quote), so it needs no translation.
 */
export type PathQuoteFailure = RouteQuoteFailure & { readonly reason: Extract<SkipReason, ConversionFailureReason> }

/** What one hop of a path gave: the hop quote, and what its own rounding left unsold. */
export type HopResult = { ok: true; hop: QuotedHop; residual: Amount } | PathQuoteFailure

/**
 * Quotes a path hop by hop, feeding each hop's output into the next. The route sells what
 * the first hop takes; what the first hop leaves (an amount step) is the route's residual.
 */
export function quotePath(
  venue: string,
  path: readonly Currency[],
  amountIn: Amount,
  quoteHop: (from: Currency, to: Currency, amount: Amount) => HopResult,
  gasUnits: (hops: number) => bigint,
): RouteQuote | PathQuoteFailure {
  const hops: QuotedHop[] = []
  let amount = amountIn
  let residual: Amount | undefined
  const leftovers: Amount[] = []
  // Hop by hop, each token paired with the next, as `splitPath` pairs them; an index loop, since paths are quoted by the thousand.
  let from = path[0]
  for (let index = 1; index < path.length; index += 1) {
    const to = path[index]
    // Both are in bounds; the check only tells the compiler so.
    if (from === undefined || to === undefined) break
    const result = quoteHop(from, to, amount)
    if (!result.ok) return result
    if (index === 1) residual = result.residual
    else if (result.residual.isPositive()) leftovers.push(result.residual)
    hops.push(result.hop)
    amount = result.hop.amountOut
    from = to
  }
  const first = hops[0]
  if (!first) return { ok: false, reason: 'no_route', detail: `A path needs at least two tokens, found ${path.length}.` }
  return { ok: true, venue, path, amountIn: first.amountIn, residual: residual ?? Amount.zero(amountIn.currency), leftovers, amountOut: amount, hops, gasUnits: gasUnits(hops.length) }
}
