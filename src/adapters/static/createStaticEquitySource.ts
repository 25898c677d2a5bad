import type { DustPolicy } from '../../domain/dust/index.js'
import { computeHoldingsEquity } from '../../domain/dust/index.js'
import type { Amount } from '../../domain/money/index.js'
import type { EquitySource } from '../../ports/index.js'

/** Creates an equity source that answers a fixed equity in the share class. */
export function createStaticEquitySource(equity: Amount): EquitySource {
  return {
    name: 'static',
    async fetchEquity() {
      return { equity, unpriced: [] }
    },
  }
}

/** Creates the default equity source: every holding valued in the share class (LSTs at their exchange rate). */
export function createHoldingsEquitySource(policy: DustPolicy): EquitySource {
  return {
    name: 'holdings',
    async fetchEquity(context) {
      return computeHoldingsEquity(policy, context.holdings, context.priceBook)
    },
  }
}
