import { applyConversionEvent, isFinalConversionState } from '../src/domain/conversions/index.js'
import { checkReadParameters, checkTokenDiscoveryKey, checkTokenDiscoveryRecord, outcomeOf } from '../src/adapters/store/index.js'
import type { ConversionRecord, DiscoveredToken, EventStore, StoredConversion, StoredEvent } from '../src/ports/index.js'

export type CreateMemoryEventStoreParameters = {
  kind?: EventStore['kind'] | undefined
  /** Stamps `recordedAt`; `Date.now` unless given. */
  now?: (() => number) | undefined
}

/**
 * The EventStore port in memory, for tests of what reads the store: the same contract as the
 * SQLite and PostgreSQL stores (gapless increasing `seq`, conversions projected from their
 * `conversion_state_changed` events in the append, one lock holder per strategy, token discovery
 * cursors that never move back).
 */
export function createMemoryEventStore(parameters: CreateMemoryEventStoreParameters = {}): EventStore & { readonly events: readonly StoredEvent[] } {
  const now = parameters.now ?? Date.now
  const events: StoredEvent[] = []
  const conversions = new Map<string, ConversionRecord>()
  // A conversion with what it gave: its latest dust_converted event, as the database stores find it.
  const withOutcome = (record: ConversionRecord): StoredConversion => {
    let outcome: StoredConversion['outcome']
    for (const { event } of events) {
      if (event.event_type === 'dust_converted' && event.conversion_id === record.id) outcome = outcomeOf(event)
    }
    return outcome === undefined ? record : { ...record, outcome }
  }
  const locks = new Set<string>()
  const discoveries = new Map<string, { scannedTo: bigint; tokens: Map<string, DiscoveredToken> }>()
  let closed = false
  const discoveryKey = (key: { strategyMode: string; chain: string; wallet: string }) => JSON.stringify([key.strategyMode, key.chain, key.wallet])

  function assertOpen(): void {
    if (closed) throw new Error('The event store is closed.')
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
        if (event.event_type === 'conversion_state_changed') {
          // The store only persists what the domain's transition returns, like the SQL stores.
          const next = applyConversionEvent(projected.get(event.conversion_id), event, recordedAt)
          if (!next.ok) throw new Error(`Event ${index + 1} of the batch was refused; nothing of the batch was written: ${next.refusal.message}`)
          projected.set(event.conversion_id, next.record)
        }
        return { seq: events.length + index + 1, recordedAt, event }
      })
      events.push(...stored)
      conversions.clear()
      for (const [id, record] of projected) conversions.set(id, record)
      return stored
    },
    async read(query = {}) {
      assertOpen()
      const { since, before, limit, last, strategyMode } = checkReadParameters(query)
      const matching = events.filter((stored) => stored.seq > since && (before === undefined || stored.seq < before) && (strategyMode === undefined || stored.event.strategy_mode === strategyMode))
      if (last !== undefined) return last === 0 ? [] : matching.slice(-last)
      return limit === undefined ? matching : matching.slice(0, limit)
    },
    async conversions(query = {}) {
      assertOpen()
      return [...conversions.values()]
        .filter((record) => (query.strategyMode === undefined || record.strategyMode === query.strategyMode) && (query.open === undefined || query.open === !isFinalConversionState(record.state)))
        .map(withOutcome)
    },
    async conversion(id) {
      assertOpen()
      const record = conversions.get(id)
      return record === undefined ? undefined : withOutcome(record)
    },
    async readTokenDiscovery(query) {
      assertOpen()
      const found = discoveries.get(discoveryKey(checkTokenDiscoveryKey(query)))
      const tokens = [...(found?.tokens.values() ?? [])].sort((a, b) => (a.firstBlock === b.firstBlock ? a.address.localeCompare(b.address) : a.firstBlock < b.firstBlock ? -1 : 1))
      return { scannedTo: found?.scannedTo, tokens }
    },
    async recordTokenDiscovery(query, record) {
      assertOpen()
      const { key, scannedTo, tokens } = checkTokenDiscoveryRecord(query, record)
      const id = discoveryKey(key)
      const current = discoveries.get(id) ?? { scannedTo, tokens: new Map<string, DiscoveredToken>() }
      for (const token of tokens) {
        const earlier = current.tokens.get(token.address)
        if (earlier === undefined || token.firstBlock < earlier.firstBlock) current.tokens.set(token.address, token)
      }
      // Bigints: Math.max does not take them.
      if (scannedTo > current.scannedTo) current.scannedTo = scannedTo
      discoveries.set(id, current)
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
