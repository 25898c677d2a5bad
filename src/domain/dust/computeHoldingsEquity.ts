import { Amount, type PriceBook } from '../money/index.js'
import type { DustPolicy } from './DustPolicy.js'
import type { Holding } from './Holding.js'
import { classifyToken } from './classifyToken.js'

export type ComputeHoldingsEquityReturnType = {
  equity: Amount
  /** Symbols held but not priced, left out of equity. */
  unpriced: string[]
}

/**
 * Values every holding except ignored tokens in the share class and adds them up: the default
 * equity of a strategy. LSTs are valued through their exchange rate (weETH in ETH, then ETH in
 * the share class). Values round down.
 */
export function computeHoldingsEquity(policy: DustPolicy, holdings: readonly Holding[], priceBook: PriceBook): ComputeHoldingsEquityReturnType {
  let equity = Amount.zero(policy.shareClass)
  const unpriced = new Set<string>()
  for (const holding of holdings) {
    if (classifyToken(policy, holding.amount.currency.symbol) === 'ignored' || holding.amount.isZero()) continue
    const price = priceBook.price(holding.amount.currency, policy.shareClass)
    if (!price) {
      unpriced.add(holding.amount.currency.symbol)
      continue
    }
    equity = equity.add(price.quoteAmount(holding.amount, 'down'))
  }
  return { equity, unpriced: [...unpriced].sort() }
}
