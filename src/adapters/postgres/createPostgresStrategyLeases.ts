import pg from 'pg'
import type { LeaseRound, ScanRequest, StrategyLeases } from '../../ports/index.js'
import { EventStoreError, redactDatabaseUrl } from '../store/index.js'
import { advisoryKey } from './advisoryKey.js'
import { inPgTransaction } from './inPgTransaction.js'

export type CreatePostgresStrategyLeasesParameters = {
  /** `postgres://user:password@host:port/database`, migrated by the event store (version 3); its credentials never appear in an error. */
  readonly url: string
  /** The name this worker's leases and scans are recorded under (`dust monitor --worker-id`). */
  readonly workerId: string
  /** How long a lease and a heartbeat last without renewal, in milliseconds. */
  readonly leaseMs: number
  /** How many intervals of scan claims are kept per strategy (default 1,000); older ones are deleted as new ones are made. */
  readonly keepSlots?: number | undefined
  /** How long to wait for a connection, in milliseconds (default 10,000). */
  readonly connectTimeoutMs?: number | undefined
}

/** The database's clock in milliseconds: every worker's leases are measured on the same clock, whatever its host's. */
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint'

/** The transaction-level advisory lock that makes heartbeats one after the other (stable across processes and releases). */
const HEARTBEAT_KEY = advisoryKey('worker-heartbeat', '')

/**
 * Creates the PostgreSQL leases through which `dust monitor --workers` processes share strategies.
 *
 * Tables `monitor_workers`, `strategy_leases` and `strategy_scans` (migration 3). A heartbeat, in
 * one transaction under an advisory lock that serializes the workers' heartbeats, renews this
 * worker's row and leases, counts the live workers, and takes free or expired leases up to
 * ceil(strategies / live workers). A scan claim inserts `(strategy, slot)` into `strategy_scans`,
 * whose primary key admits one scan per strategy per interval, and only while this worker's lease
 * on it is unexpired.
 */
export async function createPostgresStrategyLeases(parameters: CreatePostgresStrategyLeasesParameters): Promise<StrategyLeases> {
  const { url, workerId, leaseMs } = parameters
  const where = redactDatabaseUrl(url)
  if (!/^[\x21-\x7e]{1,100}$/.test(workerId)) {
    throw new EventStoreError('A worker id is 1 to 100 printable characters without spaces.', { code: 'invalid_query', details: `Found ${JSON.stringify(workerId.slice(0, 120))}.` })
  }
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 100) throw new EventStoreError(`A lease lasts a whole number of milliseconds, at least 100, found ${leaseMs}.`, { code: 'invalid_query' })
  const keepSlots = parameters.keepSlots ?? 1_000
  const secrets = [url, ...(URL.canParse(url) ? [new URL(url).password].filter((secret) => secret.length > 0) : [])]

  function failure(shortMessage: string, cause: unknown): EventStoreError {
    let details = cause instanceof Error ? cause.message || cause.name : String(cause)
    for (const secret of secrets) details = details.replaceAll(secret, '[redacted]')
    return new EventStoreError(shortMessage, { details })
  }

  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: parameters.connectTimeoutMs ?? 10_000, application_name: `dust-manager worker ${workerId}`.slice(0, 63) })
  // An idle connection that fails is dropped by the pool; the next heartbeat connects again or fails with the cause.
  pool.on('error', () => undefined)

  // A refused COMMIT reaches the caller as it is; each caller says what it was doing.
  const inTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => inPgTransaction(pool, work, (cause) => (cause instanceof Error ? cause : new Error(String(cause))))

  let closed = false
  const assertOpen = () => {
    if (closed) throw new EventStoreError(`The worker leases of ${workerId} at ${where} are closed.`, { code: 'event_store_closed' })
  }

  return {
    workerId,
    async heartbeat(modes): Promise<LeaseRound> {
      assertOpen()
      try {
        return await inTransaction(async (client) => {
          await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [HEARTBEAT_KEY])
          const now = BigInt((await client.query<{ now: string }>(`SELECT ${NOW_MS} AS now`)).rows[0]?.now ?? '0')
          const expires = (now + BigInt(leaseMs)).toString()
          await client.query(
            `INSERT INTO monitor_workers (worker_id, started_at, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (worker_id) DO UPDATE SET expires_at = excluded.expires_at`,
            [workerId, now.toString(), expires],
          )
          await client.query('DELETE FROM monitor_workers WHERE expires_at <= $1', [now.toString()])
          const live = Number((await client.query<{ live: string }>('SELECT count(*) AS live FROM monitor_workers')).rows[0]?.live ?? '1')
          const share = Math.ceil(modes.length / Math.max(1, live))
          // A lease of ours that expired unclaimed is still ours: nobody scanned it meanwhile.
          const renewed = (
            await client.query<{ strategy_mode: string }>('UPDATE strategy_leases SET expires_at = $2 WHERE worker_id = $1 AND strategy_mode = ANY($3::text[]) RETURNING strategy_mode', [
              workerId,
              expires,
              modes,
            ])
          ).rows.map((row) => row.strategy_mode)
          let taken: string[] = []
          if (renewed.length < share) {
            // Free or expired leases, in an order of this worker's own, so that workers spread over different strategies.
            taken = (
              await client.query<{ strategy_mode: string }>(
                `INSERT INTO strategy_leases (strategy_mode, worker_id, acquired_at, expires_at)
                 SELECT mode, $1, $2, $3 FROM unnest($4::text[]) AS wanted (mode)
                 WHERE NOT EXISTS (SELECT 1 FROM strategy_leases held WHERE held.strategy_mode = wanted.mode AND held.expires_at > $2)
                 ORDER BY md5(mode || $1) LIMIT $5
                 ON CONFLICT (strategy_mode) DO UPDATE SET worker_id = excluded.worker_id, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
                 WHERE strategy_leases.expires_at <= excluded.acquired_at
                 RETURNING strategy_mode`,
                [workerId, now.toString(), expires, modes, share - renewed.length],
              )
            ).rows.map((row) => row.strategy_mode)
          }
          return { held: [...renewed, ...taken].sort(), share, liveWorkers: live }
        })
      } catch (cause) {
        throw failure(`The heartbeat of worker ${workerId} on ${where} failed; its leases expire unless the next one succeeds.`, cause)
      }
    },
    async claimScans(requests: readonly ScanRequest[]) {
      assertOpen()
      if (requests.length === 0) return []
      try {
        const { rows } = await pool.query<{ strategy_mode: string }>(
          `WITH now AS (SELECT ${NOW_MS} AS ms),
           claimed AS (
             INSERT INTO strategy_scans (strategy_mode, slot, worker_id, claimed_at)
             SELECT wanted.mode, now.ms / wanted.interval_ms, $1, now.ms FROM unnest($2::text[], $3::bigint[]) AS wanted (mode, interval_ms), now
             WHERE EXISTS (SELECT 1 FROM strategy_leases held WHERE held.strategy_mode = wanted.mode AND held.worker_id = $1 AND held.expires_at > now.ms)
             ON CONFLICT (strategy_mode, slot) DO NOTHING
             RETURNING strategy_mode, slot
           ),
           pruned AS (DELETE FROM strategy_scans old USING claimed WHERE old.strategy_mode = claimed.strategy_mode AND old.slot < claimed.slot - $4)
           SELECT strategy_mode FROM claimed ORDER BY strategy_mode`,
          [workerId, requests.map((request) => request.mode), requests.map((request) => request.intervalMs), keepSlots],
        )
        return rows.map((row) => row.strategy_mode)
      } catch (cause) {
        throw failure(`Worker ${workerId} could not claim its scans on ${where}.`, cause)
      }
    },
    async release(modes) {
      assertOpen()
      if (modes.length === 0) return
      try {
        await pool.query('DELETE FROM strategy_leases WHERE worker_id = $1 AND strategy_mode = ANY($2::text[])', [workerId, modes])
      } catch (cause) {
        throw failure(`Worker ${workerId} could not give back the leases of ${modes.join(', ')} on ${where}; they expire on their own.`, cause)
      }
    },
    async close() {
      if (closed) return
      closed = true
      try {
        await inTransaction(async (client) => {
          await client.query('DELETE FROM strategy_leases WHERE worker_id = $1', [workerId])
          await client.query('DELETE FROM monitor_workers WHERE worker_id = $1', [workerId])
        })
      } catch (cause) {
        throw failure(`Worker ${workerId} could not give back its leases on ${where}; they expire on their own.`, cause)
      } finally {
        await pool.end()
      }
    },
  }
}
