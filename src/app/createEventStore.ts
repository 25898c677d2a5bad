import type { Clock, EventStore } from '../ports/index.js'

export type CreateEventStoreParameters = {
  /** The environment: a non-empty `DATABASE_URL` selects PostgreSQL. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The SQLite file used when `DATABASE_URL` is not set (its folders are created). */
  readonly sqliteFile: string
  /** Stamps `recordedAt`; the system clock unless given. */
  readonly clock?: Clock | undefined
}

/**
 * Opens the event store: PostgreSQL when `DATABASE_URL` is set, else SQLite at `sqliteFile`.
 * Each backend is loaded only when chosen, so a SQLite deployment never loads `pg` and a
 * PostgreSQL one never loads the native SQLite module. Credentials in the URL never appear
 * in an error.
 */
export async function createEventStore(parameters: CreateEventStoreParameters): Promise<EventStore> {
  const url = parameters.env.DATABASE_URL?.trim()
  const clock = parameters.clock === undefined ? {} : { clock: parameters.clock }
  if (url) {
    const { createPostgresEventStore } = await import('../adapters/postgres/createPostgresEventStore.js')
    return createPostgresEventStore({ url, ...clock })
  }
  const { createSqliteEventStore } = await import('../adapters/sqlite/createSqliteEventStore.js')
  return createSqliteEventStore({ file: parameters.sqliteFile, ...clock })
}
