import type { Amount, Currency } from '../money/index.js'
import type { SkipReason } from './SkipReason.js'

/** One hop of a quoted route: a market sell or buy on a CEX, a pool swap on a DEX. */
export type QuotedHop = {
  readonly market: string
  readonly amountIn: Amount
  readonly amountOut: Amount
  /** Trading fee of this hop, in whichever currency the venue charges it. */
  readonly fee: Amount
  /** Order value in the market's quote currency, where the venue has a minimum. */
  readonly notional?: Amount | undefined
  readonly minNotional?: Amount | undefined
}

/** Is a venue's answer to "what do I get for `amountIn` along `path`?". */
export type RouteQuote = {
  readonly ok: true
  readonly venue: string
  readonly path: readonly Currency[]
  /** What is really sold (an amount step may round the request down). */
  readonly amountIn: Amount
  /** What the request leaves unsold (the rounding remainder), in `path[0]`. */
  readonly residual: Amount
  /** What later hops leave unspent in an intermediate currency (USDT short of an ETH amount step). */
  readonly leftovers: readonly Amount[]
  /** What arrives, after trading fees and price impact, in the last currency of `path`. */
  readonly amountOut: Amount
  readonly hops: readonly QuotedHop[]
  /** Gas units of the swap itself (0 on a CEX). */
  readonly gasUnits: bigint
  /** Gas units of the approval, when the venue asked the node (`eth_estimateGas`); the configured units otherwise. */
  readonly approvalGasUnits?: bigint | undefined
}

/** Is a venue's reason not to quote a route. */
export type RouteQuoteFailure = { readonly ok: false; readonly reason: SkipReason; readonly detail: string }
