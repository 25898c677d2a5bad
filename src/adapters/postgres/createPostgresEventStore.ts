import { inspect } from 'node:util'
import pg from 'pg'
import { FINAL_CONVERSION_STATES } from '../../domain/conversions/index.js'
import type { ErrorCode } from '../../errors/index.js'
import type { Clock, EventStore, StoredConversion } from '../../ports/index.js'
import { createSystemClock } from '../system/createSystemClock.js'
import { advisoryKey } from './advisoryKey.js'
import { inPgTransaction } from './inPgTransaction.js'
import {
  CONVERTED_PAYLOAD,
  type ConversionRow,
  EventStoreError,
  checkReadParameters,
  checkTokenDiscoveryKey,
  checkTokenDiscoveryRecord,
  closedStoreError,
  conversionFromRow,
  conversionIdsOf,
  conversionToRow,
  planAppend,
  readEventsQuery,
  redactDatabaseUrl,
  storedConversionFromRow,
  storedEventFromRow,
  type Migration,
  MIGRATIONS,
  SCHEMA_MIGRATIONS_TABLE,
  pendingMigrations,
} from '../store/index.js'

export type CreatePostgresEventStoreParameters = {
  /** `postgres://user:password@host:port/database`; its credentials never appear in an error. */
  readonly url: string
  /** Stamps `recordedAt` and `applied_at`; the system clock unless given. */
  readonly clock?: Clock | undefined
  /** The schema to migrate to; `MIGRATIONS` unless given. */
  readonly migrations?: readonly Migration[] | undefined
  /** Connections of the pool, besides one per lock held (default 4). */
  readonly maxConnections?: number | undefined
  /** How long to wait for a connection, in milliseconds (default 10,000). */
  readonly connectTimeoutMs?: number | undefined
  /**
   * Is told when a held lock's connection fails, so that the lock may now be someone else's.
   * By default the error is thrown from the connection's event handler, which ends the process:
   * an executor that may no longer be the only one must stop, and its next start replays the log.
   */
  readonly onLockLost?: ((strategyMode: string, error: EventStoreError) => void) | undefined
}

/** A stable 64-bit advisory-lock key (the first 8 bytes of a SHA-256), the same in every process and release. */

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error.message) return error.message
  const errors = 'errors' in error ? error.errors : undefined
  if (Array.isArray(errors) && errors.length > 0) return errors.map(messageOf).join('; ')
  const code = 'code' in error ? error.code : undefined
  return typeof code === 'string' ? code : error.name
}

/** Reads the URL, refusing anything but a PostgreSQL URL without echoing it (it may hold a password). */
function checkUrl(url: string): { where: string; secrets: string[] } {
  if (!URL.canParse(url)) {
    throw new EventStoreError('DATABASE_URL is not a URL.', {
      code: 'event_store_unavailable',
      details: 'Expected postgres://user:password@host:port/database (the value is not shown: it may hold a password).',
    })
  }
  const parsed = new URL(url)
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    // Only a scheme written as one is named: in `user:password@host` the "scheme" is the user.
    const found = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? `a ${parsed.protocol}// URL` : 'a value that does not start with scheme://'
    throw new EventStoreError('DATABASE_URL is not a PostgreSQL URL.', { code: 'event_store_unavailable', details: `Expected a postgres:// or postgresql:// URL, found ${found}.` })
  }
  const passwords = [parsed.password, parsed.searchParams.get('password') ?? ''].filter((secret) => secret.length > 0)
  const decoded = passwords.map((secret) => {
    try {
      return decodeURIComponent(secret)
    } catch {
      // A malformed %-escape: the server sees the text as written, which is already among the secrets.
      return secret
    }
  })
  const secrets = [url, ...passwords, ...decoded]
  return { where: redactDatabaseUrl(url), secrets: [...new Set(secrets)] }
}

/**
 * Creates the PostgreSQL event store on a `pg` pool, and migrates the schema at open.
 *
 * Appends take `LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE` (which blocks other appends, not
 * reads) and number their events after the last `seq`: appends from every process are one after
 * the other, `seq` has no gaps (a sequence would leave one per rolled-back batch), and a reader
 * following the log with `since` never sees an event before those numbered below it.
 *
 * `tryLock` takes `pg_try_advisory_lock` with a key hashed from the strategy on a connection of
 * its own, held until `release` or `close`; the server drops the lock when that connection ends,
 * including when the process is killed.
 */
export async function createPostgresEventStore(parameters: CreatePostgresEventStoreParameters): Promise<EventStore> {
  const { where, secrets } = checkUrl(parameters.url)
  const clock = parameters.clock ?? createSystemClock()
  const connectTimeoutMs = parameters.connectTimeoutMs ?? 10_000
  const onLockLost =
    parameters.onLockLost ??
    ((_strategyMode: string, error: EventStoreError) => {
      throw error
    })

  /** Wraps a driver error in the store's, without the URL's credentials. */
  function failure(shortMessage: string, cause: unknown, code: ErrorCode = 'event_store_failed'): EventStoreError {
    if (cause instanceof EventStoreError) return cause
    let details = messageOf(cause)
    for (const secret of secrets) details = details.replaceAll(secret, '[redacted]')
    // A cause that carries a secret anywhere (a parser's `input`) is left out; its message, scrubbed, stays.
    const shown = inspect(cause, { depth: 6 })
    const safe = secrets.every((secret) => !shown.includes(secret))
    return new EventStoreError(shortMessage, { code, details, ...(safe ? { cause } : {}) })
  }

  const pool = new pg.Pool({ connectionString: parameters.url, max: parameters.maxConnections ?? 4, connectionTimeoutMillis: connectTimeoutMs, application_name: 'dust-manager' })
  // An idle connection that fails is dropped by the pool; the next query connects again or fails with the cause.
  pool.on('error', () => undefined)

  const inTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    inPgTransaction(pool, work, (cause) => {
      const scrubbed = failure('The commit failed.', cause)
      return new EventStoreError(`The PostgreSQL event store at ${where} did not confirm a commit; the transaction may or may not have been written.`, {
        details: scrubbed.details,
        cause: scrubbed.cause,
      })
    })

  try {
    await inTransaction(async (client) => {
      // Two processes opening a new database at once apply the migrations one after the other.
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey('schema-migrations', '')])
      await client.query(SCHEMA_MIGRATIONS_TABLE.postgres)
      const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version)
      for (const migration of pendingMigrations({ applied, migrations: parameters.migrations ?? MIGRATIONS, database: where })) {
        for (const statement of migration.statements.postgres) await client.query(statement)
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, clock.now()])
      }
    })
  } catch (cause) {
    await pool.end()
    throw failure(`Cannot open the PostgreSQL event store at ${where}.`, cause, 'event_store_unavailable')
  }

  const locks = new Set<{ end(): Promise<void> }>()
  let closed = false
  const assertOpen = () => {
    if (closed) throw closedStoreError(where)
  }

  return {
    kind: 'postgres',
    async append(events) {
      assertOpen()
      if (events.length === 0) return []
      try {
        return await inTransaction(async (client) => {
          await client.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE')
          const last = await client.query<{ last: string }>('SELECT COALESCE(MAX(seq), 0) AS last FROM events')
          const ids = conversionIdsOf(events)
          const current = ids.length === 0 ? [] : (await client.query<ConversionRow>('SELECT * FROM conversions WHERE id = ANY($1::text[])', [ids])).rows
          const plan = planAppend(events, { lastSeq: Number(last.rows[0]?.last ?? 0), recordedAt: clock.now(), conversions: new Map(current.map((row) => [row.id, conversionFromRow(row)])) })
          await client.query(
            `INSERT INTO events (seq, recorded_at, strategy_mode, event_type, conversion_id, payload)
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])`,
            [
              plan.rows.map((row) => row.seq),
              plan.rows.map((row) => row.recordedAt),
              plan.rows.map((row) => row.strategyMode),
              plan.rows.map((row) => row.eventType),
              plan.rows.map((row) => row.conversionId),
              plan.rows.map((row) => row.payload),
            ],
          )
          if (plan.conversions.length > 0) {
            const rows = plan.conversions.map(conversionToRow)
            const column = <K extends keyof ConversionRow>(name: K) => rows.map((row) => row[name])
            await client.query(
              `INSERT INTO conversions (id, strategy_mode, token, venue, state, step, refs, instruction, detail, created_seq, created_at, updated_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[])
               ON CONFLICT (id) DO UPDATE SET state = excluded.state, step = excluded.step, refs = excluded.refs, detail = excluded.detail, updated_at = excluded.updated_at`,
              [
                column('id'),
                column('strategy_mode'),
                column('token'),
                column('venue'),
                column('state'),
                column('step'),
                column('refs'),
                column('instruction'),
                column('detail'),
                column('created_seq'),
                column('created_at'),
                column('updated_at'),
              ],
            )
          }
          return plan.stored
        })
      } catch (cause) {
        throw failure(`Cannot append to the PostgreSQL event store at ${where}; nothing of the batch was written.`, cause)
      }
    },
    async read(query) {
      assertOpen()
      const { sql, values } = readEventsQuery(checkReadParameters(query), (position) => `$${position}`)
      try {
        const { rows } = await pool.query<{ seq: string; recorded_at: string; payload: string }>(sql, values)
        return rows.map(storedEventFromRow)
      } catch (cause) {
        throw failure(`Cannot read the PostgreSQL event store at ${where}.`, cause)
      }
    },
    async conversions(query = {}) {
      assertOpen()
      const conditions: string[] = []
      const values: string[] = []
      if (query.strategyMode !== undefined) {
        values.push(query.strategyMode)
        conditions.push(`strategy_mode = $${values.length}`)
      }
      if (query.open !== undefined) conditions.push(`state ${query.open ? '<> ALL' : '= ANY'} (ARRAY[${FINAL_CONVERSION_STATES.map((state) => `'${state}'`).join(', ')}])`)
      try {
        const { rows } = await pool.query<ConversionRow>(
          `SELECT conversions.*, ${CONVERTED_PAYLOAD} FROM conversions ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY created_seq`,
          values,
        )
        return rows.map(storedConversionFromRow)
      } catch (cause) {
        throw failure(`Cannot read the conversions of the PostgreSQL event store at ${where}.`, cause)
      }
    },
    async conversion(id): Promise<StoredConversion | undefined> {
      assertOpen()
      try {
        const { rows } = await pool.query<ConversionRow>(`SELECT conversions.*, ${CONVERTED_PAYLOAD} FROM conversions WHERE id = $1`, [id])
        return rows[0] === undefined ? undefined : storedConversionFromRow(rows[0])
      } catch (cause) {
        throw failure(`Cannot read conversion ${id} from the PostgreSQL event store at ${where}.`, cause)
      }
    },
    async readTokenDiscovery(query) {
      assertOpen()
      const key = checkTokenDiscoveryKey(query)
      const values = [key.strategyMode, key.chain, key.wallet]
      try {
        // One snapshot for both reads, so that the tokens are those the cursor stands for.
        return await inTransaction(async (client) => {
          await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
          const cursor = await client.query<{ scanned_to: string }>('SELECT scanned_to FROM token_discovery_cursors WHERE strategy_mode = $1 AND chain = $2 AND wallet = $3', values)
          const tokens = await client.query<{ address: string; first_block: string }>(
            'SELECT address, first_block FROM discovered_tokens WHERE strategy_mode = $1 AND chain = $2 AND wallet = $3 ORDER BY first_block, address',
            values,
          )
          const scanned = cursor.rows[0]?.scanned_to
          return { scannedTo: scanned === undefined ? undefined : BigInt(scanned), tokens: tokens.rows.map((row) => ({ address: row.address, firstBlock: BigInt(row.first_block) })) }
        })
      } catch (cause) {
        throw failure(`Cannot read the token discovery of ${key.wallet} on ${key.chain} from the PostgreSQL event store at ${where}.`, cause)
      }
    },
    async recordTokenDiscovery(query, found) {
      assertOpen()
      const { key, scannedTo, tokens } = checkTokenDiscoveryRecord(query, found)
      const at = clock.now()
      try {
        await inTransaction(async (client) => {
          // The tokens first, then the cursor: in one transaction, so a cursor is never ahead of its tokens.
          if (tokens.length > 0) {
            await client.query(
              `INSERT INTO discovered_tokens (strategy_mode, chain, wallet, address, first_block, discovered_at)
               SELECT $1, $2, $3, address, first_block, $6 FROM unnest($4::text[], $5::bigint[]) AS found (address, first_block)
               ON CONFLICT (strategy_mode, chain, wallet, address) DO UPDATE SET first_block = LEAST(discovered_tokens.first_block, excluded.first_block)`,
              [key.strategyMode, key.chain, key.wallet, tokens.map((token) => token.address), tokens.map((token) => token.firstBlock.toString()), at],
            )
          }
          await client.query(
            `INSERT INTO token_discovery_cursors (strategy_mode, chain, wallet, scanned_to, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (strategy_mode, chain, wallet) DO UPDATE SET scanned_to = GREATEST(token_discovery_cursors.scanned_to, excluded.scanned_to), updated_at = excluded.updated_at`,
            [key.strategyMode, key.chain, key.wallet, scannedTo.toString(), at],
          )
        })
      } catch (cause) {
        throw failure(`Cannot record the token discovery of ${key.wallet} on ${key.chain} in the PostgreSQL event store at ${where}; nothing of it was written.`, cause)
      }
    },
    async tryLock(strategyMode) {
      assertOpen()
      const key = advisoryKey('strategy', strategyMode)
      // The name shows in pg_stat_activity, so an operator can see which process holds which strategy.
      const client = new pg.Client({ connectionString: parameters.url, connectionTimeoutMillis: connectTimeoutMs, application_name: `dust-manager lock ${strategyMode}`.slice(0, 63) })
      let state: 'taking' | 'held' | 'released' = 'taking'
      const entry = {
        async end() {
          if (state === 'released') return
          state = 'released'
          locks.delete(entry)
          try {
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [key])
          } finally {
            // Ending the connection drops the lock even if the unlock did not go through.
            await client.end()
          }
        },
      }
      const lost = (cause: unknown) => {
        if (state !== 'held') return
        state = 'released'
        locks.delete(entry)
        onLockLost(
          strategyMode,
          failure(
            `The lock of strategy ${strategyMode} was lost with its PostgreSQL connection to ${where}; another process may hold it now.`,
            cause ?? new Error('The connection ended.'),
            'event_store_lock_lost',
          ),
        )
      }
      client.on('error', lost)
      client.on('end', () => lost(undefined))
      try {
        await client.connect()
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key])
        if (rows[0]?.locked !== true) {
          state = 'released'
          await client.end()
          return undefined
        }
      } catch (cause) {
        state = 'released'
        // The connection may never have opened; the error that matters is the one thrown below.
        await client.end().catch(() => undefined)
        throw failure(`Cannot take the lock of strategy ${strategyMode} on the PostgreSQL event store at ${where}.`, cause, 'event_store_unavailable')
      }
      state = 'held'
      locks.add(entry)
      return { release: () => entry.end() }
    },
    async close() {
      if (closed) return
      closed = true
      // Each lock's connection is ended even when its unlock fails, and the server drops the lock with it.
      await Promise.allSettled([...locks].map((lock) => lock.end()))
      await pool.end()
    },
  }
}
