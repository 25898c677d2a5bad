import { describe, expect, it } from 'vitest'
import { BaseError } from './index.js'
import { REDACTED, redactSecrets } from './redactSecrets.js'

describe('redactSecrets', () => {
  it('replaces each secret in a text as it is, escaped in JSON and percent-encoded, the longest first', () => {
    const password = 'pa"ss/w:rd'
    const url = `postgres://dust:${password}@db:5432/dust`
    expect(redactSecrets(`at ${url} (${password})`, [password, url])).toBe(`at ${REDACTED} (${REDACTED})`)
    expect(redactSecrets(JSON.stringify({ message: `with ${password}` }), [password])).toBe(`{"message":"with ${REDACTED}"}`)
    expect(redactSecrets(`?p=${encodeURIComponent(password)}`, [password])).toBe(`?p=${REDACTED}`)
  })

  it('leaves secrets shorter than six characters, which would garble every text', () => {
    expect(redactSecrets('dust dust', ['dust', 'ust d'])).toBe('dust dust')
    expect(redactSecrets('abcdef', ['abcdef'])).toBe(REDACTED)
  })

  it('writes errors out field by field with their causes, and walks objects and lists, secrets out', () => {
    const secret = 'token-0123456789'
    const cause = new Error(`refused ${secret}`)
    const error = new BaseError(`Failed with ${secret}.`, { code: 'internal_error', details: `Saw ${secret}.`, cause })
    const redacted = redactSecrets({ err: error, list: [secret, 1, 2n, null], [secret]: true }, [secret]) as Record<string, unknown>
    expect(redacted).toMatchObject({
      err: { type: 'BaseError', message: `Failed with ${REDACTED}.\nSaw ${REDACTED}.`, code: 'internal_error', details: `Saw ${REDACTED}.`, cause: { type: 'Error', message: `refused ${REDACTED}` } },
      list: [REDACTED, 1, '2', null],
      [REDACTED]: true,
    })
    expect(JSON.stringify(redacted)).not.toContain(secret)
    expect((redacted.err as { stack: string }).stack).toContain('BaseError: Failed with [redacted].')
  })

  it('stops at a cycle, not at an object met twice side by side', () => {
    const node: Record<string, unknown> = { name: 'a' }
    node.self = node
    expect(redactSecrets(node, [])).toEqual({ name: 'a', self: '[not shown]' })
    const shared = { name: 'b' }
    expect(redactSecrets({ left: shared, right: shared }, [])).toEqual({ left: { name: 'b' }, right: { name: 'b' } })
  })
})
