import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDatabase, createTestDatabase } from '../../test/createTestDatabase.js'
import { createEventStore } from './createEventStore.js'
import { openStrategyLeases } from './openStrategyLeases.js'

describe('openStrategyLeases', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('open_leases')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('refuses without DATABASE_URL, in one sentence saying what to set', async () => {
    await expect(openStrategyLeases({ env: { DATABASE_URL: ' ' }, workerId: 'w', leaseMs: 1_000 })).rejects.toMatchObject({
      code: 'usage',
      shortMessage: 'dust monitor --workers needs PostgreSQL: the workers share the strategies through leases in its tables, and DATABASE_URL is not set.',
    })
  })

  it('opens the leases of the event store’s PostgreSQL database', async () => {
    const env = { DATABASE_URL: database.url }
    const store = await createEventStore({ env, sqliteFile: '/nonexistent/unused.db' })
    const leases = await openStrategyLeases({ env, workerId: 'host-1', leaseMs: 1_000 })
    try {
      expect(leases.workerId).toBe('host-1')
      expect(await leases.heartbeat(['a', 'b'])).toEqual({ held: ['a', 'b'], share: 2, liveWorkers: 1 })
    } finally {
      await leases.close()
      await store.close()
    }
  })
})
