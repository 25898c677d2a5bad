import { type DustSnapshotJson, serializeSnapshot } from '../../domain/dust/index.js'
import type { DustManager } from '../../engine/createDustManager.js'

/** Keeps the last snapshot of each strategy as JSON, ready to serve. */
export type SnapshotCache = {
  /** The last snapshot of a strategy in the seed's snake_case JSON, if a cycle has measured it. */
  get(mode: string): DustSnapshotJson | undefined
  /** Stops listening to the manager. */
  close(): void
}

/**
 * Creates the snapshot cache of a manager: it hears every `dust_checked` event, whose snapshot
 * is already `serializeSnapshot`'s JSON, so a request reads a value and serializes nothing exact.
 * Snapshots the manager took before the cache existed are read from it once, on demand.
 */
export function createSnapshotCache(manager: Pick<DustManager, 'subscribe' | 'lastSnapshot'>): SnapshotCache {
  const snapshots = new Map<string, DustSnapshotJson>()
  const unsubscribe = manager.subscribe('dust_checked', (event) => {
    snapshots.set(event.strategy_mode, event.snapshot)
  })
  return {
    get(mode) {
      const cached = snapshots.get(mode)
      if (cached) return cached
      const earlier = manager.lastSnapshot(mode)
      if (!earlier) return undefined
      const json = serializeSnapshot(earlier)
      snapshots.set(mode, json)
      return json
    },
    close: () => void unsubscribe(),
  }
}
