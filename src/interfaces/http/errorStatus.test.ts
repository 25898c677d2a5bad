import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ERROR_STATUS, errorStatus, isHttpErrorCode } from './errorStatus.js'

describe('errorStatus', () => {
  it('maps every code the API answers with to its status in one place, 500 for any other', () => {
    expect(ERROR_STATUS).toEqual({
      invalid_query: 400,
      invalid_params: 400,
      invalid_request: 400,
      unauthorized: 401,
      not_found: 404,
      unknown_strategy: 404,
      no_snapshot_yet: 404,
      method_not_allowed: 405,
      execution_disabled: 409,
      strategy_locked: 409,
      payload_too_large: 413,
      unsupported_media_type: 415,
      internal_error: 500,
      event_store_unavailable: 503,
      source_unavailable: 503,
      venue_unavailable: 503,
    })
    expect(['invalid_query', 'unauthorized', 'unknown_strategy', 'strategy_locked', 'event_store_unavailable', 'internal_error'].map(errorStatus)).toEqual([400, 401, 404, 409, 503, 500])
    // Codes of the engine and the adapters are not the API's: they are mapped first (toHttpError), else they are internal errors.
    expect(['source_failed', 'event_store_failed', 'something_new', 'toString', '__proto__'].map(errorStatus)).toEqual([500, 500, 500, 500, 500])
    expect(isHttpErrorCode('constructor')).toBe(false)
  })
})

describe('the README', () => {
  it('lists every code the API answers with, and its status, in the HTTP API section', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('**HTTP API**'), readme.indexOf('**Metrics**'))
    const listed = Object.fromEntries([...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1], Number(match[2])]))
    expect(listed).toEqual(ERROR_STATUS)
  })
})
