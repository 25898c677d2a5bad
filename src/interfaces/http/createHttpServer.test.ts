import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../../test/createMemoryEventStore.js'
import { type TestConfigInput, createTestStrategy } from '../../../test/createTestStrategy.js'
import { createDeferred, createFailingEquitySource, createFakeClock, createRecordingLogger } from '../../../test/fakePorts.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { createMetrics } from '../../adapters/prometheus/createMetrics.js'
import { serializeSnapshot } from '../../domain/dust/index.js'
import type { DustEvent } from '../../domain/events.js'
import { createDustManager } from '../../engine/createDustManager.js'
import type { Strategy } from '../../engine/Strategy.js'
import type { EventStore, ExecutionManager } from '../../ports/index.js'
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

function setup(options: { strategies?: Strategy[]; token?: string | undefined; eventStore?: EventStore } = {}) {
  const strategies = options.strategies ?? [createTestStrategy({ edit: paper }), createTestStrategy({ edit: dryRun })]
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const eventStore = options.eventStore ?? createMemoryEventStore({ now: clock.now })
  const manager = createDustManager({ strategies, clock, logger, store: eventStore })
  const metrics = createMetrics({ strategies })
  manager.subscribe('*', metrics.observe)
  const server = createHttpServer({ manager, strategies, eventStore, metrics, token: 'token' in options ? options.token : TOKEN, logger })
  servers.push(server)
  return { server, manager, eventStore, logger, strategies }
}

function stateChanged(id: string, state: Extract<DustEvent, { event_type: 'conversion_state_changed' }>['state'], extra: Partial<DustEvent> = {}): DustEvent {
  return { event_type: 'conversion_state_changed', strategy_mode: 'usdt_test', timestamp: FIXED_TIME, conversion_id: id, token: 'EIGEN', venue: 'binance', state, step: 0, ...extra } as DustEvent
}

describe('createHttpServer', () => {
  it('answers /health with the store kind and the number of strategies, and 503 when the store cannot be read', async () => {
    const { server } = setup()
    const ok = await server.inject({ method: 'GET', url: '/health' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ ok: true, store: 'sqlite', strategies: 2 })

    const store = createMemoryEventStore({ kind: 'postgres' })
    const broken = setup({ eventStore: { ...store, read: async () => Promise.reject(new Error('connection refused')) } })
    const down = await broken.server.inject({ method: 'GET', url: '/health' })
    expect(down.statusCode).toBe(503)
    expect(down.json()).toEqual({ error: { code: 'store_unavailable', message: 'The postgres event store cannot be read.\nconnection refused' } })
    expect(broken.logger.at('error').map((entry) => [entry.message, entry.fields.code])).toEqual([['HTTP request failed', 'store_unavailable']])
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

  it.each([
    ['/events?limit=0', 'Invalid query: limit: expected an integer from 1 to 1000, found "0".'],
    ['/events?limit=1001', 'Invalid query: limit: expected an integer from 1 to 1000, found "1001".'],
    ['/events?since=-1', 'Invalid query: since: expected a non-negative integer, found "-1".'],
    ['/events?since=abc&limit=x', 'Invalid query: since: expected a non-negative integer, found "abc"; limit: expected an integer from 1 to 1000, found "x".'],
    ['/events?since=1&since=2', 'Invalid query: since: expected a non-negative integer, found a list of 2.'],
    ['/events?strategy=', 'Invalid query: strategy: expected a strategy mode, found "".'],
    ['/events?limt=5', 'Invalid query: limt: expected one of since, limit, strategy, found an unknown parameter.'],
    ['/conversions?open=yes', 'Invalid query: open: expected "true" or "false", found "yes".'],
  ])('refuses %s with invalid_query, naming the field, what was expected and what was found', async (url, message) => {
    const { server } = setup()
    const response = await server.inject({ method: 'GET', url })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: { code: 'invalid_query', message } })
  })

  it('lists conversions as the store projects them, open or all, by strategy', async () => {
    const { server, eventStore } = setup()
    await eventStore.append([
      stateChanged('c1', 'planned', { instruction: { token: 'EIGEN', amount: '1520' } }),
      stateChanged('c1', 'submitted', { reference: 'order-1' }),
      stateChanged('c2', 'planned', { instruction: { token: 'EIGEN', amount: '5' } }),
      stateChanged('c2', 'failed', { detail: 'insufficient balance' }),
      stateChanged('c3', 'planned', { strategy_mode: 'usdt_dry' }),
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
          instruction: { token: 'EIGEN', amount: '1520' },
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

    it.each([
      ['no header', {}],
      ['another scheme', { authorization: `Basic ${TOKEN}` }],
      ['a wrong token', { authorization: 'Bearer wrong' }],
      ['a longer token', { authorization: `Bearer ${TOKEN}x` }],
      ['an empty token', { authorization: 'Bearer ' }],
    ])('answers 401 unauthorized to %s, running nothing', async (_case, headers) => {
      const { server, eventStore } = setup()
      for (const action of ['scan', 'convert']) {
        const response = await server.inject({ method: 'POST', url: `/strategies/usdt_test/${action}`, headers })
        expect(response.statusCode).toBe(401)
        expect(response.headers['www-authenticate']).toBe('Bearer')
        expect(response.json()).toEqual({
          error: { code: 'unauthorized', message: 'A valid bearer token is required.\nExpected the header "Authorization: Bearer <token>" with the configured token.' },
        })
      }
      expect(await eventStore.read()).toEqual([])
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

    it('answers a failed cycle with the code of its error', async () => {
      const broken = createTestStrategy({ override: () => ({ equitySource: createFailingEquitySource('equity node down') }) })
      const { server, eventStore } = setup({ strategies: [broken] })
      const response = await server.inject({ method: 'POST', url: '/strategies/usdt_test/scan', headers: auth })
      expect(response.statusCode).toBe(502)
      expect(response.json()).toEqual({ error: { code: 'source_failed', message: 'equity node down' } })
      expect((await eventStore.read()).map((stored) => stored.event.event_type)).toEqual(['dust_cycle_failed'])
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
          return { status: 'failed', reason: 'insufficient_balance', detail: 'binance holds 0 EIGEN.', retryable: false }
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
        reason: 'insufficient_balance',
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
        error: { code: 'execution_disabled', message: 'Strategy usdt_dry does not execute conversions.\nIts execution mode is dry-run; expected paper or live with an execution manager.' },
      })
      expect(await eventStore.read()).toEqual([])
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
