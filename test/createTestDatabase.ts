import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'

/** How many times a drop is tried while a worker it may not end holds the database. */
const DROP_ATTEMPTS = 8

/** A database of a test's own, and how to drop it. */
export type TestDatabase = {
  /** The server's URL with this database's name as its path. */
  readonly url: string
  /** The database's name: `<prefix>_<random>`. */
  readonly name: string
  /** Drops the database, closing what is still connected to it. */
  drop(): Promise<void>
}

/**
 * Creates an empty database on the run's PostgreSQL server (`inject('databaseUrl')`: DATABASE_URL,
 * else the throwaway server of test/globalSetupPostgres.ts), so that test files running side by
 * side never see each other's tables or locks. `prefix` is lower-case letters, digits and `_`.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`A test database prefix is lower-case letters, digits and _, found "${prefix}".`)
  const server = inject('databaseUrl')
  if (!server) throw new Error('No PostgreSQL server was given to this test run: vitest.config.ts must list test/globalSetupPostgres.ts in globalSetup.')
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    url: url.href,
    name,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: server })
      await dropper.connect()
      try {
        // FORCE ends our own leftover sessions (a killed child's), but a role that is not a
        // superuser may not end an autovacuum worker busy on the database (42501); it finishes
        // within moments, so the drop is tried again a few times before the error counts.
        for (let attempt = 1; ; attempt += 1) {
          try {
            await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
            return
          } catch (error) {
            if ((error as { code?: string }).code !== '42501' || attempt === DROP_ATTEMPTS) throw error
            await new Promise((resolve) => setTimeout(resolve, 250 * attempt))
          }
        }
      } finally {
        await dropper.end()
      }
    },
  }
}
