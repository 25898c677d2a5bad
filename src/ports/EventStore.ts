import type { ConversionRecord } from '../domain/conversions/index.js'
import type { DustEvent } from '../domain/events.js'

export type { ConversionRecord, ConversionState } from '../domain/conversions/index.js'

/** An event as the store keeps it: its place in the log and when it was written. */
export type StoredEvent = {
  /** Position in the log: strictly increasing, no gaps within one store. */
  readonly seq: number
  /** Wall-clock milliseconds at which it was appended. */
  readonly recordedAt: number
  readonly event: DustEvent
}

export type ReadEventsParameters = {
  /** Only events after this sequence number (exclusive). */
  readonly since?: number | undefined
  readonly limit?: number | undefined
  readonly strategyMode?: string | undefined
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
  conversions(parameters?: { readonly strategyMode?: string | undefined; readonly open?: boolean | undefined }): Promise<ConversionRecord[]>
  conversion(id: string): Promise<ConversionRecord | undefined>
  /**
   * Takes the one-executor lock of a strategy, or returns `undefined` when another process
   * holds it. The lock is released by `release` or when the process (its connection) dies.
   */
  tryLock(strategyMode: string): Promise<{ release(): Promise<void> } | undefined>
  close(): Promise<void>
}
