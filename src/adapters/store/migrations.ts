import { EventStoreError } from './EventStoreError.js'

/** The SQL dialects the event store is written in. */
export type Dialect = 'sqlite' | 'postgres'

/** One step of the event store's schema, the same version in both dialects. */
export type Migration = {
  /** 1, 2, 3, ... in order, never reused. */
  readonly version: number
  readonly name: string
  /** The statements of each dialect, run in order in the transaction that records the version. */
  readonly statements: Readonly<Record<Dialect, readonly string[]>>
}

/** The table that records which migrations a database has had. */
export const SCHEMA_MIGRATIONS_TABLE: Readonly<Record<Dialect, string>> = {
  sqlite: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  postgres: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
}

/**
 * The event store's schema, oldest first. Events are JSON text with the columns they are
 * filtered by; `conversions` is the projection of their `conversion_state_changed` events,
 * written in the transaction that appends them. SQLite's `seq` is `INTEGER PRIMARY KEY` (the
 * rowid); PostgreSQL's is a `BIGINT` key. Neither uses a sequence or AUTOINCREMENT: the store
 * numbers events itself, under its write lock, so that `seq` has no gaps.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events and conversions',
    statements: {
      sqlite: [
        `CREATE TABLE events (
          seq INTEGER PRIMARY KEY,
          recorded_at INTEGER NOT NULL,
          strategy_mode TEXT NOT NULL,
          event_type TEXT NOT NULL,
          conversion_id TEXT,
          payload TEXT NOT NULL
        )`,
        'CREATE INDEX events_by_strategy ON events (strategy_mode, seq)',
        'CREATE INDEX events_by_conversion ON events (conversion_id, seq) WHERE conversion_id IS NOT NULL',
        `CREATE TABLE conversions (
          id TEXT PRIMARY KEY,
          strategy_mode TEXT NOT NULL,
          token TEXT NOT NULL,
          venue TEXT NOT NULL,
          state TEXT NOT NULL,
          step INTEGER NOT NULL,
          refs TEXT NOT NULL,
          instruction TEXT NOT NULL,
          detail TEXT,
          created_seq INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        )`,
        'CREATE INDEX conversions_by_strategy ON conversions (strategy_mode, state)',
      ],
      postgres: [
        `CREATE TABLE events (
          seq BIGINT PRIMARY KEY,
          recorded_at BIGINT NOT NULL,
          strategy_mode TEXT NOT NULL,
          event_type TEXT NOT NULL,
          conversion_id TEXT,
          payload TEXT NOT NULL
        )`,
        'CREATE INDEX events_by_strategy ON events (strategy_mode, seq)',
        'CREATE INDEX events_by_conversion ON events (conversion_id, seq) WHERE conversion_id IS NOT NULL',
        `CREATE TABLE conversions (
          id TEXT PRIMARY KEY,
          strategy_mode TEXT NOT NULL,
          token TEXT NOT NULL,
          venue TEXT NOT NULL,
          state TEXT NOT NULL,
          step INTEGER NOT NULL,
          refs TEXT NOT NULL,
          instruction TEXT NOT NULL,
          detail TEXT,
          created_seq BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL
        )`,
        'CREATE INDEX conversions_by_strategy ON conversions (strategy_mode, state)',
      ],
    },
  },
  {
    // Per strategy, chain and wallet (lower case): the last block whose Transfer logs were
    // scanned, and the tokens those logs named, written in one transaction.
    version: 2,
    name: 'token discovery',
    statements: {
      sqlite: [
        `CREATE TABLE token_discovery_cursors (
          strategy_mode TEXT NOT NULL,
          chain TEXT NOT NULL,
          wallet TEXT NOT NULL,
          scanned_to INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (strategy_mode, chain, wallet)
        )`,
        `CREATE TABLE discovered_tokens (
          strategy_mode TEXT NOT NULL,
          chain TEXT NOT NULL,
          wallet TEXT NOT NULL,
          address TEXT NOT NULL,
          first_block INTEGER NOT NULL,
          discovered_at INTEGER NOT NULL,
          PRIMARY KEY (strategy_mode, chain, wallet, address)
        )`,
      ],
      postgres: [
        `CREATE TABLE token_discovery_cursors (
          strategy_mode TEXT NOT NULL,
          chain TEXT NOT NULL,
          wallet TEXT NOT NULL,
          scanned_to BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          PRIMARY KEY (strategy_mode, chain, wallet)
        )`,
        `CREATE TABLE discovered_tokens (
          strategy_mode TEXT NOT NULL,
          chain TEXT NOT NULL,
          wallet TEXT NOT NULL,
          address TEXT NOT NULL,
          first_block BIGINT NOT NULL,
          discovered_at BIGINT NOT NULL,
          PRIMARY KEY (strategy_mode, chain, wallet, address)
        )`,
      ],
    },
  },
  {
    // `dust monitor --workers` (PostgreSQL only; the SQLite tables stay empty): the live workers,
    // who holds each strategy until when (database milliseconds), and which worker scanned each
    // strategy in each interval (`slot`: database milliseconds / interval), one row per slot at most.
    version: 3,
    name: 'worker leases',
    statements: {
      sqlite: [
        'CREATE TABLE monitor_workers (worker_id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)',
        'CREATE TABLE strategy_leases (strategy_mode TEXT PRIMARY KEY, worker_id TEXT NOT NULL, acquired_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)',
        'CREATE TABLE strategy_scans (strategy_mode TEXT NOT NULL, slot INTEGER NOT NULL, worker_id TEXT NOT NULL, claimed_at INTEGER NOT NULL, PRIMARY KEY (strategy_mode, slot))',
      ],
      postgres: [
        'CREATE TABLE monitor_workers (worker_id TEXT PRIMARY KEY, started_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)',
        'CREATE TABLE strategy_leases (strategy_mode TEXT PRIMARY KEY, worker_id TEXT NOT NULL, acquired_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)',
        'CREATE TABLE strategy_scans (strategy_mode TEXT NOT NULL, slot BIGINT NOT NULL, worker_id TEXT NOT NULL, claimed_at BIGINT NOT NULL, PRIMARY KEY (strategy_mode, slot))',
      ],
    },
  },
]

/**
 * Picks the migrations a database still needs, given the versions it has had. Refuses a database
 * migrated by newer code (`event_store_schema_too_new`): this code would misread it.
 */
export function pendingMigrations(parameters: { readonly applied: readonly number[]; readonly migrations: readonly Migration[]; readonly database: string }): Migration[] {
  const { applied, migrations, database } = parameters
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new EventStoreError('The schema migrations are out of order.', {
        details: `Expected version ${index + 1} at position ${index + 1}, found version ${migration.version} (${migration.name}).`,
      })
  })
  const known = migrations.length
  const newest = Math.max(0, ...applied)
  if (newest > known) {
    throw new EventStoreError(`The event store at ${database} has schema version ${newest}, newer than this code knows (${known}).`, {
      code: 'event_store_schema_too_new',
      details: 'A newer release migrated it. Run that release, or restore the backup made before the upgrade; nothing was changed.',
    })
  }
  const done = new Set(applied)
  return migrations.filter((migration) => !done.has(migration.version))
}
