import type { TestProject } from 'vitest/node'
import { startPostgres } from './startPostgres.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server of the run: DATABASE_URL when set, else a throwaway server started for the run (test/startPostgres.ts). */
    databaseUrl: string
  }
}

/**
 * Gives the test run one PostgreSQL server (vitest `globalSetup`): `DATABASE_URL` from the
 * environment when set, else a throwaway server from the npm package's binaries, stopped and
 * removed when the run ends. Tests read its URL with `inject('databaseUrl')` and make a database
 * of their own on it (`createTestDatabase`); the URL is not put into `process.env`, so that no other
 * test switches to PostgreSQL behind its back.
 */
export default async function setupPostgres(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnvironment = process.env.DATABASE_URL?.trim()
  if (fromEnvironment) {
    project.provide('databaseUrl', fromEnvironment)
    return undefined
  }
  const server = await startPostgres()
  project.provide('databaseUrl', server.url)
  return () => server.stop()
}
