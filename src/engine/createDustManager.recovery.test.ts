import { describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../test/createMemoryEventStore.js'
import { createTestStrategy, currencyOf } from '../../test/createTestStrategy.js'
import { createDeferred, createFakeClock, createRecordingLogger } from '../../test/fakePorts.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import type { ConversionStateChanged, DustEvent } from '../domain/events.js'
import { Amount } from '../domain/money/index.js'
import { OUTCOME_UNKNOWN } from '../domain/planning/StepReceipt.js'
import type { EventStore, ExecutionManager, StepLookup, StepQuery } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { createDustManager } from './createDustManager.js'

const paper = (config: { execution?: unknown }) => {
  config.execution = { mode: 'paper' }
}

/** A store that remembers each append as one batch (one transaction of the real stores). */
function batchingStore() {
  const store = createMemoryEventStore({ now: () => FIXED_TIME })
  const batches: string[][] = []
  const recording: EventStore = {
    ...store,
    async append(events) {
      batches.push(events.map((event) => (event.event_type === 'conversion_state_changed' ? `${event.event_type}:${(event as ConversionStateChanged).state}` : event.event_type)))
      return store.append(events)
    },
  }
  return { store: recording, events: () => store.events.map((stored) => stored.event), batches }
}

/**
 * A first run on `store` that dies while the EIGEN sale is in flight: its last step is on record
 * with its reference, and the process is gone (its execution never returns).
 */
async function crashWhileSelling(store: EventStore): Promise<string> {
  const crashing: ExecutionManager = {
    name: 'crashing',
    async execute(instruction, journal) {
      // Each step is recorded, then done, up to the sale, which is recorded and never comes back.
      for (const [index, step] of instruction.chosen.steps.entries()) {
        const reference = step.kind === 'market_sell' ? `order-${instruction.token}` : `0x${String(index).repeat(64)}`
        await journal?.submitting(index, step.kind, reference)
        if (step.kind !== 'market_sell') await journal?.done(index, { kind: step.kind, venue: instruction.venue, reference })
      }
      return new Promise(() => undefined)
    },
  }
  const clock = createFakeClock(FIXED_TIME - 60_000)
  const strategy = createTestStrategy({ edit: paper, clock, override: () => ({ executionManager: crashing }) })
  // The process dies holding its lock; the kernel (or PostgreSQL) drops it with the process, so this one never takes the store's.
  const dying: EventStore = { ...store, tryLock: async () => ({ release: async () => undefined }) }
  const manager = createDustManager({ strategies: [strategy], clock, logger: createRecordingLogger(), execute: true, store: dying })
  void manager.runOnce()
  let open: string | undefined
  for (let round = 0; round < 200 && open === undefined; round += 1) {
    open = (await store.conversions({ open: true })).find((record) => record.state === 'submitted')?.id
    if (open === undefined) await new Promise((resolve) => setImmediate(resolve))
  }
  if (open === undefined) throw new Error('test setup: the first run never got to its sale')
  return open
}

/** An execution manager that fills every instruction at its estimate and answers lookups from a queue, recording what it was asked. */
function answering(answers: Array<StepLookup | Promise<StepLookup>>): ExecutionManager & { asked: StepQuery[] } {
  const asked: StepQuery[] = []
  return {
    name: 'answering',
    asked,
    async execute(instruction) {
      return { status: 'converted', amountIn: instruction.amount, output: instruction.estimatedOutput, fees: instruction.estimatedFees }
    },
    async lookup(step) {
      asked.push(step)
      return answers.shift() ?? { status: 'lookup_failed', error: 'the test has no more answers' }
    },
  }
}

function restart(store: EventStore, executor: ExecutionManager, clock = createFakeClock(), more: Strategy[] = []) {
  const strategy = createTestStrategy({ edit: paper, clock, override: () => ({ executionManager: executor }) })
  const logger = createRecordingLogger()
  const manager = createDustManager({ strategies: [strategy, ...more], clock, logger, execute: true, store })
  const heard: DustEvent[] = []
  manager.subscribe('*', (event) => {
    heard.push(event)
  })
  return { manager, clock, logger, heard, strategy }
}

describe('createDustManager: recovery after a crash', () => {
  it('leaves a conversion open while its venue does not answer, asks again with backoff, and settles it once on evidence, telling the subscribers', async () => {
    const { store, events, batches } = batchingStore()
    const id = await crashWhileSelling(store)
    const usdt = Amount.parse(currencyOf(createTestStrategy(), 'USDT'), '1893.2')
    const eigen = Amount.parse(currencyOf(createTestStrategy(), 'EIGEN'), '1520')
    const noAnswer: StepLookup = { status: 'lookup_failed', error: 'binance did not answer (network_error).' }
    const executor = answering([noAnswer, noAnswer, { status: 'confirmed', amountIn: eigen, amountOut: usdt, receipt: { kind: 'market_sell', venue: 'binance', reference: '28457' } }])
    const { manager, clock, heard } = restart(store, executor)

    // Start-up with the venue down: the conversion stays open, the operator is told, the token is not sold again.
    const [first] = await manager.runOnce()
    expect(executor.asked.map((step) => step.reference)).toEqual(['order-EIGEN'])
    expect((await store.conversion(id))?.state).toBe('submitted')
    const warning = heard.find((event) => event.event_type === 'dust_warning')
    expect(warning).toMatchObject({ code: 'conversion_unsettled', token: 'EIGEN', venue: 'binance' })
    expect(warning?.event_type === 'dust_warning' && warning.message).toBe(
      `Conversion ${id} of EIGEN on binance stays open: Step 2 (market_sell order-EIGEN) could not be looked up: binance did not answer (network_error). It is asked about again in 5 s (attempt 1); its token is not converted again meanwhile.`,
    )
    expect(first?.ok && first.plan.skipped.map((skip) => [skip.token, skip.reason])).toEqual([['EIGEN', 'in_flight']])
    expect(first?.ok && first.plan.instructions.map((instruction) => instruction.token)).toEqual(['ETHFI'])

    // Before the wait is over it is not asked; then it is, and the next wait doubles.
    await clock.advance(4_999)
    await manager.runOnce()
    expect(executor.asked).toHaveLength(1)
    await clock.advance(1)
    await manager.runOnce()
    expect(executor.asked).toHaveLength(2)
    await clock.advance(9_999)
    await manager.runOnce()
    expect(executor.asked).toHaveLength(2)
    await clock.advance(1)
    const [settledCycle] = await manager.runOnce()
    expect(executor.asked).toHaveLength(3)

    // The venue answered: confirmed, with one dust_converted of what the order shows, in the same append as the state.
    expect((await store.conversion(id))?.state).toBe('confirmed')
    const converted = events().filter((event) => event.event_type === 'dust_converted' && event.conversion_id === id)
    expect(converted).toHaveLength(1)
    expect(converted[0]).toMatchObject({
      amount: '1520',
      output: '1893.2',
      target_currency: 'USDT',
      steps: [
        { kind: 'claim', venue: 'etherfi', reference: `0x${'0'.repeat(64)}` },
        { kind: 'transfer', venue: 'binance', reference: `0x${'1'.repeat(64)}` },
        { kind: 'market_sell', venue: 'binance', reference: '28457' },
      ],
    })
    expect(batches).toContainEqual(['conversion_state_changed:confirmed', 'dust_converted'])
    expect(heard.filter((event) => event.event_type === 'dust_converted' && event.conversion_id === id)).toHaveLength(1)
    // The token is free again: the same cycle plans what is left of it.
    expect(settledCycle?.ok && settledCycle.plan.skipped.map((skip) => skip.reason)).not.toContain('in_flight')

    // Another start finds nothing open and says nothing again.
    const again = restart(store, answering([]))
    await again.manager.runOnce()
    expect(again.heard.filter((event) => event.event_type === 'dust_converted' && event.conversion_id === id)).toEqual([])
    expect(events().filter((event) => event.event_type === 'dust_converted' && event.conversion_id === id)).toHaveLength(1)
  })

  it('records no outcome for a step sent without an answer: the conversion stays open until its venue answers', async () => {
    const { store, events } = batchingStore()
    const usdt = Amount.parse(currencyOf(createTestStrategy(), 'USDT'), '1893.2')
    const eigen = Amount.parse(currencyOf(createTestStrategy(), 'EIGEN'), '1520')
    // The live path: each step recorded, then the sale sent and no answer (a timeout): outcome_unknown.
    const silent: ExecutionManager & { asked: StepQuery[] } = {
      ...answering([
        { status: 'confirmed', amountIn: eigen, amountOut: usdt, receipt: { kind: 'market_sell', venue: 'binance', reference: '28457' } },
        { status: 'lookup_failed', error: 'binance did not answer (request_timeout).' },
      ]),
      async execute(instruction, journal) {
        for (const [index, step] of instruction.chosen.steps.entries()) {
          const reference = step.kind === 'market_sell' ? `order-${instruction.token}` : `0x${String(index).repeat(64)}`
          await journal?.submitting(index, step.kind, reference)
          if (step.kind !== 'market_sell') await journal?.done(index, { kind: step.kind, venue: instruction.venue, reference })
        }
        return { status: 'failed', reason: OUTCOME_UNKNOWN, detail: 'binance gave no answer about an order it was sent (request_timeout).', retryable: false }
      },
    }
    const { manager, clock, heard } = restart(store, silent)
    const [first] = await manager.runOnce()
    expect(first?.ok && first.outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status === 'failed' && outcome.reason])).toEqual([
      ['EIGEN', 'outcome_unknown'],
      ['ETHFI', 'outcome_unknown'],
    ])
    const open = await store.conversions({ open: true })
    expect(open.map((record) => [record.token, record.state, record.references.at(-1)])).toEqual([
      ['EIGEN', 'submitted', 'order-EIGEN'],
      ['ETHFI', 'submitted', 'order-ETHFI'],
    ])
    // No outcome event: neither converted nor failed, only the warning that it stays open.
    expect(events().filter((event) => event.event_type === 'dust_converted' || event.event_type === 'dust_conversion_failed')).toEqual([])
    const warning = heard.find((event) => event.event_type === 'dust_warning' && event.token === 'EIGEN')
    expect(warning?.event_type === 'dust_warning' && [warning.code, warning.message]).toEqual([
      'conversion_unsettled',
      `Conversion ${open[0]?.id} of EIGEN on binance stays open: binance gave no answer about an order it was sent (request_timeout). It is asked about again in 5 s; its token is not converted again meanwhile.`,
    ])
    // The next cycle holds both tokens; once the wait is over the exchange is asked: its answer settles one sale once, the other waits on.
    const [held] = await manager.runOnce()
    expect(held?.ok && held.plan.skipped.map((skip) => [skip.token, skip.reason])).toEqual([
      ['EIGEN', 'in_flight'],
      ['ETHFI', 'in_flight'],
    ])
    expect(silent.asked).toEqual([])
    await clock.advance(5_000)
    await manager.runOnce()
    expect(silent.asked.map((step) => step.reference)).toEqual(['order-EIGEN', 'order-ETHFI'])
    expect((await store.conversion(open[0]?.id as string))?.state).toBe('confirmed')
    expect((await store.conversion(open[1]?.id as string))?.state).toBe('submitted')
    expect(
      events()
        .filter((event) => event.event_type === 'dust_converted')
        .map((event) => event.event_type === 'dust_converted' && [event.token, event.output]),
    ).toEqual([['EIGEN', '1893.2']])
  })

  it('caps the wait between questions, and keeps asking while the venue says pending, without a warning', async () => {
    const { store } = batchingStore()
    await crashWhileSelling(store)
    const pending: StepLookup = { status: 'pending', detail: 'the order is open.' }
    const executor = answering([pending, pending, pending, pending])
    const clock = createFakeClock()
    const strategy = createTestStrategy({ edit: paper, clock, override: () => ({ executionManager: executor }) })
    const logger = createRecordingLogger()
    const manager = createDustManager({ strategies: [strategy], clock, logger, execute: true, store, recoveryBackoff: { initialMs: 1_000, maxMs: 3_000 } })
    const heard: string[] = []
    manager.subscribe('dust_warning', (event) => {
      heard.push(event.code)
    })
    for (const wait of [0, 1_000, 2_000, 3_000]) {
      await clock.advance(wait)
      await manager.runOnce()
    }
    expect(executor.asked).toHaveLength(4)
    expect(
      logger
        .at('info')
        .filter((entry) => entry.fields.conversion !== undefined)
        .map((entry) => entry.fields.waitMs),
    ).toEqual([1_000, 2_000, 3_000, 3_000])
    expect(heard).not.toContain('conversion_unsettled')
  })

  it("does not ask while another process holds the strategy's lock, and asks once it is free", async () => {
    const { store } = batchingStore()
    const id = await crashWhileSelling(store)
    const executor = answering([{ status: 'not_found', detail: 'binance has no such order.' }])
    const { manager, logger } = restart(store, executor)
    const held = await store.tryLock('usdt_test')
    await manager.runOnce()
    expect(executor.asked).toEqual([])
    expect(logger.at('warn').map((entry) => entry.message)).toContain("Another process holds the strategy's lock; the conversions left open are asked about later")
    // Its token is not planned meanwhile (the rest is not executed either: the other process has the lock).
    expect(manager.lastPlan('usdt_test')?.skipped.map((skip) => [skip.token, skip.reason])).toEqual([['EIGEN', 'in_flight']])
    await held?.release()
    await manager.runOnce()
    expect(executor.asked).toHaveLength(1)
    expect(await store.conversion(id)).toMatchObject({ state: 'expired' })
  })

  it("keeps the other strategies' cycles going while one strategy's venue never answers", async () => {
    const { store } = batchingStore()
    await crashWhileSelling(store)
    const never = createDeferred<StepLookup>()
    const executor = answering([never.promise])
    const clock = createFakeClock()
    const other = createTestStrategy({
      edit: (config) => {
        paper(config)
        config.mode = 'usdt_other'
      },
      clock,
    })
    const { manager } = restart(store, executor, clock, [other])
    const stuck = manager.runCycle('usdt_test')
    const [result] = await Promise.all([manager.runCycle('usdt_other')])
    expect(result?.ok).toBe(true)
    expect(executor.asked).toHaveLength(1)
    never.resolve({ status: 'lookup_failed', error: 'timed out' })
    expect((await stuck).ok).toBe(true)
  })

  it('records the nonce of a signed transaction with its hash, for a restart to read', async () => {
    const { store } = batchingStore()
    const hash = `0x${'ab'.repeat(32)}`
    const signing: ExecutionManager = {
      name: 'signing',
      async execute(_instruction, journal) {
        await journal?.submitting(0, 'claim', hash, { from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', nonce: 4, block: 120n })
        return { status: 'failed', reason: 'claim_reverted', detail: 'test', retryable: false }
      },
    }
    const { manager } = restart(store, signing)
    await manager.runOnce()
    const claiming = (await store.read()).map((stored) => stored.event).find((event): event is ConversionStateChanged => event.event_type === 'conversion_state_changed' && event.state === 'claiming')
    expect(claiming).toMatchObject({
      reference: hash,
      detail: `Transaction ${hash} signed by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 with nonce 4 after block 120; recorded before it is broadcast.`,
    })
  })
})
