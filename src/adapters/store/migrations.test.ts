import { describe, expect, it } from 'vitest'
import { EventStoreError } from './EventStoreError.js'
import { MIGRATIONS, type Migration, pendingMigrations } from './migrations.js'

const statements = { sqlite: [], postgres: [] }
const THREE: readonly Migration[] = [
  { version: 1, name: 'events', statements },
  { version: 2, name: 'conversions', statements },
  { version: 3, name: 'indexes', statements },
]

describe('MIGRATIONS', () => {
  it('numbers its steps 1, 2, 3, ... with as many statements in each dialect', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1))
    for (const migration of MIGRATIONS) expect(migration.statements.postgres).toHaveLength(migration.statements.sqlite.length)
  })
})

describe('pendingMigrations', () => {
  it('returns every step, oldest first, for a new database', () => {
    expect(pendingMigrations({ applied: [], migrations: THREE, database: 'events.sqlite' }).map((migration) => migration.name)).toEqual(['events', 'conversions', 'indexes'])
  })

  it('returns only the steps not yet applied, in order, even after a gap', () => {
    expect(pendingMigrations({ applied: [2], migrations: THREE, database: 'events.sqlite' }).map((migration) => migration.version)).toEqual([1, 3])
    expect(pendingMigrations({ applied: [1, 2, 3], migrations: THREE, database: 'events.sqlite' })).toEqual([])
  })

  it('refuses a database migrated by newer code, naming it and both versions', () => {
    let caught: unknown
    try {
      pendingMigrations({ applied: [1, 2, 3, 4], migrations: THREE, database: 'postgres://db:5432/dust' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(EventStoreError)
    expect(caught).toMatchObject({
      code: 'event_store_schema_too_new',
      shortMessage: 'The event store at postgres://db:5432/dust has schema version 4, newer than this code knows (3).',
      details: 'A newer release migrated it. Run that release, or restore the backup made before the upgrade; nothing was changed.',
    })
  })

  it('refuses a list that does not start at version 1', () => {
    expect(() => pendingMigrations({ applied: [], migrations: [{ version: 2, name: 'second', statements }], database: 'events.sqlite' })).toThrow(
      'The schema migrations are out of order.\nExpected version 1 at position 1, found version 2 (second).',
    )
  })
})
