import { createHash } from 'node:crypto'
import { mkdirSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { Statement } from 'better-sqlite3'
import { FINAL_CONVERSION_STATES } from '../../domain/conversions/index.js'
import type { DustEvent } from '../../domain/events.js'
import type { ErrorCode } from '../../errors/index.js'
import type { Clock, DiscoveredToken, EventStore, StoredConversion, StoredEvent, TokenDiscoveryKey } from '../../ports/index.js'
import { createSystemClock } from '../system/createSystemClock.js'
import {
  CONVERTED_PAYLOAD,
  type ConversionRow,
  EventStoreError,
  type ProjectedConversion,
  checkReadParameters,
  checkTokenDiscoveryKey,
  checkTokenDiscoveryRecord,
  closedStoreError,
  conversionFromRow,
  conversionIdsOf,
  conversionToRow,
  planAppend,
  readEventsQuery,
  storedConversionFromRow,
  storedEventFromRow,
  type Migration,
  MIGRATIONS,
  SCHEMA_MIGRATIONS_TABLE,
  pendingMigrations,
} from '../store/index.js'

export type CreateSqliteEventStoreParameters = {
  /** The database file; its folders are created. */
  readonly file: string
  /** Stamps `recordedAt` and `applied_at`; the system clock unless given. */
  readonly clock?: Clock | undefined
  /** How long a write waits for another process's write to finish, in milliseconds (default 5,000). */
  readonly busyTimeoutMs?: number | undefined
  /** The schema to migrate to; `MIGRATIONS` unless given. */
  readonly migrations?: readonly Migration[] | undefined
}

type SqliteDatabase = Database.Database

function isBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')
}

/** Wraps a driver error, keeping the store's own errors as they are. */
function failure(shortMessage: string, cause: unknown, code: ErrorCode = 'event_store_failed'): EventStoreError {
  if (cause instanceof EventStoreError) return cause
  return new EventStoreError(shortMessage, { code, details: cause instanceof Error ? cause.message : String(cause), cause })
}

function migrate(db: SqliteDatabase, migrations: readonly Migration[], clock: Clock, file: string): void {
  db.exec(SCHEMA_MIGRATIONS_TABLE.sqlite)
  // IMMEDIATE: two processes opening a new file at once apply the migrations one after the other.
  db.transaction(() => {
    const applied = db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version)
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    for (const migration of pendingMigrations({ applied, migrations, database: file })) {
      for (const statement of migration.statements.sqlite) db.exec(statement)
      record.run(migration.version, migration.name, clock.now())
    }
  }).immediate()
}

/** The lock file of a strategy: its name readable, its hash keeping distinct modes apart. */
function lockFileName(strategyMode: string): string {
  const readable = strategyMode.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64)
  return `${readable}-${createHash('sha256').update(strategyMode).digest('hex').slice(0, 16)}.lock`
}

/**
 * Creates the SQLite event store: better-sqlite3 in WAL mode with `synchronous = FULL`, so
 * that an appended event is on disk when `append` resolves; writers from other processes wait
 * up to `busyTimeoutMs`. Migrates the schema at open.
 *
 * `tryLock` holds an exclusive SQLite lock on a file of its own per strategy, in
 * `<file>.locks/`, kept by a connection left in a `BEGIN EXCLUSIVE` transaction. SQLite's locks
 * are the operating system's advisory locks (POSIX `fcntl`), which the kernel drops when the
 * process dies however it dies, and which SQLite also keeps apart between connections of one
 * process. The folder is named after the resolved path of the database, so every path to the
 * same file finds the same locks. Do not delete the lock files while a process runs.
 */
export async function createSqliteEventStore(parameters: CreateSqliteEventStoreParameters): Promise<EventStore> {
  const clock = parameters.clock ?? createSystemClock()
  const file = resolve(parameters.file)
  let db: SqliteDatabase
  try {
    mkdirSync(dirname(file), { recursive: true })
    db = new Database(file, { timeout: parameters.busyTimeoutMs ?? 5_000 })
  } catch (cause) {
    throw failure(`Cannot open the SQLite event store at ${file}.`, cause, 'event_store_unavailable')
  }
  try {
    const journalMode: unknown = db.pragma('journal_mode = WAL', { simple: true })
    if (journalMode !== 'wal')
      throw new EventStoreError(`Cannot put the SQLite event store at ${file} in WAL mode.`, { code: 'event_store_unavailable', details: `Expected journal_mode wal, found ${String(journalMode)}.` })
    db.pragma('synchronous = FULL')
    migrate(db, parameters.migrations ?? MIGRATIONS, clock, file)
  } catch (cause) {
    db.close()
    throw failure(`Cannot open the SQLite event store at ${file}.`, cause, 'event_store_unavailable')
  }
  const lockDir = `${realpathSync(file)}.locks`

  const reads = new Map<string, Statement<Array<number | string>, { seq: number; recorded_at: number; payload: string }>>()
  const statements = {
    lastSeq: db.prepare<[], { last: number }>('SELECT COALESCE(MAX(seq), 0) AS last FROM events'),
    insertEvent: db.prepare('INSERT INTO events (seq, recorded_at, strategy_mode, event_type, conversion_id, payload) VALUES (?, ?, ?, ?, ?, ?)'),
    conversionsByIds: db.prepare<[string], ConversionRow>('SELECT * FROM conversions WHERE id IN (SELECT value FROM json_each(?))'),
    conversion: db.prepare<[string], ConversionRow>(`SELECT conversions.*, ${CONVERTED_PAYLOAD} FROM conversions WHERE id = ?`),
    upsertConversion: db.prepare(`
      INSERT INTO conversions (id, strategy_mode, token, venue, state, step, refs, instruction, detail, created_seq, created_at, updated_at)
      VALUES (@id, @strategy_mode, @token, @venue, @state, @step, @refs, @instruction, @detail, @created_seq, @created_at, @updated_at)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, step = excluded.step, refs = excluded.refs, detail = excluded.detail, updated_at = excluded.updated_at`),
    // Block numbers are read as bigint: they are bigint in the port.
    discoveryCursor: db.prepare<[string, string, string], { scanned_to: bigint }>('SELECT scanned_to FROM token_discovery_cursors WHERE strategy_mode = ? AND chain = ? AND wallet = ?').safeIntegers(),
    discoveredTokens: db
      .prepare<[string, string, string], { address: string; first_block: bigint }>(
        'SELECT address, first_block FROM discovered_tokens WHERE strategy_mode = ? AND chain = ? AND wallet = ? ORDER BY first_block, address',
      )
      .safeIntegers(),
    insertDiscoveredToken: db.prepare(`
      INSERT INTO discovered_tokens (strategy_mode, chain, wallet, address, first_block, discovered_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (strategy_mode, chain, wallet, address) DO UPDATE SET first_block = MIN(first_block, excluded.first_block)`),
    upsertDiscoveryCursor: db.prepare(`
      INSERT INTO token_discovery_cursors (strategy_mode, chain, wallet, scanned_to, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (strategy_mode, chain, wallet) DO UPDATE SET scanned_to = MAX(scanned_to, excluded.scanned_to), updated_at = excluded.updated_at`),
  }

  const recordDiscoveryInTransaction = db.transaction((key: TokenDiscoveryKey, scannedTo: bigint, tokens: readonly DiscoveredToken[]) => {
    const at = clock.now()
    // The tokens first, then the cursor: in one transaction, so a cursor is never ahead of its tokens.
    for (const token of tokens) statements.insertDiscoveredToken.run(key.strategyMode, key.chain, key.wallet, token.address, token.firstBlock, at)
    statements.upsertDiscoveryCursor.run(key.strategyMode, key.chain, key.wallet, scannedTo, at)
  })

  const appendInTransaction = db.transaction((events: readonly DustEvent[]): StoredEvent[] => {
    const current = new Map<string, ProjectedConversion>(statements.conversionsByIds.all(JSON.stringify(conversionIdsOf(events))).map((row) => [row.id, conversionFromRow(row)]))
    const plan = planAppend(events, { lastSeq: statements.lastSeq.get()?.last ?? 0, recordedAt: clock.now(), conversions: current })
    for (const row of plan.rows) statements.insertEvent.run(row.seq, row.recordedAt, row.strategyMode, row.eventType, row.conversionId, row.payload)
    for (const conversion of plan.conversions) statements.upsertConversion.run(conversionToRow(conversion))
    return plan.stored
  })

  const locks = new Set<SqliteDatabase>()
  let closed = false
  const assertOpen = () => {
    if (closed) throw closedStoreError(file)
  }

  return {
    kind: 'sqlite',
    async append(events) {
      assertOpen()
      if (events.length === 0) return []
      try {
        // IMMEDIATE takes the write lock first, so two processes never both read the same last seq.
        return appendInTransaction.immediate(events)
      } catch (cause) {
        throw failure(`Cannot append to the SQLite event store at ${file}; nothing of the batch was written.`, cause)
      }
    },
    async read(query) {
      assertOpen()
      const { sql, values } = readEventsQuery(checkReadParameters(query), () => '?')
      // A read has a few shapes (a limit or a tail, a strategy or not, an upper bound or not): each is prepared once.
      let statement = reads.get(sql)
      if (statement === undefined) {
        statement = db.prepare<Array<number | string>, { seq: number; recorded_at: number; payload: string }>(sql)
        reads.set(sql, statement)
      }
      return statement.all(...values).map(storedEventFromRow)
    },
    async conversions(query = {}) {
      assertOpen()
      const where: string[] = []
      const values: string[] = []
      if (query.strategyMode !== undefined) {
        where.push('strategy_mode = ?')
        values.push(query.strategyMode)
      }
      if (query.open !== undefined) where.push(`state ${query.open ? 'NOT IN' : 'IN'} (${FINAL_CONVERSION_STATES.map((state) => `'${state}'`).join(', ')})`)
      const sql = `SELECT conversions.*, ${CONVERTED_PAYLOAD} FROM conversions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_seq`
      return db
        .prepare<string[], ConversionRow>(sql)
        .all(...values)
        .map(storedConversionFromRow)
    },
    async conversion(id): Promise<StoredConversion | undefined> {
      assertOpen()
      const row = statements.conversion.get(id)
      return row === undefined ? undefined : storedConversionFromRow(row)
    },
    async readTokenDiscovery(query) {
      assertOpen()
      const key = checkTokenDiscoveryKey(query)
      try {
        const cursor = statements.discoveryCursor.get(key.strategyMode, key.chain, key.wallet)
        const tokens = statements.discoveredTokens.all(key.strategyMode, key.chain, key.wallet).map((row) => ({ address: row.address, firstBlock: row.first_block }))
        return { scannedTo: cursor?.scanned_to, tokens }
      } catch (cause) {
        throw failure(`Cannot read the token discovery of ${key.wallet} on ${key.chain} from the SQLite event store at ${file}.`, cause)
      }
    },
    async recordTokenDiscovery(query, found) {
      assertOpen()
      const { key, scannedTo, tokens } = checkTokenDiscoveryRecord(query, found)
      try {
        recordDiscoveryInTransaction.immediate(key, scannedTo, tokens)
      } catch (cause) {
        throw failure(`Cannot record the token discovery of ${key.wallet} on ${key.chain} in the SQLite event store at ${file}; nothing of it was written.`, cause)
      }
    },
    async tryLock(strategyMode) {
      assertOpen()
      let holder: SqliteDatabase | undefined
      try {
        mkdirSync(lockDir, { recursive: true })
        // No busy timeout: the answer is now, held or not.
        holder = new Database(join(lockDir, lockFileName(strategyMode)), { timeout: 0 })
        // Nothing is ever written: a journal in memory leaves no -journal file beside the lock.
        holder.pragma('journal_mode = MEMORY')
        holder.exec('BEGIN EXCLUSIVE')
      } catch (cause) {
        holder?.close()
        if (isBusy(cause)) return undefined
        throw failure(`Cannot take the lock of strategy ${strategyMode} in ${lockDir}.`, cause)
      }
      const lock = holder
      locks.add(lock)
      return {
        async release() {
          if (!locks.delete(lock)) return
          // Closing the connection ends its transaction and drops the file lock.
          lock.close()
        },
      }
    },
    async close() {
      if (closed) return
      closed = true
      for (const lock of locks) lock.close()
      locks.clear()
      db.close()
    },
  }
}
