import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDatabase, createTestDatabase } from '../../../test/createTestDatabase.js'
import type { StrategyLeases } from '../../ports/index.js'
import { createPostgresEventStore } from './createPostgresEventStore.js'
import { createPostgresStrategyLeases } from './createPostgresStrategyLeases.js'

/** An interval no test outlives: its slot does not change while the test runs. */
const LONG = 1_000_000_000_000

describe('createPostgresStrategyLeases', () => {
  let database: TestDatabase
  let admin: pg.Pool
  const opened: StrategyLeases[] = []

  /** Leases of a worker on a fresh set of tables (each test clears them). */
  async function worker(workerId: string, leaseMs = 60_000, keepSlots?: number): Promise<StrategyLeases> {
    const leases = await createPostgresStrategyLeases({ url: database.url, workerId, leaseMs, keepSlots })
    opened.push(leases)
    return leases
  }
  async function reset(): Promise<void> {
    await Promise.allSettled(opened.splice(0).map((leases) => leases.close()))
    await admin.query('TRUNCATE monitor_workers, strategy_leases, strategy_scans')
  }
  const holders = async () =>
    (await admin.query<{ strategy_mode: string; worker_id: string }>('SELECT strategy_mode, worker_id FROM strategy_leases ORDER BY strategy_mode')).rows.map(
      (row) => `${row.strategy_mode}:${row.worker_id}`,
    )

  beforeAll(async () => {
    database = await createTestDatabase('leases')
    // The event store's migrations make the tables.
    await (await createPostgresEventStore({ url: database.url })).close()
    admin = new pg.Pool({ connectionString: database.url, max: 1 })
  })
  afterAll(async () => {
    await reset()
    await admin?.end()
    await database?.drop()
  })

  it('gives each worker at most its fair share, ceil(strategies / live workers), never a lease another holds', async () => {
    await reset()
    const modes = ['s1', 's2', 's3', 's4', 's5', 's6', 's7']
    const [a, b, c] = [await worker('a'), await worker('b'), await worker('c')]
    // Alone, a takes all seven.
    expect(await a.heartbeat(modes)).toEqual({ held: modes, share: 7, liveWorkers: 1 })
    // b is live now, but every lease is a's and unexpired.
    expect(await b.heartbeat(modes)).toEqual({ held: [], share: 4, liveWorkers: 2 })
    expect(await c.heartbeat(modes)).toEqual({ held: [], share: 3, liveWorkers: 3 })
    const round = await a.heartbeat(modes)
    expect(round).toMatchObject({ held: modes, share: 3, liveWorkers: 3 })
    // a gives back what it holds above its share; the others take it at their next heartbeat, up to theirs.
    await a.release(modes.slice(3))
    const rb = await b.heartbeat(modes)
    const rc = await c.heartbeat(modes)
    expect(rb.held).toHaveLength(3)
    expect(rc.held).toHaveLength(1)
    expect([...modes.slice(0, 3), ...rb.held, ...rc.held].sort()).toEqual(modes)
    expect((await holders()).filter((holder) => holder.endsWith(':a'))).toEqual(['s1:a', 's2:a', 's3:a'])
  })

  it('lets another worker take a lease once it expires unrenewed, and not before', async () => {
    await reset()
    const a = await worker('a', 300)
    const b = await worker('b', 60_000)
    expect((await a.heartbeat(['s1', 's2'])).held).toEqual(['s1', 's2'])
    expect((await b.heartbeat(['s1', 's2'])).held).toEqual([])
    // a stops its heartbeats (as if killed): within its 300 ms lease, then after it, b takes both.
    const deadline = Date.now() + 10_000
    let held: readonly string[] = []
    while (held.length < 2 && Date.now() < deadline) held = (await b.heartbeat(['s1', 's2'])).held
    expect(held).toEqual(['s1', 's2'])
    expect(await holders()).toEqual(['s1:b', 's2:b'])
    // a's next heartbeat counts it live again, but its leases are b's now.
    expect(await a.heartbeat(['s1', 's2'])).toEqual({ held: [], share: 1, liveWorkers: 2 })
    expect(await a.claimScans([{ mode: 's1', intervalMs: LONG }])).toEqual([])
  })

  it('claims one scan per strategy per interval, only for the holder of its lease', async () => {
    await reset()
    const a = await worker('a')
    const b = await worker('b')
    await a.heartbeat(['s1'])
    await b.heartbeat(['s1', 's2'])
    expect(await holders()).toEqual(['s1:a', 's2:b'])
    expect(await b.claimScans([{ mode: 's1', intervalMs: LONG }])).toEqual([])
    expect(await a.claimScans([{ mode: 's1', intervalMs: LONG }])).toEqual(['s1'])
    // The interval is scanned: neither its holder nor anyone else claims it again.
    expect(await a.claimScans([{ mode: 's1', intervalMs: LONG }])).toEqual([])
    // a stops: b, alone now, holds both, and finds s1's interval scanned already.
    await a.close()
    expect((await b.heartbeat(['s1', 's2'])).held).toEqual(['s1', 's2'])
    expect(
      await b.claimScans([
        { mode: 's1', intervalMs: LONG },
        { mode: 's2', intervalMs: LONG },
      ]),
    ).toEqual(['s2'])
    const { rows } = await admin.query<{ strategy_mode: string; slot: string; worker_id: string }>('SELECT strategy_mode, slot, worker_id FROM strategy_scans ORDER BY strategy_mode')
    expect(rows.map((row) => `${row.strategy_mode}:${row.worker_id}`)).toEqual(['s1:a', 's2:b'])
    expect(new Set(rows.map((row) => row.slot))).toEqual(new Set([String(Math.floor(Date.now() / LONG))]))
  })

  it('keeps the scans of the last intervals only', async () => {
    await reset()
    const a = await worker('a', 60_000, 2)
    await a.heartbeat(['s1'])
    // 20 ms intervals: claims in successive intervals until 6 were made.
    let claims = 0
    const deadline = Date.now() + 10_000
    while (claims < 6 && Date.now() < deadline) claims += (await a.claimScans([{ mode: 's1', intervalMs: 20 }])).length
    expect(claims).toBe(6)
    const { rows } = await admin.query<{ slot: string }>('SELECT slot FROM strategy_scans ORDER BY slot')
    const newest = Number(rows.at(-1)?.slot)
    // The newest and at most the two intervals before it.
    expect(rows.length).toBeLessThanOrEqual(3)
    for (const row of rows) expect(Number(row.slot)).toBeGreaterThanOrEqual(newest - 2)
  })

  it('gives every lease back and leaves the live workers on close, then refuses to be used', async () => {
    await reset()
    const a = await worker('a')
    await a.heartbeat(['s1', 's2'])
    await a.close()
    expect(await holders()).toEqual([])
    expect((await admin.query('SELECT * FROM monitor_workers')).rows).toEqual([])
    await expect(a.heartbeat(['s1'])).rejects.toMatchObject({ code: 'event_store_closed', shortMessage: expect.stringContaining('The worker leases of a at postgres://') })
    await a.close()
  })

  it('refuses a worker id with spaces and a lease under 100 ms', async () => {
    await expect(createPostgresStrategyLeases({ url: database.url, workerId: 'host 1', leaseMs: 1000 })).rejects.toThrow(
      'A worker id is 1 to 100 printable characters without spaces.\nFound "host 1".',
    )
    await expect(createPostgresStrategyLeases({ url: database.url, workerId: 'w', leaseMs: 50 })).rejects.toThrow('A lease lasts a whole number of milliseconds, at least 100, found 50.')
  })

  it('reports a heartbeat that cannot reach the database without the URL’s password', async () => {
    const url = new URL(database.url)
    url.password = 'hunter2-secret'
    url.username = 'nobody_here'
    const leases = await createPostgresStrategyLeases({ url: url.href, workerId: 'w', leaseMs: 1000, connectTimeoutMs: 5_000 })
    const error = await leases.heartbeat(['s1']).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    )
    expect(error).toMatchObject({
      code: 'event_store_failed',
      shortMessage: `The heartbeat of worker w on postgres://${url.host}${url.pathname} failed; its leases expire unless the next one succeeds.`,
    })
    expect(String(error?.message)).not.toContain('hunter2-secret')
    await leases.close().catch(() => undefined)
  })
})
