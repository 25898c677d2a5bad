import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../../test/createMemoryEventStore.js'
import { type TestConfigInput, createTestStrategy } from '../../../test/createTestStrategy.js'
import { createDeferred, createFailingEquitySource, createFakeClock, createRecordingLogger } from '../../../test/fakePorts.js'
import { instructionJson } from '../../../test/fixtureInstructionJson.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { createMetrics } from '../../adapters/prometheus/createMetrics.js'
import { serializeSnapshot } from '../../domain/dust/index.js'
import type { DustEvent } from '../../domain/events.js'
import { createDustManager } from '../../engine/createDustManager.js'
import type { Strategy } from '../../engine/Strategy.js'
import type { EventStore, ExecutionManager } from '../../ports/index.js'
import { EventStoreError } from '../../adapters/store/index.js'
import { type HttpServer, createHttpServer } from './createHttpServer.js'

const TOKEN = 'test-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}` }

const paper = (config: TestConfigInput) => {
  config.execution = { mode: 'paper' }
}
const dryRun = (config: TestConfigInput) => {
  config.mode = 'usdt_dry'
  config.dust_monitoring_interval = '60'
}

const servers: HttpServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** An execution manager that records what it was asked to execute and fills it as quoted. */
function countingExecutor(): ExecutionManager & { executed: string[] } {
  const executed: string[] = []
  return {
    name: 'counting',
    executed,
    async execute(instruction) {
      executed.push(instruction.conversionId)
      return { status: 'converted', amountIn: instruction.amount, output: instruction.estimatedOutput, fees: instruction.estimatedFees }
    },
  }
}

function setup(options: { strategies?: Strategy[]; token?: string | undefined; eventStore?: EventStore; execute?: boolean; executeLive?: boolean; secrets?: string[] } = {}) {
  const strategies = options.strategies ?? [createTestStrategy({ edit: paper }), createTestStrategy({ edit: dryRun })]
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const eventStore = options.eventStore ?? createMemoryEventStore({ now: clock.now })
  // `dust serve` builds its manager with execute: true, for its monitor loops.
  const manager = createDustManager({ strategies, clock, logger, store: eventStore, execute: options.execute })
  const metrics = createMetrics({ strategies })
  manager.subscribe('*', metrics.observe)
  const server = createHttpServer({
    manager,
    strategies,
    eventStore,
    metrics,
    token: 'token' in options ? options.token : TOKEN,
    executeLive: options.executeLive,
    secrets: options.secrets,
    logger,
  })
  servers.push(server)
  return { server, manager, eventStore, logger, strategies }
}

function stateChanged(id: string, state: Extract<DustEvent, { event_type: 'conversion_state_changed' }>['state'], extra: Partial<DustEvent> = {}): DustEvent {
  return { event_type: 'conversion_state_changed', strategy_mode: 'usdt_test', timestamp: FIXED_TIME, conversion_id: id, token: 'EIGEN', venue: 'binance', state, step: 0, ...extra } as DustEvent
}

describe('createHttpServer', () => {
  it('answers /health with the store kind and the number of strategies, and 503 without the cause when the store cannot be read', async () => {
    const { server } = setup()
    const ok = await server.inject({ method: 'GET', url: '/health' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ ok: true, store: 'sqlite', strategies: 2 })

    const store = createMemoryEventStore({ kind: 'postgres' })
    const broken = setup({ eventStore: { ...store, read: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5432')) } })
    const down = await broken.server.inject({ method: 'GET', url: '/health' })
    expect(down.statusCode).toBe(503)
    expect(down.json()).toEqual({ error: { code: 'event_store_unavailable', message: 'The postgres event store cannot be read. Try again later; the server log has the cause.' } })
    // The cause is in the server's log, not in the answer.
    const [logged] = broken.logger.at('error')
    expect([logged?.message, logged?.fields.code, logged?.fields.status, logged?.fields.route]).toEqual(['HTTP request failed', 'event_store_unavailable', 503, '/health'])
    expect(logged?.fields.error).toMatchObject({ type: 'HttpError', cause: { type: 'Error', message: 'connect ECONNREFUSED 10.0.0.7:5432' } })
  })

  it('lists the strategies, with their last ratio once a cycle has measured it', async () => {
    const { server, manager } = setup()
    const before = await server.inject({ method: 'GET', url: '/strategies' })
    expect(before.json()).toEqual({
      strategies: [
        { mode: 'usdt_test', share_class: 'USDT', execution_mode: 'paper', dust_monitoring_interval: 300, dust_ratio: null, exceeds_threshold: null, checked_at: null },
        { mode: 'usdt_dry', share_class: 'USDT', execution_mode: 'dry-run', dust_monitoring_interval: 60, dust_ratio: null, exceeds_threshold: null, checked_at: null },
      ],
    })
    await manager.runCycle('usdt_test')
    const after = await server.inject({ method: 'GET', url: '/strategies' })
    expect(after.json().strategies[0]).toMatchObject({ mode: 'usdt_test', dust_ratio: '0.00266', exceeds_threshold: true, checked_at: FIXED_TIME })
    expect(after.json().strategies[1]).toMatchObject({ mode: 'usdt_dry', dust_ratio: null })
  })

  it('serves the last snapshot as the seed JSON; 404 for an unknown strategy or before the first cycle', async () => {
    const { server, manager } = setup()
    const unknown = await server.inject({ method: 'GET', url: '/strategies/nope/snapshot' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({ error: { code: 'unknown_strategy', message: 'No strategy "nope".\nExpected one of: usdt_test, usdt_dry.' } })

    const early = await server.inject({ method: 'GET', url: '/strategies/usdt_test/snapshot' })
    expect(early.statusCode).toBe(404)
    expect(early.json()).toEqual({ error: { code: 'no_snapshot_yet', message: 'Strategy usdt_test has no snapshot yet.\nIts first cycle has not finished.' } })

    await manager.runOnce()
    const response = await server.inject({ method: 'GET', url: '/strategies/usdt_test/snapshot' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    const lastSnapshot = manager.lastSnapshot('usdt_test')
    if (!lastSnapshot) throw new Error('no snapshot after a cycle')
    expect(response.json()).toEqual(serializeSnapshot(lastSnapshot))
    expect(response.json()).toMatchObject({
      strategy_mode: 'usdt_test',
      share_class: 'USDT',
      total_dust_value: '2660',
      equity: '1000000',
      dust_ratio: '0.00266',
      dust_delta: '0.002',
      exceeds_threshold: true,
      dust_tokens: [
        { token: 'EIGEN', amount: '1500', value: '1875', venue: 'etherfi', source: 'claimable_rewards' },
        { token: 'EIGEN', amount: '20', value: '25', venue: 'wallet', source: 'wallet_balance' },
        { token: 'ETHFI', amount: '800', value: '760', venue: 'wallet', source: 'wallet_balance' },
      ],
    })
  })

  it('serves a snapshot the manager took before the server existed', async () => {
    const strategies = [createTestStrategy()]
    const clock = createFakeClock()
    const manager = createDustManager({ strategies, clock, logger: createRecordingLogger() })
    await manager.runOnce()
    const server = createHttpServer({ manager, strategies, eventStore: createMemoryEventStore(), metrics: createMetrics() })
    servers.push(server)
    const response = await server.inject({ method: 'GET', url: '/strategies/usdt_test/snapshot' })
    expect(response.json()).toMatchObject({ total_dust_value: '2660', timestamp: FIXED_TIME })
  })

  it('pages through the events of the store, filtered by strategy', async () => {
    const { server, manager } = setup()
    await manager.runOnce()
    const all = await server.inject({ method: 'GET', url: '/events' })
    expect(all.statusCode).toBe(200)
    const body = all.json()
    // The two cycles ran side by side; each recorded dust_checked then dust_detected.
    expect(body.events.map((stored: { seq: number }) => stored.seq)).toEqual([1, 2, 3, 4])
    expect(body.events.map((stored: { event: DustEvent }) => [stored.event.strategy_mode, stored.event.event_type]).sort()).toEqual([
      ['usdt_dry', 'dust_checked'],
      ['usdt_dry', 'dust_detected'],
      ['usdt_test', 'dust_checked'],
      ['usdt_test', 'dust_detected'],
    ])
    expect(body.events[0]).toMatchObject({ seq: 1, recorded_at: FIXED_TIME })
    expect(body.next_since).toBe(4)

    const page = await server.inject({ method: 'GET', url: '/events?since=1&limit=2' })
    expect(page.json().events.map((stored: { seq: number }) => stored.seq)).toEqual([2, 3])
    expect(page.json().next_since).toBe(3)
    const end = await server.inject({ method: 'GET', url: '/events?since=4' })
    expect(end.json()).toEqual({ events: [], next_since: 4 })

    const dry = await server.inject({ method: 'GET', url: '/events?strategy=usdt_dry' })
    expect(dry.json().events.map((stored: { event: DustEvent }) => [stored.event.strategy_mode, stored.event.event_type])).toEqual([
      ['usdt_dry', 'dust_checked'],
      ['usdt_dry', 'dust_detected'],
    ])
  })

  it('reads the newest events first with last, and pages back with before until prev_before is null', async () => {
    const { server, eventStore } = setup()
    await eventStore.append(
      Array.from(
        { length: 5 },
        (_, index): DustEvent => ({
          event_type: 'dust_warning',
          strategy_mode: index % 2 === 0 ? 'usdt_test' : 'usdt_dry',
          timestamp: FIXED_TIME + index,
          code: 'source_failed',
          message: `warning ${index + 1}`,
        }),
      ),
    )
    const seqs = (body: { events: Array<{ seq: number }> }) => body.events.map((stored) => stored.seq)
    const tail = (await server.inject({ method: 'GET', url: '/events?last=2' })).json()
    expect({ seqs: seqs(tail), next_since: tail.next_since, prev_before: tail.prev_before }).toEqual({ seqs: [4, 5], next_since: 5, prev_before: 4 })
    const back = (await server.inject({ method: 'GET', url: `/events?last=2&before=${tail.prev_before}` })).json()
    expect({ seqs: seqs(back), next_since: back.next_since, prev_before: back.prev_before }).toEqual({ seqs: [2, 3], next_since: 3, prev_before: 2 })
    const first = (await server.inject({ method: 'GET', url: `/events?last=2&before=${back.prev_before}` })).json()
    expect({ seqs: seqs(first), prev_before: first.prev_before }).toEqual({ seqs: [1], prev_before: null })
    const test = (await server.inject({ method: 'GET', url: '/events?last=10&strategy=usdt_test' })).json()
    expect({ seqs: seqs(test), prev_before: test.prev_before }).toEqual({ seqs: [1, 3, 5], prev_before: null })
    // Without last, the answer has no prev_before, as before.
    expect((await server.inject({ method: 'GET', url: '/events?before=3' })).json()).toMatchObject({ next_since: 2 })
    expect(Object.keys((await server.inject({ method: 'GET', url: '/events?before=3' })).json())).toEqual(['events', 'next_since'])
  })

  it.each([
    ['/events?limit=0', 'Invalid query: limit: expected an integer from 1 to 1000, found "0".'],
    ['/events?limit=1001', 'Invalid query: limit: expected an integer from 1 to 1000, found "1001".'],
    ['/events?since=-1', 'Invalid query: since: expected an integer from 0 to 9007199254740991, found "-1".'],
    ['/events?since=9007199254740992', 'Invalid query: since: expected an integer from 0 to 9007199254740991, found "9007199254740992".'],
    ['/events?since=abc&limit=x', 'Invalid query: since: expected an integer from 0 to 9007199254740991, found "abc"; limit: expected an integer from 1 to 1000, found "x".'],
    ['/events?since=1&since=2', 'Invalid query: since: expected an integer from 0 to 9007199254740991, found a list of 2.'],
    ['/events?strategy=', 'Invalid query: strategy: expected a strategy mode (1 to 64 lower-case letters, digits and "_"), found "".'],
    ['/events?limt=5', 'Invalid query: limt: expected one of since, before, limit, last, strategy, found an unknown parameter.'],
    ['/events?last=0', 'Invalid query: last: expected an integer from 1 to 1000, found "0".'],
    ['/events?before=1.5', 'Invalid query: before: expected an integer from 0 to 9007199254740991, found "1.5".'],
    ['/events?limit=5&last=5', 'Invalid query: limit, last: expected one of them (limit reads the oldest events after since, last the newest), found both.'],
    ['/conversions?open=yes', 'Invalid query: open: expected "true" or "false", found "yes".'],
    ['/strategies?verbose=1', 'Invalid query: verbose: expected no query parameter, found an unknown parameter.'],
  ])('refuses %s with invalid_query, naming the field, what was expected and what was found', async (url, message) => {
    const { server } = setup()
    const response = await server.inject({ method: 'GET', url })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: { code: 'invalid_query', message } })
  })

  it('lists conversions as the store projects them, open or all, by strategy', async () => {
    const { server, eventStore } = setup()
    await eventStore.append([
      stateChanged('c1', 'planned', { instruction: instructionJson({ conversion_id: 'c1' }) }),
      stateChanged('c1', 'submitted', { reference: 'order-1' }),
      stateChanged('c2', 'planned', { instruction: instructionJson({ conversion_id: 'c2', amount: '5' }) }),
      stateChanged('c2', 'failed', { detail: 'insufficient balance' }),
      stateChanged('c3', 'planned', { strategy_mode: 'usdt_dry', instruction: instructionJson({ conversion_id: 'c3', amount: '7' }) }),
    ])
    const open = await server.inject({ method: 'GET', url: '/conversions?strategy=usdt_test&open=true' })
    expect(open.json()).toEqual({
      conversions: [
        {
          id: 'c1',
          strategy_mode: 'usdt_test',
          token: 'EIGEN',
          venue: 'binance',
          state: 'submitted',
          step: 0,
          references: ['order-1'],
          instruction: instructionJson({ conversion_id: 'c1' }),
          created_at: FIXED_TIME,
          updated_at: FIXED_TIME,
        },
      ],
    })
    const closed = await server.inject({ method: 'GET', url: '/conversions?open=false' })
    expect(closed.json().conversions.map((record: { id: string; state: string; detail?: string }) => [record.id, record.state, record.detail])).toEqual([['c2', 'failed', 'insufficient balance']])
    const all = await server.inject({ method: 'GET', url: '/conversions' })
    expect(all.json().conversions.map((record: { id: string }) => record.id)).toEqual(['c1', 'c2', 'c3'])
  })

  it('serves the metrics in the Prometheus text format', async () => {
    const { server, manager } = setup()
    await manager.runCycle('usdt_test')
    const response = await server.inject({ method: 'GET', url: '/metrics' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(response.body).toContain('dust_ratio{strategy="usdt_test"} 0.00266\n')
    expect(response.body).toContain('dust_threshold{strategy="usdt_test"} 0.002\n')
  })

  it('answers unknown routes with not_found', async () => {
    const { server } = setup()
    const response = await server.inject({ method: 'GET', url: '/nope?x=1' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /nope.' } })
  })

  it('answers a method a known path does not take with 405 method_not_allowed and the Allow header', async () => {
    const { server } = setup()
    const events = await server.inject({ method: 'DELETE', url: '/events' })
    expect(events.statusCode).toBe(405)
    expect(events.headers.allow).toBe('GET, HEAD')
    expect(events.json()).toEqual({ error: { code: 'method_not_allowed', message: 'Method DELETE is not allowed on /events.\nExpected one of: GET, HEAD.' } })
    const scan = await server.inject({ method: 'GET', url: '/strategies/usdt_test/scan', headers: auth })
    expect(scan.statusCode).toBe(405)
    expect(scan.headers.allow).toBe('POST')
  })

  it('answers an unexpected error with 500 internal_error and a generic message, and logs it in full with the secrets out', async () => {
    const store = createMemoryEventStore()
    const secret = 'hunter2-db-password'
    const failing = { ...store, conversions: async () => Promise.reject(new TypeError(`Cannot read properties of undefined (postgres://dust:${secret}@db:5432/dust)`)) }
    const { server, logger } = setup({ eventStore: failing, secrets: [secret] })
    const response = await server.inject({ method: 'GET', url: '/conversions' })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error; the server log has the details.' } })
    const [logged] = logger.at('error')
    expect(logged?.fields).toMatchObject({ code: 'internal_error', status: 500, method: 'GET', route: '/conversions' })
    expect(logged?.fields.error).toMatchObject({ type: 'TypeError', message: 'Cannot read properties of undefined (postgres://dust:[redacted]@db:5432/dust)' })
    expect(JSON.stringify(logged)).not.toContain(secret)
  })

  it('answers a store that is down with 503 event_store_unavailable, without its host, port or database', async () => {
    const store = createMemoryEventStore({ kind: 'postgres' })
    const down = new EventStoreError('Cannot read the PostgreSQL event store at postgres://db.internal:5432/dust.', { code: 'event_store_unavailable', details: 'connect ECONNREFUSED 10.0.0.7:5432' })
    const { server, logger } = setup({ eventStore: { ...store, read: async () => Promise.reject(down), conversions: async () => Promise.reject(down) } })
    for (const url of ['/events', '/conversions']) {
      const response = await server.inject({ method: 'GET', url })
      expect(response.statusCode).toBe(503)
      expect(response.json()).toEqual({ error: { code: 'event_store_unavailable', message: 'The event store is unavailable. Try again later; the server log has the cause.' } })
    }
    expect(logger.at('error').map((entry) => (entry.fields.error as { message: string }).message)).toEqual([down.message, down.message])
  })

  describe('cycle routes', () => {
    it('does not exist without a token', async () => {
      const { server } = setup({ token: undefined })
      for (const url of ['/strategies/usdt_test/scan', '/strategies/usdt_test/convert']) {
        const response = await server.inject({ method: 'POST', url, headers: auth })
        expect(response.statusCode).toBe(404)
        expect(response.json().error.code).toBe('not_found')
      }
    })

    it('refuses an empty configured token', () => {
      const strategies = [createTestStrategy()]
      const manager = createDustManager({ strategies, clock: createFakeClock(), logger: createRecordingLogger() })
      expect(() => createHttpServer({ manager, strategies, eventStore: createMemoryEventStore(), metrics: createMetrics(), token: '' })).toThrow('The HTTP token is empty.')
    })

    const missing = 'The Authorization header is missing.'
    const notBearer = 'The Authorization header does not hold a bearer token.'
    const wrong = 'The bearer token of the Authorization header is not the configured one.'
    it.each([
      ['no header', {}, missing],
      ['an empty header', { authorization: '' }, missing],
      ['another scheme', { authorization: `Basic ${TOKEN}` }, notBearer],
      ['the token without a scheme', { authorization: TOKEN }, notBearer],
      ['a wrong token', { authorization: 'Bearer wrong' }, wrong],
      ['a longer token', { authorization: `Bearer ${TOKEN}x` }, wrong],
      ['a shorter token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, wrong],
      ['an empty token', { authorization: 'Bearer ' }, wrong],
      ['the token in the query string', { query: `token=${TOKEN}` }, missing],
    ])('answers 401 unauthorized to %s, running nothing and repeating nothing sent', async (_case, headers, message) => {
      const { server, eventStore, logger } = setup()
      for (const action of ['scan', 'convert']) {
        const { query, ...sent } = headers as Record<string, string>
        const response = await server.inject({ method: 'POST', url: `/strategies/usdt_test/${action}${query ? `?${query}` : ''}`, headers: sent })
        expect(response.statusCode).toBe(401)
        expect(response.headers['www-authenticate']).toBe('Bearer')
        expect(response.json()).toEqual({
          error: { code: 'unauthorized', message: `${message}\nExpected the header "Authorization: Bearer <token>" with the configured api.token.` },
        })
      }
      expect(await eventStore.read()).toEqual([])
      // Logged for the operator, without what was sent.
      expect(logger.at('warn').map((entry) => [entry.message, entry.fields.code, entry.fields.route])).toEqual([
        ['HTTP request refused', 'unauthorized', '/strategies/:mode/scan'],
        ['HTTP request refused', 'unauthorized', '/strategies/:mode/convert'],
      ])
      expect(JSON.stringify(logger.entries)).not.toContain(TOKEN.slice(0, 10))
    })

    it.each(['bearer', 'BEARER', 'BeArEr'])('matches the scheme %s case-insensitively', async (scheme) => {
      const { server } = setup()
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: `${scheme}  ${TOKEN}` } })
      expect(response.statusCode).toBe(200)
      expect(response.json().strategy_mode).toBe('usdt_test')
    })

    it('checks the token before the strategy: an unknown one is 401 without it, 404 with it', async () => {
      const { server } = setup()
      expect((await server.inject({ method: 'POST', url: '/strategies/nope/scan' })).statusCode).toBe(401)
      const response = await server.inject({ method: 'POST', url: '/strategies/nope/scan', headers: auth })
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('unknown_strategy')
    })

    it('answers a malformed request body with invalid_request', async () => {
      const { server, eventStore } = setup()
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: { ...auth, 'content-type': 'application/json' }, payload: '{' })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.code).toBe('invalid_request')
      expect(await eventStore.read()).toEqual([])
    })

    it('scans: runs a cycle that plans and executes nothing, and returns the plan', async () => {
      const { server, eventStore } = setup()
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: auth })
      expect(response.statusCode).toBe(200)
      const plan = response.json()
      expect(plan).toMatchObject({ strategy_mode: 'usdt_test', total_dust_value: '2660', exceeds_threshold: true, skipped: [] })
      expect(plan.instructions.map((instruction: Record<string, unknown>) => [instruction.token, instruction.amount, instruction.venue, instruction.estimated_output])).toEqual([
        ['EIGEN', '1520', 'binance', '1895.54256'],
        ['ETHFI', '800', 'binance', '758.1411'],
      ])
      expect((await eventStore.read()).map((stored) => stored.event.event_type)).toEqual(['dust_checked', 'dust_detected'])
      // The snapshot route now serves this cycle's snapshot.
      expect((await server.inject({ method: 'GET', url: '/strategies/usdt_test/snapshot' })).json().total_dust_value).toBe('2660')
    })

    it('answers a cycle whose source failed with 503 source_unavailable, naming the source and nothing of the cause', async () => {
      const broken = createTestStrategy({ override: () => ({ equitySource: createFailingEquitySource('equity node http://10.0.0.7:8545 down') }) })
      const { server, eventStore, logger } = setup({ strategies: [broken] })
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: auth })
      expect(response.statusCode).toBe(503)
      expect(response.json()).toEqual({ error: { code: 'source_unavailable', message: 'The source failing did not answer. Try again later; the server log has the cause.' } })
      expect((await eventStore.read()).map((stored) => stored.event.event_type)).toEqual(['dust_cycle_failed'])
      expect(logger.at('error').find((entry) => entry.message === 'HTTP request failed')?.fields.error).toMatchObject({ type: 'SourceError', message: 'equity node http://10.0.0.7:8545 down' })
    })

    it('converts: executes the plan of a fresh cycle and returns the outcomes; the next convert finds nothing to do', async () => {
      const { server, eventStore } = setup()
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({
        strategy_mode: 'usdt_test',
        exceeds_threshold: true,
        outcomes: [
          {
            conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
            token: 'EIGEN',
            venue: 'binance',
            amount: '1520',
            status: 'converted',
            amount_in: '1520',
            output: '1895.54256',
            fees: '2.86619',
            target_currency: 'USDT',
            steps: expect.any(Array),
          },
          {
            conversion_id: `usdt_test:ETHFI:onchain:ethereum:${FIXED_TIME}`,
            token: 'ETHFI',
            venue: 'binance',
            amount: '800',
            status: 'converted',
            amount_in: '800',
            output: '758.1411',
            fees: '1.16515',
            target_currency: 'USDT',
            steps: expect.any(Array),
          },
        ],
      })
      // Each conversion is a workflow in the log: planned, then confirmed with its dust_converted.
      expect((await eventStore.read()).map((stored) => stored.event.event_type)).toEqual([
        'dust_checked',
        'dust_detected',
        'conversion_state_changed',
        'conversion_state_changed',
        'dust_converted',
        'conversion_state_changed',
        'conversion_state_changed',
        'dust_converted',
      ])
      const conversions = await server.inject({ method: 'GET', url: '/conversions?strategy=usdt_test' })
      expect(conversions.json().conversions.map((record: { id: string; state: string }) => [record.id, record.state])).toEqual([
        [`usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`, 'confirmed'],
        [`usdt_test:ETHFI:onchain:ethereum:${FIXED_TIME}`, 'confirmed'],
      ])

      const again = await server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      expect(again.json()).toEqual({ strategy_mode: 'usdt_test', exceeds_threshold: false, outcomes: [] })
      // The lock was released both times.
      const lock = await eventStore.tryLock('usdt_test')
      expect(lock).toBeDefined()
      await lock?.release()
    })

    it('returns failed outcomes with their reason', async () => {
      const failing: ExecutionManager = {
        name: 'failing',
        async execute() {
          return { status: 'failed', reason: 'insufficient_funds', detail: 'binance holds 0 EIGEN.', retryable: false }
        },
      }
      const { server } = setup({ strategies: [createTestStrategy({ edit: paper, override: () => ({ executionManager: failing }) })] })
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      expect(response.json().outcomes[0]).toEqual({
        conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
        token: 'EIGEN',
        venue: 'binance',
        amount: '1520',
        status: 'failed',
        reason: 'insufficient_funds',
        detail: 'binance holds 0 EIGEN.',
        retryable: false,
        steps: [],
      })
    })

    it('refuses to convert for a dry-run strategy', async () => {
      const { server, eventStore } = setup()
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_dry/convert', headers: auth })
      expect(response.statusCode).toBe(409)
      expect(response.json()).toEqual({
        error: {
          code: 'execution_disabled',
          message:
            'Strategy usdt_dry does not execute conversions.\nIts execution mode is dry-run; expected paper or live with an execution manager. POST /strategies/usdt_dry/scan plans without executing.',
        },
      })
      expect(await eventStore.read()).toEqual([])
    })

    it('scans without executing even when the manager executes its own cycles (dust serve), in paper and in live mode', async () => {
      for (const mode of ['paper', 'live'] as const) {
        const executor = countingExecutor()
        const strategy = createTestStrategy({ edit: (config) => void (config.execution = { mode }), override: () => ({ executionManager: executor }) })
        const { server, eventStore } = setup({ strategies: [strategy], execute: true, executeLive: true })
        const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: auth })
        expect(response.statusCode).toBe(200)
        expect(response.json()).toMatchObject({ strategy_mode: 'usdt_test', exceeds_threshold: true, dust_ratio: '0.00266' })
        expect(response.json().instructions).toHaveLength(2)
        expect(executor.executed).toEqual([])
        expect((await eventStore.read()).map((stored) => stored.event.event_type)).toEqual(['dust_checked', 'dust_detected'])
        expect(await eventStore.conversions()).toEqual([])
      }
    })

    it('converts a live strategy only when the server may execute live (dust serve --execute)', async () => {
      const live = () => createTestStrategy({ edit: (config) => void (config.execution = { mode: 'live' }), override: () => ({ executionManager: executor }) })
      let executor = countingExecutor()
      const refused = setup({ strategies: [live()], execute: true })
      const response = await refused.server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      expect(response.statusCode).toBe(409)
      expect(response.json()).toEqual({
        error: {
          code: 'execution_disabled',
          message:
            'Strategy usdt_test runs live, and this server was started without --execute.\nExpected dust serve --execute to allow live conversions. POST /strategies/usdt_test/scan plans without executing.',
        },
      })
      expect(executor.executed).toEqual([])
      expect(await refused.eventStore.read()).toEqual([])

      executor = countingExecutor()
      const allowed = setup({ strategies: [live()], execute: true, executeLive: true })
      const converted = await allowed.server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      expect(converted.statusCode).toBe(200)
      expect(converted.json().outcomes.map((outcome: { token: string; status: string }) => [outcome.token, outcome.status])).toEqual([
        ['EIGEN', 'converted'],
        ['ETHFI', 'converted'],
      ])
      expect(executor.executed).toEqual([`usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`, `usdt_test:ETHFI:onchain:ethereum:${FIXED_TIME}`])
    })

    it('refuses to convert while another process holds the strategy lock', async () => {
      const { server, eventStore } = setup()
      const lock = await eventStore.tryLock('usdt_test')
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      expect(response.statusCode).toBe(409)
      expect(response.json().error.code).toBe('strategy_locked')
      // The cycle was recorded; no conversion was started.
      expect((await eventStore.read()).filter((stored) => stored.event.event_type === 'conversion_state_changed')).toEqual([])
      await lock?.release()
    })

    it('joins a convert already under way instead of executing its plan twice', async () => {
      const gate = createDeferred()
      let executions = 0
      const held: ExecutionManager = {
        name: 'held',
        async execute(instruction) {
          executions += 1
          await gate.promise
          return { status: 'converted', amountIn: instruction.amount, output: instruction.estimatedOutput, fees: instruction.estimatedFees }
        },
      }
      const { server } = setup({ strategies: [createTestStrategy({ edit: paper, override: () => ({ executionManager: held }) })] })
      const first = server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      const second = server.inject({ method: 'POST', url: '/strategies/usdt_test/convert', headers: auth })
      gate.resolve()
      const [a, b] = await Promise.all([first, second])
      expect(a.statusCode).toBe(200)
      expect(b.json()).toEqual(a.json())
      expect(a.json().outcomes).toHaveLength(2)
      expect(executions).toBe(2)
    })
  })
})
