import { describe, expect, it } from 'vitest'
import { createTestStrategy, type TestConfigInput } from '../../test/createTestStrategy.js'
import {
  createDeferred,
  createFailingBalanceSource,
  createFailingEquitySource,
  createFakeClock,
  createRecordingEventSink,
  createRecordingLogger,
  gateBalanceSource,
  settle,
  settleUntil,
} from '../../test/fakePorts.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { type PaperVenue, createPaperExecutionManager } from '../adapters/paper/createPaperExecutionManager.js'
import type { StaticBalanceSource } from '../adapters/static/createStaticBalanceSource.js'
import type { StaticCexVenue } from '../adapters/static/createStaticCexVenue.js'
import type { DustEvent } from '../domain/events.js'
import { dustEventSchema } from '../domain/events/eventSchemas.js'
import { Fraction } from '../domain/money/index.js'
import type { DustConversionInstruction } from '../domain/planning/ConversionPlan.js'
import { SourceError } from '../errors/index.js'
import type { ExecutionManager } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { createDustManager } from './createDustManager.js'

const paper = (config: TestConfigInput) => {
  config.execution = { mode: 'paper' }
}

function setup(strategies: Strategy[], options: { execute?: boolean } = {}) {
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const sink = createRecordingEventSink()
  const manager = createDustManager({ strategies, clock, logger, eventSink: sink, execute: options.execute })
  return { manager, clock, logger, sink }
}

function eventsOf<T extends DustEvent['event_type']>(events: readonly DustEvent[], type: T): Array<Extract<DustEvent, { event_type: T }>> {
  return events.filter((event): event is Extract<DustEvent, { event_type: T }> => event.event_type === type)
}

/** An execution manager that fills every instruction at its estimate, each only when released. */
function createHeldExecutionManager() {
  const started: DustConversionInstruction[] = []
  const gate = createDeferred()
  const manager: ExecutionManager = {
    name: 'held',
    async execute(instruction) {
      started.push(instruction)
      await gate.promise
      return { status: 'converted', amountIn: instruction.amount, output: instruction.estimatedOutput, fees: instruction.estimatedFees }
    },
  }
  return { manager, started, release: () => gate.resolve() }
}

describe('createDustManager', () => {
  it('runs a paper cycle: dust_checked, dust_detected, then dust_converted per instruction, and the dust is gone', async () => {
    const { manager, sink, logger } = setup([createTestStrategy({ edit: paper })], { execute: true })
    const [result] = await manager.runOnce()
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected', 'dust_converted', 'dust_converted'])
    const [checked] = eventsOf(sink.events, 'dust_checked')
    expect(checked?.snapshot).toMatchObject({ total_dust_value: '2660', dust_ratio: '0.00266', exceeds_threshold: true })
    const [detected] = eventsOf(sink.events, 'dust_detected')
    expect(detected).toMatchObject({ strategy_mode: 'usdt_test', timestamp: FIXED_TIME, total_value: '2660', share_class: 'USDT', skipped: [] })
    expect(detected?.conversion_instructions.map((instruction) => [instruction.token, instruction.amount, instruction.venue])).toEqual([
      ['EIGEN', '1520', 'binance'],
      ['ETHFI', '800', 'binance'],
    ])
    expect(
      eventsOf(sink.events, 'dust_converted').map(({ conversion_id, token, venue, amount, output, fees, target_currency, timestamp }) => ({
        conversion_id,
        token,
        venue,
        amount,
        output,
        fees,
        target_currency,
        timestamp,
      })),
    ).toEqual([
      {
        conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
        token: 'EIGEN',
        venue: 'binance',
        amount: '1520',
        output: '1895.54256',
        fees: '2.86619',
        target_currency: 'USDT',
        timestamp: FIXED_TIME,
      },
      {
        conversion_id: `usdt_test:ETHFI:onchain:ethereum:${FIXED_TIME}`,
        token: 'ETHFI',
        venue: 'binance',
        amount: '800',
        output: '758.1411',
        fees: '1.16515',
        target_currency: 'USDT',
        timestamp: FIXED_TIME,
      },
    ])
    expect(result?.ok && result.outcomes.map(({ outcome }) => outcome.status === 'converted' && outcome.output.toString())).toEqual(['1895.54256 USDT', '758.1411 USDT'])
    expect(logger.at('info').map((entry) => entry.message)).toEqual(['Dust above threshold', 'Dust converted', 'Dust converted'])
    expect(logger.at('info')[0]?.fields).toEqual({ strategy: 'usdt_test', ratio: '0.00266', instructions: 2 })

    // The next cycle finds the dust sold: USDT at binance is the share class, not dust.
    await manager.runOnce()
    expect(sink.types().slice(4)).toEqual(['dust_checked'])
    expect(manager.lastSnapshot('usdt_test')?.totalDustValue.toDecimalString()).toBe('0')
    expect(manager.lastPlan('usdt_test')?.instructions).toEqual([])
  })

  it('plans but does not execute unless asked to', async () => {
    const { manager, sink } = setup([createTestStrategy({ edit: paper })])
    const [result] = await manager.runOnce()
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected'])
    expect(result?.ok && result.outcomes).toEqual([])
    expect(result?.ok && result.plan.instructions.length).toBe(2)
  })

  it('emits only dust_checked under the threshold, and keeps the snapshot and the plan with its skips', async () => {
    const { manager, sink } = setup([createTestStrategy({ edit: (config) => void (config.equity = { type: 'static', value: '10000000' }) })], { execute: true })
    await manager.runOnce()
    expect(sink.types()).toEqual(['dust_checked'])
    expect(manager.lastSnapshot('usdt_test')?.exceedsThreshold).toBe(false)
    expect(manager.lastPlan('usdt_test')?.skipped.map((skip) => skip.reason)).toEqual(['below_threshold', 'below_threshold'])
    expect(manager.lastSnapshot('nope')).toBeUndefined()
  })

  it('emits warnings as dust_warning events before dust_checked', async () => {
    const strategy = createTestStrategy({ override: (wired) => ({ balanceSources: [...wired.balanceSources, createFailingBalanceSource('okx', 'API key revoked')] }) })
    const { manager, sink } = setup([strategy])
    await manager.runOnce()
    expect(sink.types()).toEqual(['dust_warning', 'dust_warning', 'dust_checked'])
    expect(eventsOf(sink.events, 'dust_warning')[0]).toMatchObject({ code: 'source_failed', venue: 'okx', message: 'Balance source okx failed: API key revoked' })
  })

  it('plans and executes nothing while one of two balance sources fails (incomplete_equity), and converts once both answer', async () => {
    let down = true
    const strategy = createTestStrategy({
      // Equity 100,000: the wallet alone (785 USDT) is 0.00785, over dust_delta, so only the missing source holds the sale back.
      edit: (config) => {
        paper(config)
        config.equity = { type: 'static', value: '100000' }
      },
      override: (wired) => ({
        balanceSources: wired.balanceSources.map((source) =>
          source.name === 'etherfi' ? { ...source, fetchHoldings: () => (down ? Promise.reject(new SourceError('etherfi', 'The rewards API answered 503.')) : source.fetchHoldings()) } : source,
        ),
      }),
    })
    const wallet = strategy.balanceSources.find((source) => source.name === 'wallet') as StaticBalanceSource
    const eigen = strategy.registry.get('EIGEN')
    if (!eigen) throw new Error('test setup: no EIGEN')
    const { manager, sink } = setup([strategy], { execute: true })

    const [result] = await manager.runOnce()
    expect(sink.types()).toEqual(['dust_warning', 'dust_warning', 'dust_checked'])
    expect(eventsOf(sink.events, 'dust_warning').map(({ code, message, figures }) => ({ code, message, figures }))).toEqual([
      { code: 'source_failed', message: 'Balance source etherfi failed: The rewards API answered 503.', figures: undefined },
      {
        code: 'incomplete_equity',
        message: 'The equity and dust of usdt_test are incomplete (etherfi failed): nothing is planned or converted until every source answers.',
        figures: { failed_sources: 'etherfi', unpriced_holdings: '' },
      },
    ])
    expect(eventsOf(sink.events, 'dust_checked')[0]?.snapshot).toMatchObject({
      dust_ratio: '0.00785',
      exceeds_threshold: false,
      incomplete_equity: { failed_sources: ['etherfi'], unpriced_holdings: [] },
    })
    expect(result?.ok && result.outcomes).toEqual([])
    expect(result?.ok && result.plan.instructions).toEqual([])
    expect(result?.ok && result.plan.skipped.map((skip) => [skip.token, skip.reason])).toEqual([
      ['EIGEN', 'incomplete_equity'],
      ['ETHFI', 'incomplete_equity'],
    ])
    expect(result?.ok && result.plan.skipped[0]?.detail).toBe('The equity and dust of usdt_test are incomplete (etherfi failed); nothing is converted until every source answers.')
    expect(wallet.balanceOf(eigen).toString()).toBe('20 EIGEN')

    down = false
    const [next] = await manager.runOnce()
    expect(next?.ok && next.outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status])).toEqual([
      ['EIGEN', 'converted'],
      ['ETHFI', 'converted'],
    ])
    expect(wallet.balanceOf(eigen).toString()).toBe('0 EIGEN')
  })

  it('records a failing strategy as dust_cycle_failed while the other strategy completes', async () => {
    const broken = createTestStrategy({
      edit: (config) => void (config.mode = 'usdt_broken'),
      override: () => ({ equitySource: createFailingEquitySource('The equity API is down.') }),
    })
    const { manager, sink, logger } = setup([broken, createTestStrategy({ edit: paper })], { execute: true })
    const results = await manager.runOnce()
    expect(results.map((result) => [result.mode, result.ok])).toEqual([
      ['usdt_broken', false],
      ['usdt_test', true],
    ])
    const failure = results[0]
    expect(failure?.ok === false && failure.error).toBeInstanceOf(SourceError)
    expect(sink.types('usdt_broken')).toEqual(['dust_cycle_failed'])
    expect(eventsOf(sink.events, 'dust_cycle_failed')).toEqual([
      { event_type: 'dust_cycle_failed', strategy_mode: 'usdt_broken', timestamp: FIXED_TIME, error: 'SourceError', code: 'source_failed', message: 'The equity API is down.' },
    ])
    expect(sink.types('usdt_test')).toEqual(['dust_checked', 'dust_detected', 'dust_converted', 'dust_converted'])
    expect(logger.at('error').map((entry) => [entry.message, entry.fields.strategy])).toEqual([['Dust cycle failed', 'usdt_broken']])
  })

  it('records only events of the shape the published schema describes, field for field', async () => {
    const broken = createTestStrategy({
      edit: (config) => void (config.mode = 'usdt_broken'),
      override: () => ({ equitySource: createFailingEquitySource('The equity API is down.') }),
    })
    const { manager, sink } = setup([broken, createTestStrategy({ edit: paper })], { execute: true })
    await manager.runOnce()
    expect(new Set(sink.types())).toEqual(new Set(['dust_cycle_failed', 'dust_checked', 'dust_detected', 'dust_converted']))
    // zod drops what a schema does not name: equal after parsing means nothing unnamed was written.
    for (const event of sink.events) expect(dustEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event)
  })

  it('records a thrown non-Error as dust_cycle_failed with code internal_error', async () => {
    const strategy = createTestStrategy({
      override: () => ({
        equitySource: {
          name: 'odd',
          fetchEquity: () => Promise.reject('socket hang up'),
        },
      }),
    })
    const { manager, sink } = setup([strategy])
    const [result] = await manager.runOnce()
    expect(result?.ok === false && result.error.message).toBe('socket hang up')
    expect(eventsOf(sink.events, 'dust_cycle_failed')[0]).toMatchObject({ error: 'Error', code: 'internal_error', message: 'socket hang up' })
  })

  // When the event sink fails, the cycle's failure is logged and runCycle still answers.
  it('answers a failed CycleResult, and does not reject, when the event sink fails', async () => {
    const manager = createDustManager({
      strategies: [createTestStrategy()],
      clock: createFakeClock(),
      logger: createRecordingLogger(),
      eventSink: { append: () => Promise.reject(new Error('disk full')) },
    })
    const result = await manager.runCycle('usdt_test')
    expect(result.ok).toBe(false)
  })

  it('emits dust_conversion_failed with the reason when a paper fill is under min_output, and the dust is kept', async () => {
    const wired = createTestStrategy({ edit: paper })
    const binance = wired.venues.find((venue) => venue.name === 'binance') as StaticCexVenue
    // The book moved 2% against us between planning and execution.
    const slipping: PaperVenue = {
      name: 'binance',
      kind: 'cex',
      async execute(path, amountIn) {
        const fill = await binance.execute(path, amountIn)
        return fill.ok ? { ...fill, amountOut: fill.amountOut.multiply(new Fraction(98n, 100n), 'down') } : fill
      },
    }
    const strategy: Strategy = {
      ...wired,
      executionManager: createPaperExecutionManager({ balanceSources: wired.balanceSources as StaticBalanceSource[], venues: [slipping], registry: wired.registry }),
    }
    const { manager, sink, logger } = setup([strategy], { execute: true })
    const [result] = await manager.runOnce()
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected', 'dust_conversion_failed', 'dust_conversion_failed'])
    expect(eventsOf(sink.events, 'dust_conversion_failed')).toEqual([
      {
        event_type: 'dust_conversion_failed',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
        token: 'EIGEN',
        venue: 'binance',
        amount: '1520',
        reason: 'slippage',
        // 1,895.54256 × 0.98 = 1,857.6317088, down to 1,857.631708; the floor is (1,520 × 1.25 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
        detail: 'binance would give 1857.631708 USDT, under the floor of 1888.612048 USDT; nothing was sold.',
        retryable: false,
        steps: [],
      },
      {
        event_type: 'dust_conversion_failed',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        conversion_id: `usdt_test:ETHFI:onchain:ethereum:${FIXED_TIME}`,
        token: 'ETHFI',
        venue: 'binance',
        amount: '800',
        reason: 'slippage',
        // 758.1411 × 0.98 = 742.978278; the floor is (800 × 0.95 − 0.7589) × 0.995 = 755.4448945, up to 755.444895.
        detail: 'binance would give 742.978278 USDT, under the floor of 755.444895 USDT; nothing was sold.',
        retryable: false,
        steps: [],
      },
    ])
    expect(result?.ok && result.outcomes.map(({ outcome }) => outcome.status)).toEqual(['failed', 'failed'])
    expect(logger.at('error').map((entry) => [entry.fields, entry.message])).toEqual([
      [{ strategy: 'usdt_test', token: 'EIGEN', venue: 'binance', reason: 'slippage' }, 'binance would give 1857.631708 USDT, under the floor of 1888.612048 USDT; nothing was sold.'],
      [{ strategy: 'usdt_test', token: 'ETHFI', venue: 'binance', reason: 'slippage' }, 'binance would give 742.978278 USDT, under the floor of 755.444895 USDT; nothing was sold.'],
    ])

    // Nothing was sold: the claim and the transfers happened, so the dust now waits at binance, worth as much.
    await manager.runCycle('usdt_test')
    const snapshot = manager.lastSnapshot('usdt_test')
    expect(snapshot?.totalDustValue.toDecimalString()).toBe('2660')
    expect(snapshot?.dustTokens.map((token) => `${token.amount.toString()} ${token.venue} ${token.source}`)).toEqual(['1520 EIGEN binance exchange_balance', '800 ETHFI binance exchange_balance'])
    expect(sink.types().slice(4, 6)).toEqual(['dust_checked', 'dust_detected'])
  })

  it('turns an execution manager that throws into dust_conversion_failed (execution_error) and goes on with the next instruction', async () => {
    let calls = 0
    const throwing: ExecutionManager = {
      name: 'throwing',
      async execute(instruction) {
        calls += 1
        if (instruction.token === 'EIGEN') throw new Error('nonce too low')
        return Promise.reject('replacement transaction underpriced')
      },
    }
    const { manager, sink } = setup([createTestStrategy({ edit: paper, override: () => ({ executionManager: throwing }) })], { execute: true })
    await manager.runOnce()
    expect(calls).toBe(2)
    expect(eventsOf(sink.events, 'dust_conversion_failed').map(({ token, reason, detail, retryable }) => ({ token, reason, detail, retryable }))).toEqual([
      { token: 'EIGEN', reason: 'execution_error', detail: 'nonce too low', retryable: false },
      { token: 'ETHFI', reason: 'execution_error', detail: 'replacement transaction underpriced', retryable: false },
    ])
  })

  it('never executes in dry-run, even when asked to: the plan is recorded and nothing else', async () => {
    let calls = 0
    const counting: ExecutionManager = {
      name: 'counting',
      async execute() {
        calls += 1
        return { status: 'failed', reason: 'venue_error', detail: 'dry-run executed', retryable: false }
      },
    }
    const { manager, sink } = setup([createTestStrategy({ override: () => ({ executionManager: counting }) })], { execute: true })
    const [result] = await manager.runOnce()
    expect(calls).toBe(0)
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected'])
    expect(result?.ok && result.outcomes).toEqual([])
  })

  it('fails each instruction with no_executor when a mode that executes has no execution manager', async () => {
    // Live strategies of static venues are built without an execution manager.
    const { manager, sink } = setup([createTestStrategy({ edit: (config) => void (config.execution = { mode: 'live' }) })], { execute: true })
    expect(manager.strategies()[0]?.executionManager).toBeUndefined()
    await manager.runOnce()
    expect(eventsOf(sink.events, 'dust_conversion_failed').map(({ token, reason, detail, retryable }) => [token, reason, detail, retryable])).toEqual([
      ['EIGEN', 'no_executor', 'Strategy usdt_test runs in live mode with no execution manager.', false],
      ['ETHFI', 'no_executor', 'Strategy usdt_test runs in live mode with no execution manager.', false],
    ])
    const instruction = manager.lastPlan('usdt_test')?.instructions[0] as DustConversionInstruction
    const [unknown] = await manager.executeInstructions('nope', [instruction])
    expect(unknown?.outcome).toEqual({ status: 'failed', reason: 'no_executor', detail: 'Strategy nope runs in an unknown mode with no execution manager.', retryable: false })
  })

  describe('cycles never overlap', () => {
    it('joins the cycle under way: two calls get the same promise and the sources are read once', async () => {
      const gate = createDeferred()
      const strategy = createTestStrategy({
        override: (wired) => ({ balanceSources: wired.balanceSources.map((source) => (source.name === 'wallet' ? gateBalanceSource(source, () => gate.promise) : source)) }),
      })
      const wallet = strategy.balanceSources.find((source) => source.name === 'wallet') as ReturnType<typeof gateBalanceSource>
      const { manager, sink } = setup([strategy])
      const first = manager.runCycle('usdt_test')
      const second = manager.runCycle('usdt_test')
      expect(second).toBe(first)
      const all = manager.runOnce()
      await settle()
      expect(wallet.calls).toBe(1)
      gate.resolve()
      const [a, b, [c]] = await Promise.all([first, second, all])
      expect(b).toBe(a)
      expect(c).toBe(a)
      expect(sink.types()).toEqual(['dust_checked', 'dust_detected'])
      // Once it has finished, the next call is a new cycle.
      const third = manager.runCycle('usdt_test')
      expect(third).not.toBe(first)
      await third
      expect(wallet.calls).toBe(2)
    })

    it('answers a cycle of an unknown strategy with an error naming the known ones', async () => {
      const { manager, sink } = setup([createTestStrategy()])
      const result = await manager.runCycle('nope')
      expect(result.ok).toBe(false)
      expect(result.ok === false && result.error.message).toBe('No strategy nope; known: usdt_test.')
      expect(sink.events).toEqual([])
    })
  })

  describe('start and stop', () => {
    it('runs a cycle at once, then one every dust_monitoring_interval, and none after stop', async () => {
      const strategy = createTestStrategy({ edit: (config) => void (config.dust_monitoring_interval = 60) })
      expect(strategy.monitoringIntervalMs).toBe(60_000)
      const { manager, clock, sink } = setup([strategy])
      manager.start()
      manager.start()
      await settleUntil(() => clock.sleeping() === 1)
      expect(sink.types().filter((type) => type === 'dust_checked')).toHaveLength(1)
      expect(clock.sleeps).toEqual([60_000])
      await clock.advance(59_999)
      expect(sink.types().filter((type) => type === 'dust_checked')).toHaveLength(1)
      await clock.advance(1)
      await settleUntil(() => clock.sleeping() === 1)
      expect(sink.types().filter((type) => type === 'dust_checked')).toHaveLength(2)
      await manager.stop()
      expect(clock.sleeping()).toBe(0)
      await clock.advance(600_000)
      expect(sink.types().filter((type) => type === 'dust_checked')).toHaveLength(2)
      // Stopping a stopped manager is harmless.
      await manager.stop()
    })

    it('runs a cycle that only scans, plans and records when asked with execute: false, on a manager that executes', async () => {
      const { manager, sink } = setup([createTestStrategy({ edit: paper })], { execute: true })
      const scan = await manager.runCycle('usdt_test', { execute: false })
      expect(scan.ok && [scan.plan.instructions.length, scan.outcomes]).toEqual([2, []])
      expect(sink.types()).toEqual(['dust_checked', 'dust_detected'])
      const run = await manager.runCycle('usdt_test')
      expect(run.ok && run.outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status])).toEqual([
        ['EIGEN', 'converted'],
        ['ETHFI', 'converted'],
      ])
    })

    it('joins a scan-only cycle to any cycle under way, and runs an executing one after a scan-only one instead of joining it', async () => {
      let gate = createDeferred()
      const strategy = createTestStrategy({
        edit: paper,
        override: (wired) => ({ balanceSources: wired.balanceSources.map((source) => (source.name === 'wallet' ? gateBalanceSource(source, () => gate.promise) : source)) }),
      })
      const wallet = strategy.balanceSources.find((source) => source.name === 'wallet') as ReturnType<typeof gateBalanceSource>
      const { manager, sink } = setup([strategy], { execute: true })
      const scan = manager.runCycle('usdt_test', { execute: false })
      expect(manager.runCycle('usdt_test', { execute: false })).toBe(scan)
      const run = manager.runCycle('usdt_test')
      expect(run).not.toBe(scan)
      // A scan asked for while the executing cycle waits joins it; so does a second executing cycle.
      expect(manager.runCycle('usdt_test', { execute: false })).toBe(run)
      expect(manager.runCycle('usdt_test')).toBe(run)
      await settle()
      expect(wallet.calls).toBe(1)
      gate.resolve()
      const [scanned, ran] = await Promise.all([scan, run])
      expect(scanned.ok && scanned.outcomes).toEqual([])
      expect(ran.ok && ran.outcomes.map(({ outcome }) => outcome.status)).toEqual(['converted', 'converted'])
      expect(wallet.calls).toBe(2)
      expect(eventsOf(sink.events, 'dust_converted')).toHaveLength(2)

      // An executing cycle under way is joined by a scan.
      gate = createDeferred()
      const executing = manager.runCycle('usdt_test')
      expect(manager.runCycle('usdt_test', { execute: false })).toBe(executing)
      gate.resolve()
      await executing
    })

    it('waits in stop for the cycle in flight to finish', async () => {
      const gate = createDeferred()
      const strategy = createTestStrategy({
        override: (wired) => ({ balanceSources: wired.balanceSources.map((source) => gateBalanceSource(source, () => gate.promise)) }),
      })
      const { manager, clock, sink } = setup([strategy])
      manager.start()
      await settle()
      let stopped = false
      const stopping = manager.stop().then(() => {
        stopped = true
      })
      await settle()
      await settle()
      expect(stopped).toBe(false)
      expect(sink.events).toEqual([])
      gate.resolve()
      await stopping
      // The cycle in flight finished before stop resolved, and no new one began.
      expect(sink.types()).toEqual(['dust_checked', 'dust_detected'])
      expect(clock.sleeping()).toBe(0)
    })

    it('starts the loop of a strategy registered while running, and refuses a mode registered twice', async () => {
      const { manager, clock, sink } = setup([])
      manager.start()
      const strategy = createTestStrategy()
      manager.register(strategy)
      expect(manager.strategies()).toEqual([strategy])
      await settleUntil(() => clock.sleeping() === 1)
      expect(sink.types()).toEqual(['dust_checked', 'dust_detected'])
      expect(() => manager.register(createTestStrategy())).toThrow('Strategy usdt_test is registered already.')
      await manager.stop()
    })
  })

  describe('subscriptions', () => {
    it('hands each subscriber its events after the sink; a throwing subscriber is logged and the others still hear', async () => {
      const { manager, sink, logger } = setup([createTestStrategy({ edit: paper })], { execute: true })
      const detected: string[] = []
      const everything: string[] = []
      manager.subscribe('dust_detected', () => {
        throw new Error('subscriber bug')
      })
      const unsubscribe = manager.subscribe('dust_detected', async (event) => {
        // The sink has the event before any subscriber hears of it.
        expect(sink.events.at(-1)).toBe(event)
        detected.push(event.total_value)
      })
      manager.subscribe('*', (event) => {
        everything.push(event.event_type)
      })
      await manager.runOnce()
      expect(detected).toEqual(['2660'])
      expect(everything).toEqual(['dust_checked', 'dust_detected', 'dust_converted', 'dust_converted'])
      expect(logger.at('error')).toHaveLength(1)
      expect(logger.at('error')[0]).toMatchObject({
        message: 'A dust event subscriber failed',
        fields: { event_type: 'dust_detected', strategy: 'usdt_test', err: new Error('subscriber bug') },
      })

      unsubscribe()
      await manager.runOnce()
      expect(detected).toEqual(['2660'])
      expect(everything.slice(4)).toEqual(['dust_checked'])
    })

    it('works without an event sink', async () => {
      const manager = createDustManager({ strategies: [createTestStrategy()], clock: createFakeClock(), logger: createRecordingLogger() })
      const heard: string[] = []
      manager.subscribe('dust_checked', (event) => void heard.push(event.snapshot.total_dust_value))
      await manager.runOnce()
      expect(heard).toEqual(['2660'])
    })
  })

  describe('conversions in flight', () => {
    it('does not plan again a token whose conversion is under way, and plans it again once done', async () => {
      const held = createHeldExecutionManager()
      const { manager, sink } = setup([createTestStrategy({ override: () => ({ executionManager: held.manager }) })])
      const first = await manager.runCycle('usdt_test')
      const instructions = first.ok ? first.plan.instructions : []
      expect(instructions.map((instruction) => instruction.token)).toEqual(['EIGEN', 'ETHFI'])

      const executing = manager.executeInstructions('usdt_test', instructions)
      await settle()
      expect(held.started.map((instruction) => instruction.token)).toEqual(['EIGEN'])

      const during = await manager.runCycle('usdt_test')
      expect(during.ok && during.plan.instructions.map((instruction) => instruction.token)).toEqual(['ETHFI'])
      expect(during.ok && during.plan.skipped.map((skip) => [skip.token, skip.reason])).toEqual([['EIGEN', 'in_flight']])
      // A second request to execute the same conversion is not carried out twice.
      expect(await manager.executeInstructions('usdt_test', [instructions[0] as DustConversionInstruction])).toEqual([])

      held.release()
      const outcomes = await executing
      expect(outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status])).toEqual([
        ['EIGEN', 'converted'],
        ['ETHFI', 'converted'],
      ])
      expect(eventsOf(sink.events, 'dust_converted').map((event) => [event.token, event.output])).toEqual([
        ['EIGEN', '1895.54256'],
        ['ETHFI', '758.1411'],
      ])
      const after = await manager.runCycle('usdt_test')
      expect(after.ok && after.plan.skipped).toEqual([])
      expect(after.ok && after.plan.instructions.map((instruction) => instruction.token)).toEqual(['EIGEN', 'ETHFI'])
    })
  })
})
