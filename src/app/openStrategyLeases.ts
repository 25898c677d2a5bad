import { UsageError } from '../errors/index.js'
import type { StrategyLeases } from '../ports/index.js'

export type OpenStrategyLeasesParameters = {
  /** The environment: `DATABASE_URL` must name the PostgreSQL database of the event store. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly workerId: string
  readonly leaseMs: number
}

/**
 * Opens the leases through which monitor workers share strategies: PostgreSQL only, the event
 * store's database (`DATABASE_URL`), whose migration 3 holds the tables. Refuses without it.
 */
export async function openStrategyLeases(parameters: OpenStrategyLeasesParameters): Promise<StrategyLeases> {
  const url = parameters.env.DATABASE_URL?.trim()
  if (!url) {
    throw new UsageError('dust monitor --workers needs PostgreSQL: the workers share the strategies through leases in its tables, and DATABASE_URL is not set.', {
      details: 'Set DATABASE_URL to the postgres:// URL of the event store every worker uses, or run one monitor without --workers on SQLite.',
    })
  }
  const { createPostgresStrategyLeases } = await import('../adapters/postgres/createPostgresStrategyLeases.js')
  return createPostgresStrategyLeases({ url, workerId: parameters.workerId, leaseMs: parameters.leaseMs })
}
