import type { IncompleteEquity } from './DustSnapshot.js'

/** Says what an incomplete snapshot lacks: `etherfi, wallet failed; weETH held without a price`. */
export function describeIncompleteEquity(incomplete: IncompleteEquity): string {
  return [
    ...(incomplete.failedSources.length > 0 ? [`${incomplete.failedSources.join(', ')} failed`] : []),
    ...(incomplete.unpricedHoldings.length > 0 ? [`${incomplete.unpricedHoldings.join(', ')} held without a price`] : []),
  ].join('; ')
}
