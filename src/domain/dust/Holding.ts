import type { Amount } from '../money/index.js'

/** Where a holding was found: the seed's `source` field. */
export type HoldingSource = 'wallet_balance' | 'claimable_rewards' | 'exchange_balance'

/** Who holds the tokens: an address on a chain, or an exchange account. */
export type Custody = { readonly kind: 'onchain'; readonly chain: string } | { readonly kind: 'exchange'; readonly exchange: string }

/** Is an amount of one token at one venue, as a balance source reported it. */
export type Holding = {
  readonly amount: Amount
  /** Name of the venue that reported it (`wallet`, `etherfi`, `binance`). */
  readonly venue: string
  readonly source: HoldingSource
  readonly custody: Custody
  /**
   * Why the holding is only listed: it is reported as a `dust_warning` of this code and left out
   * of equity, dust and every plan (a token nobody listed, rewards whose proofs lag the root).
   */
  readonly held?: HeldHolding | undefined
}

/** Why a holding is listed but never valued nor converted, as a balance source reports it. */
export type HeldHolding = { readonly code: 'rewards_proof_stale' | 'unverified_token'; readonly detail: string }

/** Names a custody for grouping and messages: `onchain:ethereum`, `exchange:binance`. */
export function custodyKey(custody: Custody): string {
  return custody.kind === 'onchain' ? `onchain:${custody.chain}` : `exchange:${custody.exchange}`
}
