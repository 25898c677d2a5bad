import type { Custody, Holding } from '../dust/index.js'
import type { Amount } from '../money/index.js'

/** The holdings of one dust token in one custody, converted together (a claim, then one sale). */
export type ConversionGroup = {
  readonly custody: Custody
  readonly sources: readonly Holding[]
  /** Everything held, all sources added. */
  readonly total: Amount
  /** What this run sells: `total`, capped by `max_sell_per_run`. */
  readonly sellAmount: Amount
}
