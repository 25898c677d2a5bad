import { describe, expect, it } from 'vitest'
import { createFakeClock, createRecordingEventSink, createRecordingLogger, settleUntil } from '../../test/fakePorts.js'
import { createMemoryEventStore } from '../../test/createMemoryEventStore.js'
import { createTestStrategy } from '../../test/createTestStrategy.js'
import { INSTRUCTION_JSON } from '../../test/fixtureInstructionJson.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import type { LeaseRound, ScanRequest, StrategyLeases } from '../ports/index.js'
import { createDustManager } from './createDustManager.js'
import { startWorker } from './startWorker.js'

const HEARTBEAT_MS = 1_000

/**
 * Leases in memory, scripted by the test: each heartbeat answers the next round (the last one
 * again when none is left), and a scan is claimed once per strategy until `newInterval` opens the next.
 */
function createScriptedLeases(rounds: LeaseRound[]) {
  const scanned = new Set<string>()
  const calls: string[] = []
  let failNext = false
  const leases: StrategyLeases & { calls: string[]; newInterval(): void; failNextHeartbeat(): void; requests: ScanRequest[][] } = {
    workerId: 'w1',
    calls,
    requests: [],
    newInterval: () => scanned.clear(),
    failNextHeartbeat: () => {
      failNext = true
    },
    async heartbeat(modes) {
      calls.push(`heartbeat ${modes.join(',')}`)
      if (failNext) {
        failNext = false
        throw new Error('The database is down.')
      }
      const round = rounds.length > 1 ? rounds.shift() : rounds[0]
      if (!round) throw new Error('test setup: no lease round')
      return round
    },
    async claimScans(requests) {
      leases.requests.push([...requests])
      const claimed = requests.filter((request) => !scanned.has(request.mode)).map((request) => request.mode)
      for (const mode of claimed) scanned.add(mode)
      calls.push(`claim ${claimed.join(',')}`)
      return claimed
    },
    async release(modes) {
      calls.push(`release ${modes.join(',')}`)
    },
    async close() {
      calls.push('close')
    },
  }
  return leases
}

function setup(rounds: LeaseRound[]) {
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const sink = createRecordingEventSink()
  const strategies = ['m1', 'm2', 'm3'].map((mode) =>
    createTestStrategy({
      edit: (config) => {
        config.mode = mode
      },
    }),
  )
  const manager = createDustManager({ strategies, clock, logger, eventSink: sink })
  const leases = createScriptedLeases(rounds)
  const checked = (mode: string) => sink.events.filter((event) => event.event_type === 'dust_checked' && event.strategy_mode === mode).length
  return { clock, logger, sink, manager, leases, checked }
}

describe('startWorker', () => {
  it('scans the strategies it holds once per interval, and none it does not hold', async () => {
    const { clock, manager, leases, checked } = setup([{ held: ['m1', 'm3'], share: 2, liveWorkers: 2 }])
    const worker = startWorker({ clock, logger: createRecordingLogger() }, { manager, leases, heartbeatMs: HEARTBEAT_MS })
    await settleUntil(() => checked('m1') === 1 && checked('m3') === 1)
    expect(worker.held()).toEqual(['m1', 'm3'])
    expect(leases.requests[0]?.map((request) => request.mode)).toEqual(['m1', 'm3'])
    expect(leases.requests[0]?.[0]?.intervalMs).toBe(manager.strategies()[0]?.monitoringIntervalMs)
    // The next heartbeats, in the same interval, claim nothing and scan nothing.
    await clock.advance(HEARTBEAT_MS)
    await clock.advance(HEARTBEAT_MS)
    expect([checked('m1'), checked('m2'), checked('m3')]).toEqual([1, 0, 1])
    leases.newInterval()
    await clock.advance(HEARTBEAT_MS)
    await settleUntil(() => checked('m1') === 2 && checked('m3') === 2)
    expect(checked('m2')).toBe(0)
    await worker.stop()
    expect(leases.calls.at(-1)).toBe('close')
    expect(leases.calls[0]).toBe('heartbeat m1,m2,m3')
  })

  it('gives back what it holds above its share only once that interval is scanned', async () => {
    const { clock, manager, leases, checked } = setup([
      { held: ['m1', 'm2', 'm3'], share: 3, liveWorkers: 1 },
      { held: ['m1', 'm2', 'm3'], share: 2, liveWorkers: 2 },
    ])
    const worker = startWorker({ clock, logger: createRecordingLogger() }, { manager, leases, heartbeatMs: HEARTBEAT_MS })
    await settleUntil(() => checked('m1') === 1 && checked('m2') === 1 && checked('m3') === 1)
    // The second heartbeat's claims find every interval scanned; the third gives back one, scanned, lease.
    await clock.advance(HEARTBEAT_MS)
    await settleUntil(() => leases.calls.filter((call) => call.startsWith('claim')).length === 2)
    expect(leases.calls.some((call) => call.startsWith('release'))).toBe(false)
    await clock.advance(HEARTBEAT_MS)
    await settleUntil(() => leases.calls.some((call) => call.startsWith('release')))
    expect(leases.calls.filter((call) => call.startsWith('release'))).toEqual(['release m1'])
    expect(worker.held()).toEqual(['m2', 'm3'])
    await worker.stop()
  })

  it('scans nothing while its heartbeat fails, logs why, and goes on at the next one', async () => {
    const { clock, manager, leases, checked } = setup([{ held: ['m2'], share: 1, liveWorkers: 3 }])
    const logger = createRecordingLogger()
    leases.failNextHeartbeat()
    const worker = startWorker({ clock, logger }, { manager, leases, heartbeatMs: HEARTBEAT_MS })
    await settleUntil(() => logger.at('error').length === 1)
    expect(logger.at('error')[0]).toMatchObject({ message: 'Worker heartbeat failed; no scan is claimed until one succeeds', fields: { worker: 'w1' } })
    expect(worker.held()).toEqual([])
    expect(checked('m2')).toBe(0)
    await clock.advance(HEARTBEAT_MS)
    await settleUntil(() => checked('m2') === 1)
    expect(worker.held()).toEqual(['m2'])
    await worker.stop()
    expect(worker.held()).toEqual([])
  })

  it('adopts the conversions a strategy’s last holder left open before it scans the strategy', async () => {
    const store = createMemoryEventStore({ now: () => FIXED_TIME })
    const clock = createFakeClock()
    const strategy = createTestStrategy({
      clock,
      edit: (config) => {
        config.mode = 'm1'
        config.execution = { mode: 'paper' }
      },
    })
    const manager = createDustManager({ strategies: [strategy], clock, logger: createRecordingLogger(), store, execute: true })
    // This worker has run a while: it read the conversions left open before another worker, holding m1, left one open and died.
    await manager.recover()
    const id = 'm1:EIGEN:uniswap_v3:1'
    await store.append([
      {
        event_type: 'conversion_state_changed',
        strategy_mode: 'm1',
        timestamp: FIXED_TIME,
        conversion_id: id,
        token: 'EIGEN',
        venue: 'uniswap_v3',
        state: 'planned',
        step: 0,
        instruction: { ...INSTRUCTION_JSON, strategy_mode: 'm1', conversion_id: id },
      },
    ])
    const leases = createScriptedLeases([{ held: ['m1'], share: 1, liveWorkers: 1 }])
    let checked = 0
    manager.subscribe('dust_checked', () => {
      checked += 1
    })
    const worker = startWorker({ clock, logger: createRecordingLogger() }, { manager, leases, heartbeatMs: HEARTBEAT_MS })
    await settleUntil(() => checked === 1, 1_000)
    await worker.stop()
    // Its cycle asked about it first: never sent, it expires, not left open beside a new conversion of the same token.
    expect((await store.conversion(id))?.state).toBe('expired')
  })
})
