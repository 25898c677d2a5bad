import type { ConversionRecord } from '../domain/conversions/index.js'
import type { DustConverted, DustEvent } from '../domain/events.js'

export type { ConversionRecord, ConversionState } from '../domain/conversions/index.js'

/** What a conversion really gave, from its `dust_converted` event: what arrived (`null` when recovery could not see it) in `target_currency`, the fees, and each step carried out with its gas. */
export type ConversionOutcome = Pick<DustConverted, 'output' | 'fees' | 'target_currency' | 'steps'>

/** A conversion as the store reads it: its record, and once it has converted, what it gave. */
export type StoredConversion = ConversionRecord & { readonly outcome?: ConversionOutcome | undefined }

/** An event as the store keeps it: its place in the log and when it was written. */
export type StoredEvent = {
  /** Position in the log: strictly increasing, no gaps within one store. */
  readonly seq: number
  /** Wall-clock milliseconds at which it was appended. */
  readonly recordedAt: number
  readonly event: DustEvent
}

/** Which events to read: always oldest first, within `since` and `before`, the first `limit` or the newest `last` of them. */
export type ReadEventsParameters = {
  /** Only events after this sequence number (exclusive). */
  readonly since?: number | undefined
  /** Only events before this sequence number (exclusive): with `last`, a page further back. */
  readonly before?: number | undefined
  /** At most this many, the oldest of those that match. */
  readonly limit?: number | undefined
  /** At most this many, the newest of those that match (a tail), still oldest first; not with `limit`. */
  readonly last?: number | undefined
  readonly strategyMode?: string | undefined
}

/** Whose token discovery a cursor and its tokens belong to: one wallet on one chain, for one strategy. */
export type TokenDiscoveryKey = {
  readonly strategyMode: string
  /** Chain name from the config (`ethereum`). */
  readonly chain: string
  /** The wallet's 0x address; compared without case. */
  readonly wallet: string
}

/** Is a token found in a wallet's ERC-20 `Transfer` logs. */
export type DiscoveredToken = {
  /** The token contract's 0x address, as the store keeps it: lower case. */
  readonly address: string
  /** The block of the first transfer into the wallet that the scan saw. */
  readonly firstBlock: bigint
}

/** What a discovery has stored: the last block scanned (none before the first range) and the tokens found so far. */
export type TokenDiscoveryState = {
  readonly scannedTo: bigint | undefined
  /** In the order they were found: by `firstBlock`, then address. */
  readonly tokens: readonly DiscoveredToken[]
}

/**
 * Is the durable, append-only log of every event, with the conversions' current states.
 * SQLite by default, PostgreSQL when `DATABASE_URL` is set: one contract, the same tests.
 */
export type EventStore = {
  readonly kind: 'sqlite' | 'postgres'
  /** Appends events in one transaction, in order; a `conversion_state_changed` event also updates its conversion's record in that transaction. */
  append(events: readonly DustEvent[]): Promise<StoredEvent[]>
  read(parameters?: ReadEventsParameters): Promise<StoredEvent[]>
  /** The conversions in the order they were planned, each with its outcome once it converted. */
  conversions(parameters?: { readonly strategyMode?: string | undefined; readonly open?: boolean | undefined }): Promise<StoredConversion[]>
  conversion(id: string): Promise<StoredConversion | undefined>
  /**
   * Takes the one-executor lock of a strategy, or returns `undefined` when another process
   * holds it. The lock is released by `release` or when the process (its connection) dies.
   */
  tryLock(strategyMode: string): Promise<{ release(): Promise<void> } | undefined>
  /** Reads the token discovery of a wallet: its cursor and the tokens found, empty when none was recorded. */
  readTokenDiscovery(key: TokenDiscoveryKey): Promise<TokenDiscoveryState>
  /**
   * Records, in one transaction, the tokens found up to block `scannedTo` and then that cursor.
   * A token already recorded keeps its earlier `firstBlock`; the cursor never moves back (two
   * processes scanning the same wallet leave the higher one).
   */
  recordTokenDiscovery(key: TokenDiscoveryKey, found: { readonly scannedTo: bigint; readonly tokens: readonly DiscoveredToken[] }): Promise<void>
  close(): Promise<void>
}
