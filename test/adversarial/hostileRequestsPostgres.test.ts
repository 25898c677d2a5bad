import { closeSync, openSync, readFileSync } from 'node:fs'
import { type Server, type Socket, connect, createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/adapters/prometheus/createMetrics.js'
import { createPostgresEventStore } from '../../src/adapters/postgres/createPostgresEventStore.js'
import { createLogger } from '../../src/adapters/system/createLogger.js'
import { createDustManager } from '../../src/engine/createDustManager.js'
import { type HttpServer, createHttpServer } from '../../src/interfaces/http/createHttpServer.js'
import type { EventStore } from '../../src/ports/index.js'
import { cliTempDir } from '../cliIo.js'
import { createTestStrategy } from '../createTestStrategy.js'
import { type TestDatabase, createTestDatabase } from '../createTestDatabase.js'
import { fixtureClock } from '../fixtureMoney.js'

const TOKEN = 'CANARY-pg-api-token-4c1d9e7a'
const LATER = 'Try again later; the server log has the cause.'
const bearer = { authorization: `Bearer ${TOKEN}` }

/** A TCP relay to the database that can be cut: afterwards its port is a dead one. */
type Relay = { readonly port: number; cut(): Promise<void> }

function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
    }
    client.pipe(upstream).pipe(client)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (typeof address !== 'object' || !address) return reject(new Error('No port was assigned.'))
      resolve({
        port: address.port,
        cut: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            for (const socket of sockets) socket.destroy()
          }),
      })
    })
  })
}

// A database of this file's own on the run's PostgreSQL server (test/globalSetupPostgres.ts:
// DATABASE_URL, else a throwaway one), reached through a relay that the tests cut.
let database: TestDatabase | undefined
let relay: Relay
let relayedUrl = ''
let password = ''
let store: EventStore
let api: HttpServer
let temp: Awaited<ReturnType<typeof cliTempDir>>
let logFile = ''
let logFd: number | undefined

beforeAll(async () => {
  database = await createTestDatabase('dust_hostile')
  const base = new URL(database.url)
  password = decodeURIComponent(base.password)
  relay = await startRelay({ host: base.hostname, port: Number(base.port || 5432) })
  const relayed = new URL(database.url)
  relayed.host = `127.0.0.1:${relay.port}`
  relayedUrl = relayed.href

  temp = await cliTempDir()
  logFile = `${temp.dir}/server.log`
  logFd = openSync(logFile, 'w')
  const logger = createLogger({ level: 'debug', destination: logFd })
  // The clock the test strategy's static prices are stamped with, so that they are fresh.
  const clock = fixtureClock()
  store = await createPostgresEventStore({ url: relayedUrl, clock, connectTimeoutMs: 2_000 })
  const strategies = [createTestStrategy({ edit: (config) => void (config.execution = { mode: 'paper' }) })]
  const metrics = createMetrics({ strategies })
  const manager = createDustManager({ strategies, clock, logger, execute: true, store })
  manager.subscribe('*', metrics.observe)
  api = createHttpServer({ manager, strategies, eventStore: store, metrics, token: TOKEN, executeLive: false, secrets: [relayedUrl, password], logger })
}, 120_000)

afterAll(async () => {
  await api?.close()
  await store?.close()
  await database?.drop()
  if (logFd !== undefined) closeSync(logFd)
  await temp?.cleanup()
})

describe('the API on PostgreSQL, when the database goes away (dead port)', () => {
  it('answers while the database is up', async () => {
    expect((await api.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true, store: 'postgres', strategies: 1 })
    const scan = await api.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: bearer })
    expect(scan.statusCode).toBe(200)
    expect((await api.inject({ method: 'GET', url: '/events' })).json().events.map((stored: { event: { event_type: string } }) => stored.event.event_type)).toEqual(['dust_checked', 'dust_detected'])
  })

  it.each([
    ['GET', '/events?limit=10', `The event store is unavailable. ${LATER}`],
    ['GET', '/conversions?open=true', `The event store is unavailable. ${LATER}`],
    ['GET', '/health', `The postgres event store cannot be read. ${LATER}`],
    ['POST', '/strategies/usdt_test/scan', `The event store is unavailable. ${LATER}`],
    ['POST', '/strategies/usdt_test/convert', `The event store is unavailable. ${LATER}`],
  ])('answers %s %s with 503 event_store_unavailable, naming no host, port, database, user or password', async (method, url, message) => {
    // The database goes away at the first of these (cutting again does nothing): its port is dead from then on.
    await relay.cut()
    const response = await api.inject({ method: method as 'GET' | 'POST', url, headers: bearer })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ error: { code: 'event_store_unavailable', message } })
    const text = `${response.body}${JSON.stringify(response.headers)}`
    for (const part of ['127.0.0.1', String(relay.port), database?.name ?? 'dust_hostile', 'dust:', password, TOKEN, 'postgres://']) expect(text).not.toContain(part)
  })

  it('logs each failure in full with its cause, and never the password nor the token', () => {
    const log = readFileSync(logFile, 'utf8')
    const failed = log
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { msg: string; code?: string; error?: { message: string } })
      .filter((line) => line.msg === 'HTTP request failed')
    expect(failed.map((line) => line.code)).toEqual(['event_store_unavailable', 'event_store_unavailable', 'event_store_unavailable', 'event_store_unavailable', 'event_store_unavailable'])
    // The operator's log says where and why; the client's answer did not.
    expect(failed[0]?.error?.message).toContain(`127.0.0.1:${relay.port}`)
    expect(log).not.toContain(password)
    expect(log).not.toContain(TOKEN)
  })

  it('converted nothing and recorded no secret', async () => {
    const direct = await createPostgresEventStore({ url: database?.url ?? '' })
    try {
      expect(await direct.conversions()).toEqual([])
      const events = JSON.stringify(await direct.read())
      expect(events).not.toContain(password)
      expect(events).not.toContain(TOKEN)
    } finally {
      await direct.close()
    }
  })
})
