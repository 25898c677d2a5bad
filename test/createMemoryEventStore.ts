import type { DustEvent } from '../src/domain/events.js'
import type { ConversionRecord, ConversionState, EventStore, StoredEvent } from '../src/ports/index.js'

const FINAL_STATES: ReadonlySet<ConversionState> = new Set(['confirmed', 'failed', 'expired'])

export type CreateMemoryEventStoreParameters = {
  kind?: EventStore['kind'] | undefined
  /** Stamps `recordedAt`; `Date.now` unless given. */
  now?: (() => number) | undefined
}

/**
 * The EventStore port in memory, for tests of what reads the store: the same contract as the
 * SQLite and PostgreSQL stores (gapless increasing `seq`, conversions projected from their
 * `conversion_state_changed` events in the append, one lock holder per strategy).
 */
export function createMemoryEventStore(parameters: CreateMemoryEventStoreParameters = {}): EventStore & { readonly events: readonly StoredEvent[] } {
  const now = parameters.now ?? Date.now
  const events: StoredEvent[] = []
  const conversions = new Map<string, ConversionRecord>()
  const locks = new Set<string>()
  let closed = false

  function assertOpen(): void {
    if (closed) throw new Error('The event store is closed.')
  }

  function project(event: Extract<DustEvent, { event_type: 'conversion_state_changed' }>, at: number, into: Map<string, ConversionRecord>): void {
    const previous = into.get(event.conversion_id)
    into.set(event.conversion_id, {
      id: event.conversion_id,
      strategyMode: event.strategy_mode,
      token: event.token,
      venue: event.venue,
      state: event.state,
      step: event.step,
      references: event.reference === undefined ? (previous?.references ?? []) : [...(previous?.references ?? []), event.reference],
      instruction: event.instruction ?? previous?.instruction ?? {},
      detail: event.detail ?? previous?.detail,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
    })
  }

  return {
    kind: parameters.kind ?? 'sqlite',
    events,
    async append(batch) {
      assertOpen()
      const recordedAt = now()
      // All or nothing, like a transaction: the projection is built on a copy and swapped in.
      const projected = new Map(conversions)
      const stored = batch.map((event, index) => {
        if (event.event_type === 'conversion_state_changed') project(event, recordedAt, projected)
        return { seq: events.length + index + 1, recordedAt, event }
      })
      events.push(...stored)
      conversions.clear()
      for (const [id, record] of projected) conversions.set(id, record)
      return stored
    },
    async read(query = {}) {
      assertOpen()
      const matching = events.filter(
        (stored) => (query.since === undefined || stored.seq > query.since) && (query.strategyMode === undefined || stored.event.strategy_mode === query.strategyMode),
      )
      return query.limit === undefined ? matching : matching.slice(0, query.limit)
    },
    async conversions(query = {}) {
      assertOpen()
      return [...conversions.values()].filter(
        (record) =>
          (query.strategyMode === undefined || record.strategyMode === query.strategyMode) &&
          (query.open === undefined || query.open === !FINAL_STATES.has(record.state)),
      )
    },
    async conversion(id) {
      assertOpen()
      return conversions.get(id)
    },
    async tryLock(strategyMode) {
      assertOpen()
      if (locks.has(strategyMode)) return undefined
      locks.add(strategyMode)
      let released = false
      return {
        async release() {
          if (released) return
          released = true
          locks.delete(strategyMode)
        },
      }
    },
    async close() {
      closed = true
      locks.clear()
    },
  }
}
