import { Amount, type Currency, type PriceBook, formatScaled, isSameCurrency } from '../money/index.js'
import type { ConversionGroup } from './ConversionGroup.js'
import type { ConversionStep, RouteCandidate } from './ConversionPlan.js'
import type { RouteQuote } from './RouteQuote.js'
import type { SkipReason } from './SkipReason.js'

/** Gas units of each kind of on-chain step. */
export type GasUnits = {
  readonly claim: bigint
  readonly approve: bigint
  readonly transfer: bigint
  /** Added to every on-chain step (claim, approve, swap, transfer): what a keeper's Roles modifier spends around each call; none by default. */
  readonly perOnchainStep?: bigint | undefined
}

export type EvaluateRouteParameters = {
  group: ConversionGroup
  quote: RouteQuote
  venueKind: 'cex' | 'dex'
  /** The share class. Outputs in an equivalent (WETH for ETH) count one for one. */
  target: Currency
  priceBook: PriceBook
  /** `priceBook` without the prices of the route's venue (`priceBook.without(quote.venue)`), when the caller has it already. */
  independentBook?: PriceBook | undefined
  /** Native coin of the custody's chain, in which gas is paid (absent for exchange custody). */
  native?: Currency | undefined
  /** Gas price of the custody's chain in wei; `undefined` when unknown. */
  gasPrice?: bigint | undefined
  /** Highest gas price, in wei, at which on-chain steps are worth sending now. */
  gasPriceCap?: bigint | undefined
  gasUnits: GasUnits
  /** Gas units of each rewards venue's claim, from `eth_estimateGas` where the node answered; `gasUnits.claim` otherwise. */
  claimGasUnits?: ReadonlyMap<string, bigint> | undefined
  maxSlippageBps: number
  minNotionalBufferBps: number
}

const BPS = 10_000n

/** The first reason a route cannot be used, kept while pricing goes on. */
type Rejection = { reason: SkipReason; detail: string } | undefined

/** `n / d` rounded up, for a positive `d`: one bigint division, where a fraction would take two and two objects. */
function divideUp(n: bigint, d: bigint): bigint {
  const q = n / d // truncates toward zero, which is the ceiling for a negative n
  return n > 0n && q * d !== n ? q + 1n : q
}

/** `n / d` rounded down, for a positive `d`. */
function divideDown(n: bigint, d: bigint): bigint {
  const q = n / d
  return n < 0n && q * d !== n ? q - 1n : q
}

/** Values an amount in the target; a free function, not a closure, since routes are priced by the thousand. */
function valueIn(amount: Amount, target: Currency, rounding: 'up' | 'down', book: PriceBook): Amount | undefined {
  if (amount.currency.symbol === target.symbol) return Amount.fromRaw(target, amount.raw)
  const price = book.price(amount.currency, target)
  if (price === undefined) return undefined
  // What `price.quoteAmount` computes, without its two fractions; a currency it would refuse goes to it, to throw as ever.
  if (!isSameCurrency(amount.currency, price.base)) return price.quoteAmount(amount, rounding)
  const { numerator, denominator } = price.ratio
  const scaled = numerator * amount.raw
  return Amount.fromRaw(price.quote, rounding === 'up' ? divideUp(scaled, denominator) : divideDown(scaled, denominator))
}

/**
 * Prices one quoted route in the share class: trading fees, price impact, gas for every
 * on-chain step (claims, the transfer to a CEX, approval and swap), the net output and the
 * slippage floor. Costs round up and outputs down, so a route never looks better than it is.
 * A route that cannot be used carries its `rejection`.
 */
export function evaluateRoute(parameters: EvaluateRouteParameters): RouteCandidate {
  const { group, quote, target, priceBook, gasUnits } = parameters
  const zero = Amount.zero(target)
  const pathSymbols: string[] = []
  for (const currency of quote.path) pathSymbols.push(currency.symbol)
  const token = group.total.currency
  let rejection: Rejection

  const estimatedOutput = Amount.fromRaw(target, quote.amountOut.raw)
  // The route's own venue may also be a price source (a pool's spot, a book's mid); the
  // reference and the floor use every other source, so a thin pool cannot vouch for itself.
  const independent = parameters.independentBook ?? priceBook.without(quote.venue)

  let tradingFees = zero
  for (const hop of quote.hops) {
    const fee = valueIn(hop.fee, target, 'up', priceBook)
    if (fee === undefined) {
      rejection ??= { reason: 'unpriced', detail: `The ${hop.fee.currency.symbol} fee of ${hop.market} has no price in ${target.symbol}.` }
      continue
    }
    tradingFees = tradingFees.add(fee)
    if (hop.minNotional && hop.notional) {
      const needed = Amount.fromRaw(hop.minNotional.currency, divideUp(hop.minNotional.raw * (BPS + BigInt(parameters.minNotionalBufferBps)), BPS))
      if (hop.notional.lessThan(needed)) {
        rejection ??= {
          reason: 'below_venue_minimum',
          detail: `${hop.market} on ${quote.venue}: the order is worth ${hop.notional.toString()}, under the minimum ${hop.minNotional.toString()} plus the ${parameters.minNotionalBufferBps} bps safety buffer (${needed.toString()}).`,
        }
      }
    }
  }

  const reference = valueIn(quote.amountIn, target, 'down', independent)
  const priceImpact = reference ? reference.subtract(estimatedOutput).subtract(tradingFees) : zero
  if (!reference && !priceBook.price(token, target)) {
    rejection ??= { reason: 'unpriced', detail: `${token.symbol} has no price in ${target.symbol}, so the slippage floor cannot be set.` }
  } else if (!reference) {
    // The token has a price, the venue's own: it is valued, but that price cannot vouch for the venue's quote.
    rejection ??= {
      reason: 'no_independent_price',
      detail: `${token.symbol} is priced in ${target.symbol} only by ${quote.venue}, the route's own venue, so the slippage floor cannot be set independently; a price source other than ${quote.venue} is needed.`,
    }
  }

  const steps: ConversionStep[] = []
  let units = 0n
  const perStep = gasUnits.perOnchainStep ?? 0n
  const onchain = group.custody.kind === 'onchain'
  for (const holding of group.sources) {
    if (holding.source === 'claimable_rewards') {
      steps.push({ kind: 'claim', venue: holding.venue, amount: holding.amount })
      units += (parameters.claimGasUnits?.get(holding.venue) ?? gasUnits.claim) + perStep
    }
  }
  // The floor: the quote less the slippage allowance, and never under what the independent
  // price says the sale is worth (less the known fees and unspent leftovers) less that allowance.
  // What the slippage allowance keeps, over BPS: `multiply(new Fraction(keep, BPS), 'up')` in one division.
  const keep = BPS - BigInt(parameters.maxSlippageBps)
  let minOutput = Amount.fromRaw(target, divideUp(estimatedOutput.raw * keep, BPS)).min(estimatedOutput)
  if (reference) {
    let fair = reference.subtract(tradingFees)
    for (const leftover of quote.leftovers) fair = fair.subtract(valueIn(leftover, target, 'down', independent) ?? zero)
    const floor = fair.isPositive() ? Amount.fromRaw(fair.currency, divideUp(fair.raw * keep, BPS)) : zero
    if (floor.greaterThan(estimatedOutput)) {
      rejection ??= {
        reason: 'slippage_above_limit',
        detail: `${quote.venue} gives ${estimatedOutput.toString()} for ${quote.amountIn.toString()}, under the floor of ${floor.toString()}: ${parameters.maxSlippageBps} bps under its value at prices from other sources (${reference.toString()}, less ${tradingFees.toString()} of fees).`,
      }
    }
    minOutput = minOutput.max(floor)
  }
  if (parameters.venueKind === 'dex') {
    steps.push({ kind: 'approve', venue: quote.venue, amount: quote.amountIn })
    steps.push({ kind: 'swap', venue: quote.venue, path: pathSymbols, amountIn: quote.amountIn, minOutput })
    units += (quote.approvalGasUnits ?? gasUnits.approve) + quote.gasUnits + 2n * perStep
  } else {
    if (onchain) {
      steps.push({ kind: 'transfer', to: quote.venue, amount: quote.amountIn })
      units += gasUnits.transfer + perStep
    }
    steps.push({ kind: 'market_sell', venue: quote.venue, path: pathSymbols, amountIn: quote.amountIn, minOutput })
  }

  let gasCost = zero
  if (units > 0n) {
    if (parameters.gasPrice === undefined || parameters.native === undefined) {
      rejection ??= {
        reason: 'gas_price_unavailable',
        detail: `The gas price of ${group.custody.kind === 'onchain' ? group.custody.chain : 'the chain'} is unknown, so the cost of ${units} gas units cannot be known.`,
      }
    } else {
      if (parameters.gasPriceCap !== undefined && parameters.gasPrice > parameters.gasPriceCap) {
        rejection ??= {
          reason: 'gas_price_above_cap',
          detail: `Gas costs ${formatScaled(parameters.gasPrice, 9)} gwei, above the cap of ${formatScaled(parameters.gasPriceCap, 9)} gwei; the conversion waits for cheaper gas.`,
        }
      }
      const wei = Amount.fromRaw(parameters.native, units * parameters.gasPrice)
      const cost = valueIn(wei, target, 'up', priceBook)
      if (cost === undefined) rejection ??= { reason: 'unpriced', detail: `${parameters.native.symbol} (gas) has no price in ${target.symbol}.` }
      else gasCost = cost
    }
  }

  const netOutput = estimatedOutput.subtract(gasCost)
  if (!netOutput.isPositive()) {
    rejection ??= {
      reason: 'net_output_not_positive',
      detail: `Selling ${quote.amountIn.toString()} on ${quote.venue} yields ${estimatedOutput.toString()} but costs ${gasCost.toString()} in gas: nothing is gained.`,
    }
  }

  return {
    venue: quote.venue,
    path: pathSymbols,
    amountIn: quote.amountIn,
    residual: group.total.subtract(quote.amountIn),
    leftovers: quote.leftovers,
    estimatedOutput,
    tradingFees,
    priceImpact,
    gasUnits: units,
    gasCost,
    estimatedFees: tradingFees.add(gasCost),
    netOutput,
    minOutput,
    steps,
    rejection,
  }
}
