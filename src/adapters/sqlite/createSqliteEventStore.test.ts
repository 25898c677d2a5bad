import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DustEvent } from '../../domain/events.js'
import type { EventStore } from '../../ports/index.js'
import { createEventStore } from '../../app/createEventStore.js'
import { describeEventStoreContract } from '../../../test/eventStoreContract.js'
import { MIGRATIONS, pendingMigrations } from '../store/index.js'
import { createSqliteEventStore } from './createSqliteEventStore.js'
import { instructionJson } from '../../../test/fixtureInstructionJson.js'

describeEventStoreContract('createSqliteEventStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dust-store-'))
  // Folders that do not exist yet: the store creates them.
  const file = join(dir, 'state', 'events.sqlite')
  return {
    open: (options = {}) => createSqliteEventStore({ file, ...options }),
    location: { env: {}, sqliteFile: file },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

const T0 = Date.UTC(2025, 8, 26, 12, 0, 0)
const clock = { now: () => T0, sleep: async () => undefined }
const cycleFailed: DustEvent = { event_type: 'dust_cycle_failed', strategy_mode: 'usdt_test', timestamp: T0, error: 'SourceError', code: 'source_failed', message: 'Wallet did not answer.' }

describe('createSqliteEventStore', () => {
  let dir: string
  let file: string
  const stores: EventStore[] = []
  const open = async (parameters: Partial<Parameters<typeof createSqliteEventStore>[0]> = {}) => {
    const store = await createSqliteEventStore({ file, clock, ...parameters })
    stores.push(store)
    return store
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dust-store-'))
    file = join(dir, 'data', 'events.sqlite')
  })

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()))
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes a WAL-mode file with the events as JSON text, their filter columns and the migrations applied', async () => {
    const store = await open()
    const planned: DustEvent = {
      event_type: 'conversion_state_changed',
      strategy_mode: 'usdt_test',
      timestamp: T0,
      conversion_id: 'usdt_test:EIGEN:binance:1758888000000',
      token: 'EIGEN',
      venue: 'binance',
      state: 'planned',
      step: 0,
      instruction: instructionJson({ amount: '152.37', venue: 'binance', conversion_id: 'usdt_test:EIGEN:binance:1758888000000' }),
    }
    await store.append([cycleFailed, planned])
    const raw = new Database(file, { readonly: true })
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(raw.prepare('SELECT * FROM events ORDER BY seq').all()).toEqual([
        { seq: 1, recorded_at: T0, strategy_mode: 'usdt_test', event_type: 'dust_cycle_failed', conversion_id: null, payload: JSON.stringify(cycleFailed) },
        { seq: 2, recorded_at: T0, strategy_mode: 'usdt_test', event_type: 'conversion_state_changed', conversion_id: 'usdt_test:EIGEN:binance:1758888000000', payload: JSON.stringify(planned) },
      ])
      expect(raw.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).toEqual([
        { version: 1, name: 'events and conversions', applied_at: T0 },
        { version: 2, name: 'token discovery', applied_at: T0 },
        { version: 3, name: 'worker leases', applied_at: T0 },
      ])
      expect(raw.prepare('SELECT id, state, refs, created_seq FROM conversions').all()).toEqual([{ id: 'usdt_test:EIGEN:binance:1758888000000', state: 'planned', refs: '[]', created_seq: 2 }])
    } finally {
      raw.close()
    }
  })

  it('refuses a file that is not a SQLite database, naming the file', async () => {
    mkdirSync(join(dir, 'data'))
    writeFileSync(file, 'seq,event\n1,dust_checked\n'.repeat(100))
    await expect(open()).rejects.toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_unavailable',
      shortMessage: `Cannot open the SQLite event store at ${file}.`,
      details: 'file is not a database',
    })
  })

  it('refuses a file it cannot create, naming it', async () => {
    writeFileSync(join(dir, 'data'), 'a file where the folder should be')
    await expect(open()).rejects.toMatchObject({ name: 'EventStoreError', code: 'event_store_unavailable', shortMessage: `Cannot open the SQLite event store at ${file}.` })
  })

  it('fails an append that waits longer than the busy timeout for another writer, and writes nothing of it', async () => {
    const store = await open({ busyTimeoutMs: 50 })
    const writer = new Database(file)
    try {
      writer.exec('BEGIN IMMEDIATE')
      await expect(store.append([cycleFailed])).rejects.toMatchObject({
        name: 'EventStoreError',
        code: 'event_store_failed',
        shortMessage: `Cannot append to the SQLite event store at ${file}; nothing of the batch was written.`,
        details: 'database is locked',
      })
      writer.exec('COMMIT')
    } finally {
      writer.close()
    }
    expect((await store.append([cycleFailed])).map((stored) => stored.seq)).toEqual([1])
  })

  it('keeps the strategy locks beside the database, one file each, found by every path to it', async () => {
    const store = await open()
    const lock = await store.tryLock('usdt/test mode')
    expect(lock).toBeDefined()
    expect(readdirSync(`${file}.locks`)).toEqual(['usdt_test_mode-bc6b8c0ead5d49be.lock'])
    symlinkSync(join(dir, 'data'), join(dir, 'alias'))
    const throughAlias = await open({ file: join(dir, 'alias', 'events.sqlite') })
    expect(await throughAlias.tryLock('usdt/test mode')).toBeUndefined()
    await lock?.release()
    expect(await throughAlias.tryLock('usdt/test mode')).toBeDefined()
  })

  it('says where a lock could not be taken', async () => {
    const store = await open()
    writeFileSync(`${file}.locks`, 'a file where the lock folder should be')
    await expect(store.tryLock('usdt_test')).rejects.toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_failed',
      shortMessage: `Cannot take the lock of strategy usdt_test in ${file}.locks.`,
    })
  })
})

describe('createEventStore without DATABASE_URL', () => {
  it.each([{}, { DATABASE_URL: '' }, { DATABASE_URL: '  ' }])('opens the SQLite store at the file (env %j)', async (env) => {
    const dir = mkdtempSync(join(tmpdir(), 'dust-store-'))
    try {
      const store = await createEventStore({ env, sqliteFile: join(dir, 'events.sqlite'), clock })
      expect(store.kind).toBe('sqlite')
      expect((await store.append([cycleFailed]))[0]).toEqual({ seq: 1, recordedAt: T0, event: cycleFailed })
      await store.close()
      expect(readdirSync(dir).filter((name) => name.endsWith('.sqlite'))).toEqual(['events.sqlite'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('pendingMigrations', () => {
  it('picks the migrations a database has not had', () => {
    expect(pendingMigrations({ applied: [], migrations: MIGRATIONS, database: 'events.sqlite' }).map((migration) => migration.version)).toEqual([1, 2, 3])
    expect(pendingMigrations({ applied: [1], migrations: MIGRATIONS, database: 'events.sqlite' }).map((migration) => migration.name)).toEqual(['token discovery', 'worker leases'])
    expect(pendingMigrations({ applied: [1, 2, 3], migrations: MIGRATIONS, database: 'events.sqlite' })).toEqual([])
  })

  it('refuses a list whose versions are not 1, 2, 3, ...', () => {
    const statements = { sqlite: [], postgres: [] }
    expect(() =>
      pendingMigrations({
        applied: [],
        migrations: [
          { version: 1, name: 'first', statements },
          { version: 3, name: 'third', statements },
        ],
        database: 'events.sqlite',
      }),
    ).toThrow('The schema migrations are out of order.\nExpected version 2 at position 2, found version 3 (third).')
  })

  it('refuses a database migrated by newer code', () => {
    expect(() => pendingMigrations({ applied: [1, 2, 3, 4], migrations: MIGRATIONS, database: 'events.sqlite' })).toThrow(
      'The event store at events.sqlite has schema version 4, newer than this code knows (3).\nA newer release migrated it. Run that release, or restore the backup made before the upgrade; nothing was changed.',
    )
  })
})
