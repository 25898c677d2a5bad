import type { Holding, HoldingSource } from '../domain/dust/index.js'

/** Reports what a venue holds for a strategy: a wallet, a rewards distributor, an exchange account. */
export type BalanceSource = {
  /** Venue name from the config (`wallet`, `etherfi`). */
  readonly name: string
  readonly source: HoldingSource
  /** Every non-zero holding, all tokens. Throws `SourceError` when the venue cannot answer. */
  fetchHoldings(): Promise<Holding[]>
}
