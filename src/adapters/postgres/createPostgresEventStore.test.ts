import { inspect } from 'node:util'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type TestDatabase, createTestDatabase } from '../../../test/createTestDatabase.js'
import { freePort } from '../../../test/freePort.js'
import type { DustEvent } from '../../domain/events.js'
import type { EventStore } from '../../ports/index.js'
import { createEventStore } from '../../app/createEventStore.js'
import type { EventStoreError } from '../store/index.js'
import { describeEventStoreContract } from '../../../test/eventStoreContract.js'
import { createPostgresEventStore } from './createPostgresEventStore.js'

// A database of this file's own on the run's server (DATABASE_URL when set, else the throwaway
// server test/globalSetupPostgres.ts starts from npm's binaries). Never skipped.
let database: TestDatabase | undefined
let baseUrl = ''
let admin: pg.Pool | undefined

beforeAll(async () => {
  database = await createTestDatabase('store')
  baseUrl = database.url
  admin = new pg.Pool({ connectionString: baseUrl, max: 2 })
}, 120_000)

afterAll(async () => {
  await admin?.end()
  await database?.drop()
})

function adminPool(): pg.Pool {
  if (!admin) throw new Error('The PostgreSQL test server did not start.')
  return admin
}

let schemas = 0
/** A schema of its own for one test, selected by the URL's `options`, so that each test starts empty. */
async function freshSchema(): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  schemas += 1
  const schema = `dust_test_${process.pid}_${schemas}`
  await adminPool().query(`CREATE SCHEMA ${schema}`)
  const url = new URL(baseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return { schema, url: url.href, drop: async () => void (await adminPool().query(`DROP SCHEMA ${schema} CASCADE`)) }
}

describeEventStoreContract('createPostgresEventStore', async () => {
  const { url, drop } = await freshSchema()
  return { open: (options = {}) => createPostgresEventStore({ url, ...options }), location: { env: { DATABASE_URL: url }, sqliteFile: '/nonexistent/events.sqlite' }, drop }
})

const T0 = Date.UTC(2025, 8, 26, 12, 0, 0)
const clock = { now: () => T0, sleep: async () => undefined }
const cycleFailed: DustEvent = { event_type: 'dust_cycle_failed', strategy_mode: 'usdt_test', timestamp: T0, error: 'SourceError', code: 'source_failed', message: 'Wallet did not answer.' }

async function rejection(promise: Promise<unknown>): Promise<EventStoreError> {
  try {
    await promise
  } catch (error) {
    return error as EventStoreError
  }
  throw new Error('Expected a rejection, found none.')
}

describe('createPostgresEventStore', () => {
  let fresh: Awaited<ReturnType<typeof freshSchema>>
  const stores: EventStore[] = []
  const open = async (parameters: Partial<Parameters<typeof createPostgresEventStore>[0]> = {}) => {
    const store = await createPostgresEventStore({ url: fresh.url, clock, ...parameters })
    stores.push(store)
    return store
  }

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()))
    await fresh?.drop()
  })

  it('writes the events as JSON text with their filter columns, and the migrations applied', async () => {
    fresh = await freshSchema()
    const store = await open()
    await store.append([cycleFailed])
    const events = await adminPool().query(`SELECT * FROM ${fresh.schema}.events`)
    expect(events.rows).toEqual([{ seq: '1', recorded_at: String(T0), strategy_mode: 'usdt_test', event_type: 'dust_cycle_failed', conversion_id: null, payload: JSON.stringify(cycleFailed) }])
    const migrations = await adminPool().query(`SELECT version, name, applied_at FROM ${fresh.schema}.schema_migrations`)
    expect(migrations.rows).toEqual([
      { version: 1, name: 'events and conversions', applied_at: String(T0) },
      { version: 2, name: 'token discovery', applied_at: String(T0) },
      { version: 3, name: 'worker leases', applied_at: String(T0) },
    ])
  })

  it('migrates a new database once when several stores open it at the same time', async () => {
    fresh = await freshSchema()
    await Promise.all([open(), open(), open()])
    const migrations = await adminPool().query(`SELECT version FROM ${fresh.schema}.schema_migrations ORDER BY version`)
    expect(migrations.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }])
  })

  it('reports a failing statement with the server’s words', async () => {
    fresh = await freshSchema()
    const store = await open()
    await adminPool().query(`DROP TABLE ${fresh.schema}.events, ${fresh.schema}.conversions, ${fresh.schema}.token_discovery_cursors`)
    const where = `postgres://${new URL(baseUrl).host}/${new URL(baseUrl).pathname.slice(1)}`
    await expect(store.append([cycleFailed])).rejects.toMatchObject({
      code: 'event_store_failed',
      shortMessage: `Cannot append to the PostgreSQL event store at ${where}; nothing of the batch was written.`,
      details: 'relation "events" does not exist',
    })
    await expect(store.read()).rejects.toMatchObject({ code: 'event_store_failed', shortMessage: `Cannot read the PostgreSQL event store at ${where}.`, details: 'relation "events" does not exist' })
    await expect(store.conversions()).rejects.toMatchObject({ code: 'event_store_failed', details: 'relation "conversions" does not exist' })
    await expect(store.conversion('c1')).rejects.toMatchObject({ code: 'event_store_failed', shortMessage: `Cannot read conversion c1 from the PostgreSQL event store at ${where}.` })
    const discovery = { strategyMode: 'usdt_test', chain: 'ethereum', wallet: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }
    await expect(store.readTokenDiscovery(discovery)).rejects.toMatchObject({
      code: 'event_store_failed',
      shortMessage: `Cannot read the token discovery of 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 on ethereum from the PostgreSQL event store at ${where}.`,
      details: 'relation "token_discovery_cursors" does not exist',
    })
    await expect(store.recordTokenDiscovery(discovery, { scannedTo: 1n, tokens: [] })).rejects.toMatchObject({
      code: 'event_store_failed',
      shortMessage: `Cannot record the token discovery of 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 on ethereum in the PostgreSQL event store at ${where}; nothing of it was written.`,
      details: 'relation "token_discovery_cursors" does not exist',
    })
  })

  it('reports a commit the server refused as one that may or may not have been written, and keeps working', async () => {
    fresh = await freshSchema()
    const store = await open()
    // A deferred constraint trigger fails at COMMIT, after every statement of the append went through.
    await adminPool().query(`CREATE FUNCTION ${fresh.schema}.refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`)
    await adminPool().query(
      `CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON ${fresh.schema}.events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${fresh.schema}.refuse_at_commit()`,
    )
    const where = `postgres://${new URL(baseUrl).host}${new URL(baseUrl).pathname}`
    const error = await rejection(store.append([cycleFailed]))
    expect(error).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_failed',
      shortMessage: `The PostgreSQL event store at ${where} did not confirm a commit; the transaction may or may not have been written.`,
      details: 'refused at commit',
    })
    await adminPool().query(`DROP TRIGGER refuse_at_commit ON ${fresh.schema}.events`)
    expect(await store.read()).toEqual([])
    expect(await store.append([cycleFailed])).toEqual([{ seq: 1, recordedAt: T0, event: cycleFailed }])
  })

  it('reports an append whose connection died mid-transaction without ending the process, and reconnects for the next', async () => {
    fresh = await freshSchema()
    const store = await open({ maxConnections: 1 })
    // The backend ends itself while inserting: the statement fails, the ROLLBACK after it too, and
    // the client emits 'error', which must not become an uncaught exception.
    await adminPool().query(`CREATE FUNCTION ${fresh.schema}.end_backend() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$`)
    await adminPool().query(`CREATE TRIGGER end_backend BEFORE INSERT ON ${fresh.schema}.events FOR EACH ROW EXECUTE FUNCTION ${fresh.schema}.end_backend()`)
    const where = `postgres://${new URL(baseUrl).host}${new URL(baseUrl).pathname}`
    expect(await rejection(store.append([cycleFailed]))).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_failed',
      shortMessage: `Cannot append to the PostgreSQL event store at ${where}; nothing of the batch was written.`,
      details: 'terminating connection due to administrator command',
    })
    await adminPool().query(`DROP TRIGGER end_backend ON ${fresh.schema}.events`)
    // With one connection in the pool, this append works only if the broken one was destroyed, not reused.
    expect(await store.append([cycleFailed])).toEqual([{ seq: 1, recordedAt: T0, event: cycleFailed }])
  })

  it('refuses to read a stored event that no append could have written, naming what it found', async () => {
    fresh = await freshSchema()
    const store = await open()
    await store.append([cycleFailed])
    await adminPool().query(`UPDATE ${fresh.schema}.events SET payload = '[1, 2]' WHERE seq = 1`)
    expect(await rejection(store.read())).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_failed',
      shortMessage: 'The event store holds an unreadable event.',
      details: 'Expected an object with event_type, strategy_mode and timestamp, found a list.',
    })
  })

  it('tells onLockLost when a held lock’s connection ends, and the lock is free again', async () => {
    fresh = await freshSchema()
    const lost: Array<[string, EventStoreError]> = []
    const store = await open({ onLockLost: (strategyMode, error) => void lost.push([strategyMode, error]) })
    const lock = await store.tryLock('usdt_test')
    expect(lock).toBeDefined()
    const terminated = await adminPool().query<{ done: boolean }>(
      "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = 'dust-manager lock usdt_test' AND datname = current_database()",
    )
    expect(terminated.rows).toEqual([{ done: true }])
    for (let round = 0; round < 100 && lost.length === 0; round += 1) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(lost.map(([strategyMode, error]) => [strategyMode, error.name, error.code])).toEqual([['usdt_test', 'EventStoreError', 'event_store_lock_lost']])
    expect(lost[0]?.[1].shortMessage).toBe(
      `The lock of strategy usdt_test was lost with its PostgreSQL connection to postgres://${new URL(baseUrl).host}${new URL(baseUrl).pathname}; another process may hold it now.`,
    )
    expect(lost[0]?.[1].details).toBe('terminating connection due to administrator command')
    await lock?.release()
    const other = await open()
    expect(await other.tryLock('usdt_test')).toBeDefined()
  })
})

describe('createEventStore with DATABASE_URL', () => {
  it('opens the PostgreSQL store', async () => {
    const { url, drop } = await freshSchema()
    const store = await createEventStore({ env: { DATABASE_URL: url }, sqliteFile: '/nonexistent/events.sqlite', clock })
    try {
      expect(store.kind).toBe('postgres')
      expect(await store.append([cycleFailed])).toEqual([{ seq: 1, recordedAt: T0, event: cycleFailed }])
    } finally {
      await store.close()
      await drop()
    }
  })

  it('names the server it could not reach, never the credentials', async () => {
    const port = await freePort()
    const error = await rejection(createEventStore({ env: { DATABASE_URL: `postgres://dust:hunter2-s3cret@127.0.0.1:${port}/dust_test?sslmode=disable` }, sqliteFile: '/nonexistent/events.sqlite' }))
    expect(error).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_unavailable',
      shortMessage: `Cannot open the PostgreSQL event store at postgres://127.0.0.1:${port}/dust_test.`,
      details: `connect ECONNREFUSED 127.0.0.1:${port}`,
    })
    expect(inspect(error, { depth: 10 })).not.toContain('hunter2')
  })

  it('refuses credentials the server does not know, without repeating them', async () => {
    const url = new URL(baseUrl)
    url.username = 'no_such_role'
    url.password = 'wrong-s3cret'
    const error = await rejection(createEventStore({ env: { DATABASE_URL: url.href }, sqliteFile: '/nonexistent/events.sqlite' }))
    expect(error).toMatchObject({ name: 'EventStoreError', code: 'event_store_unavailable', shortMessage: `Cannot open the PostgreSQL event store at postgres://${url.host}${url.pathname}.` })
    expect(error.details).toMatch(/^(password authentication failed for user "no_such_role"|role "no_such_role" does not exist)$/)
    expect(inspect(error, { depth: 10 })).not.toContain('wrong-s3cret')
  })

  it('scrubs a password that shows in the driver’s message, and leaves out the cause that holds it', async () => {
    const port = await freePort()
    // The password is a word of the driver's own message, so the message must be scrubbed, not only the URL.
    const error = await rejection(createEventStore({ env: { DATABASE_URL: `postgres://dust:ECONNREFUSED@127.0.0.1:${port}/dust_test` }, sqliteFile: '/nonexistent/events.sqlite' }))
    expect(error).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_unavailable',
      shortMessage: `Cannot open the PostgreSQL event store at postgres://127.0.0.1:${port}/dust_test.`,
      details: `connect [redacted] 127.0.0.1:${port}`,
    })
    expect(error.cause).toBeUndefined()
  })

  it.each([
    ['mysql://root:hunter2@db:3306/dust', 'DATABASE_URL is not a PostgreSQL URL.', 'Expected a postgres:// or postgresql:// URL, found a mysql:// URL.'],
    ['root:hunter2@db/dust', 'DATABASE_URL is not a PostgreSQL URL.', 'Expected a postgres:// or postgresql:// URL, found a value that does not start with scheme://.'],
    ['hunter2 at db', 'DATABASE_URL is not a URL.', 'Expected postgres://user:password@host:port/database (the value is not shown: it may hold a password).'],
  ])('refuses %s without repeating it', async (value, shortMessage, details) => {
    const error = await rejection(createEventStore({ env: { DATABASE_URL: value }, sqliteFile: '/nonexistent/events.sqlite' }))
    expect(error).toMatchObject({ name: 'EventStoreError', code: 'event_store_unavailable', shortMessage, details })
    expect(inspect(error, { depth: 10 })).not.toContain('hunter2')
  })
})
