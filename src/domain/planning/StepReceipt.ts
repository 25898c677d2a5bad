import type { ConversionFailureReason } from '../conversions/ConversionFailureReason.js'
import type { Amount } from '../money/index.js'

/** What one carried-out step left behind: a transaction or an order, and what it cost. */
export type StepReceipt = {
  readonly kind: 'claim' | 'transfer' | 'approve' | 'swap' | 'market_sell'
  readonly venue: string
  /** Transaction hash or exchange order id. */
  readonly reference: string
  /** The block the transaction was mined in (on-chain steps). */
  readonly block?: bigint | undefined
  /**
   * Where a step meant for the chain's private endpoint (`private_rpc_url`) was broadcast:
   * `private`, or `public_fallback` when that endpoint failed and `private_rpc_fallback: public`
   * sent it to the public mempool. Absent for steps sent publicly by design.
   */
  readonly broadcast?: 'private' | 'public_fallback' | undefined
  /** Gas the transaction used (on-chain steps). */
  readonly gasUsed?: bigint | undefined
  /** What the gas cost, in the chain's native coin. */
  readonly gasCost?: Amount | undefined
}

/**
 * The failure reason of a step that may have executed: it left the process (a transaction
 * broadcast, an order placed) but its venue's answer never came (the node or the exchange
 * went silent, an order still open after its polls). It is no outcome: the conversion stays
 * open, and only the venue's answer to recovery's lookup settles it.
 */
export const OUTCOME_UNKNOWN = 'outcome_unknown' satisfies ConversionFailureReason
