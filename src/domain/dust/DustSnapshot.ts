import type { Amount, Fraction } from '../money/index.js'
import type { DustSnapshotJson } from '../events/eventSchemas.js'
import type { HoldingSource } from './Holding.js'

/** One dust holding valued in the share class: the seed's `DustToken`. */
export type DustToken = {
  readonly token: string
  readonly amount: Amount
  /** Value in the share class (the seed's `value_usd`, which compared USD with ETH equity). */
  readonly value: Amount
  readonly venue: string
  readonly source: HoldingSource
}

/** A dust holding no price source could value: listed, never counted as zero silently. */
export type UnpricedToken = {
  readonly token: string
  readonly amount: Amount
  readonly venue: string
  readonly source: HoldingSource
}

/**
 * Says why a snapshot's equity and dust are not to be trusted: sources that did not answer this
 * cycle, and holdings that equity from holdings could not value. Nothing is decided on such a
 * snapshot (reason `incomplete_equity`).
 */
export type IncompleteEquity = {
  /** Balance and price sources that failed this cycle, by name. */
  readonly failedSources: readonly string[]
  /** Symbols held, neither dust nor ignored, that no price values: equity from holdings lacks them. */
  readonly unpricedHoldings: readonly string[]
}

/** Is the state of one strategy's dust at one moment: the seed's `DustSnapshot`, in the share class. */
export type DustSnapshot = {
  /** Wall-clock milliseconds (the seed used the event loop's monotonic clock: not a time). */
  readonly timestamp: number
  readonly strategyMode: string
  readonly shareClass: string
  readonly totalDustValue: Amount
  readonly dustTokens: readonly DustToken[]
  readonly unpricedTokens: readonly UnpricedToken[]
  readonly equity: Amount
  readonly dustRatio: Fraction
  readonly dustDelta: Fraction
  /** False when `incomplete` is set: no threshold is judged on partial data. */
  readonly exceedsThreshold: boolean
  /** Set when a source failed or a holding could not be valued: equity, dust and ratio count only what answered. */
  readonly incomplete?: IncompleteEquity | undefined
}

/** Digits a ratio keeps in JSON and tables; far finer than any threshold anyone sets. */
export const RATIO_DECIMALS = 18

/** The snapshot as JSON, with the seed's snake_case names and decimal strings for every number. */
export type { DustSnapshotJson }

/** Writes a snapshot as JSON for consumers (the Python ones read the seed's field names). */
export function serializeSnapshot(snapshot: DustSnapshot): DustSnapshotJson {
  return {
    timestamp: snapshot.timestamp,
    strategy_mode: snapshot.strategyMode,
    share_class: snapshot.shareClass,
    total_dust_value: snapshot.totalDustValue.toDecimalString(),
    dust_tokens: snapshot.dustTokens.map((token) => ({
      token: token.token,
      amount: token.amount.toDecimalString(),
      value: token.value.toDecimalString(),
      venue: token.venue,
      source: token.source,
    })),
    unpriced_tokens: snapshot.unpricedTokens.map((token) => ({
      token: token.token,
      amount: token.amount.toDecimalString(),
      venue: token.venue,
      source: token.source,
    })),
    equity: snapshot.equity.toDecimalString(),
    dust_ratio: snapshot.dustRatio.toDecimalString(RATIO_DECIMALS, 'down'),
    dust_delta: snapshot.dustDelta.toDecimalString(RATIO_DECIMALS),
    exceeds_threshold: snapshot.exceedsThreshold,
    ...(snapshot.incomplete ? { incomplete_equity: { failed_sources: [...snapshot.incomplete.failedSources], unpriced_holdings: [...snapshot.incomplete.unpricedHoldings] } } : {}),
  }
}
