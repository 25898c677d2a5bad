import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDatabase, createTestDatabase } from '../../../test/createTestDatabase.js'
import { inPgTransaction } from './inPgTransaction.js'

describe('inPgTransaction', () => {
  let database: TestDatabase
  let pool: pg.Pool

  beforeAll(async () => {
    database = await createTestDatabase('transaction')
    pool = new pg.Pool({ connectionString: database.url, max: 2 })
    await pool.query('CREATE TABLE rows (value integer PRIMARY KEY)')
  })

  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  const commitFailed = (cause: unknown) => new Error(`commit failed: ${String(cause)}`)
  const values = async () => (await pool.query<{ value: number }>('SELECT value FROM rows ORDER BY value')).rows.map((row) => row.value)

  it('commits what the work wrote and returns its result', async () => {
    const result = await inPgTransaction(pool, async (client) => (await client.query('INSERT INTO rows (value) VALUES (1), (2)')).rowCount, commitFailed)
    expect(result).toBe(2)
    expect(await values()).toEqual([1, 2])
  })

  it('rolls back all of a work that throws, rethrows its error, and leaves the pool usable', async () => {
    const failing = inPgTransaction(
      pool,
      async (client) => {
        await client.query('INSERT INTO rows (value) VALUES (3)')
        throw new Error('the work failed')
      },
      commitFailed,
    )
    await expect(failing).rejects.toThrow('the work failed')
    expect(await values()).toEqual([1, 2])
    expect(pool.totalCount).toBeLessThanOrEqual(2)
  })

  it('throws what commitFailed makes of a COMMIT the server refuses, and writes nothing', async () => {
    // A deferred constraint is checked at COMMIT: the server refuses the commit itself.
    await pool.query('CREATE TABLE deferred (value integer UNIQUE DEFERRABLE INITIALLY DEFERRED)')
    const committing = inPgTransaction(pool, (client) => client.query('INSERT INTO deferred (value) VALUES (1), (1)'), commitFailed)
    await expect(committing).rejects.toThrow(/^commit failed: error: duplicate key value violates unique constraint/)
    expect((await pool.query('SELECT count(*)::int AS n FROM deferred')).rows[0]?.n).toBe(0)
  })
})
