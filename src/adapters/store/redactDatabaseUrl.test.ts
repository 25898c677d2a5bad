import { describe, expect, it } from 'vitest'
import { redactDatabaseUrl } from './redactDatabaseUrl.js'

describe('redactDatabaseUrl', () => {
  it('keeps the scheme, host, port and database, and drops the credentials and parameters', () => {
    expect(redactDatabaseUrl('postgres://dust:hunter2@db:5432/dust?sslmode=require&password=hunter2')).toBe('postgres://db:5432/dust')
  })

  it('names a value that is not a URL without echoing it', () => {
    expect(redactDatabaseUrl('hunter2 at db')).toBe('(an unreadable database URL)')
  })
})
