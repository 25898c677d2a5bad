import type { Amount } from '../money/index.js'

/** What one carried-out step left behind: a transaction or an order, and what it cost. */
export type StepReceipt = {
  readonly kind: 'claim' | 'transfer' | 'approve' | 'swap' | 'market_sell'
  readonly venue: string
  /** Transaction hash or exchange order id. */
  readonly reference: string
  /** Gas the transaction used (on-chain steps). */
  readonly gasUsed?: bigint | undefined
  /** What the gas cost, in the chain's native coin. */
  readonly gasCost?: Amount | undefined
}
