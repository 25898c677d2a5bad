import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from './createLogger.js'

let dir: string
let file: string
let fd: number

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dust-logger-'))
  file = join(dir, 'log.jsonl')
  fd = openSync(file, 'w')
})

afterEach(() => {
  closeSync(fd)
  rmSync(dir, { recursive: true, force: true })
})

function lines(): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('createLogger', () => {
  it('writes one JSON line per entry to the given file descriptor, fields first, without pid or hostname', () => {
    const logger = createLogger({ level: 'info', destination: fd })
    logger.info({ strategy: 'usdt_test', instructions: 2 }, 'Dust above threshold')
    logger.error({ strategy: 'usdt_test' }, 'Dust cycle failed')
    const [info, error] = lines()
    expect(info).toMatchObject({ level: 30, strategy: 'usdt_test', instructions: 2, msg: 'Dust above threshold' })
    expect(typeof info?.time).toBe('number')
    expect(info).not.toHaveProperty('pid')
    expect(info).not.toHaveProperty('hostname')
    expect(error).toMatchObject({ level: 50, strategy: 'usdt_test', msg: 'Dust cycle failed' })
  })

  it('redacts secrets at the top level and one level down', () => {
    const logger = createLogger({ level: 'info', destination: fd })
    logger.warn({ secret: 'top-secret', password: 'pw', venue: { secret: 'nested-secret', apiKey: 'key-1', api_key: 'key-2' }, wallet: { private_key: '0xabc', privateKey: '0xdef' } }, 'connecting')
    const [entry] = lines()
    expect(entry).toMatchObject({
      secret: '[redacted]',
      password: '[redacted]',
      venue: { secret: '[redacted]', apiKey: '[redacted]', api_key: '[redacted]' },
      wallet: { private_key: '[redacted]', privateKey: '[redacted]' },
      msg: 'connecting',
    })
    const text = readFileSync(file, 'utf8')
    for (const secret of ['top-secret', 'pw"', 'nested-secret', 'key-1', 'key-2', '0xabc', '0xdef']) expect(text).not.toContain(secret)
  })

  it('writes to stderr when no destination is given', () => {
    const logger = createLogger({ level: 'silent' })
    expect(() => logger.error({ secret: 'x' }, 'nothing to see')).not.toThrow()
    expect(lines()).toEqual([])
  })

  it('writes nothing under its level, and nothing at all when silent', () => {
    const warnOnly = createLogger({ level: 'warn', destination: fd })
    warnOnly.debug({}, 'debug')
    warnOnly.info({}, 'info')
    warnOnly.warn({}, 'warn')
    const silent = createLogger({ level: 'silent', destination: fd })
    silent.error({}, 'error')
    expect(lines().map((entry) => entry.msg)).toEqual(['warn'])
  })

  it.each(['verbose', 'constructor', 'toString'])('refuses the level %s, naming the levels it knows', (level) => {
    expect(() => createLogger({ level, destination: fd })).toThrow(
      expect.objectContaining({ name: 'BaseError', shortMessage: `The log level must be one of debug, info, warn, error, silent, was ${level}.` }),
    )
  })

  it('keeps every known secret out of the written line, in messages, fields and error causes', () => {
    const token = 'canary-token-7f3a9c1e'
    const rpcKey = 'k3yInTheRpcPath0123456789'
    const logger = createLogger({ level: 'info', destination: fd, secrets: [token, rpcKey, 'short'] })
    const cause = new Error(`HTTP request failed. URL: https://node.example/v3/${rpcKey}`)
    logger.error({ err: new Error(`Source failed with ${token}`, { cause }), header: `Bearer ${token}`, quoted: `"${token}"` }, `Read of https://node.example/v3/${rpcKey} failed`)
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(token)
    expect(text).not.toContain(rpcKey)
    const [line] = lines()
    expect(line).toMatchObject({ header: 'Bearer [redacted]', quoted: '"[redacted]"', msg: 'Read of https://node.example/v3/[redacted] failed' })
    // Under MIN_SECRET_LENGTH: left as it is rather than garbling every line.
    logger.info({ word: 'short' }, 'kept')
    expect(lines()[1]).toMatchObject({ word: 'short' })
  })
})
