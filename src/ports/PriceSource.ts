import type { Price } from '../domain/money/index.js'

/** Gives the prices it knows, each with its origin (source and time). */
export type PriceSource = {
  readonly name: string
  /** Throws `SourceError` when the source cannot answer. */
  fetchPrices(): Promise<Price[]>
}
