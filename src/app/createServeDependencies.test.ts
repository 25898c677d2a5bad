import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureClock } from '../../test/fixtureMoney.js'
import type { EventStore, Logger } from '../ports/index.js'
import { createEventStore } from './createEventStore.js'
import { createServeDependencies } from './createServeDependencies.js'
import { loadConfig } from './loadConfig.js'
import { loadStrategies } from './loadStrategies.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const MODE = 'usdt_eth_staking_hedged_simple'

let dir: string
let store: EventStore

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-deps-'))
  store = await createEventStore({ env: {}, sqliteFile: join(dir, 'state', 'events.sqlite'), clock: fixtureClock() })
})

afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

async function exampleStrategies() {
  const loaded = await loadConfig({ file: resolve(`configs/modes/${MODE}.yaml`), env: {} })
  return loadStrategies({ loaded: [loaded], clock: fixtureClock(), env: {}, withSigner: false })
}

describe('createServeDependencies', () => {
  it('records a scan-only cycle in the store and exposes it in the metrics, without a notifier', async () => {
    const { manager, metrics, notifier } = createServeDependencies({ strategies: await exampleStrategies(), clock: fixtureClock(), logger: quiet, store })
    expect(notifier).toBeUndefined()
    expect(manager.strategies().map((strategy) => strategy.policy.mode)).toEqual([MODE])

    const result = await manager.runCycle(MODE, { execute: false })
    expect(result.ok).toBe(true)
    expect((await store.read({ strategyMode: MODE })).map((stored) => stored.event.event_type)).toEqual(['dust_checked', 'dust_detected'])

    const text = await metrics.text()
    expect(text).toContain(`dust_ratio{strategy="${MODE}"} 0.00266`)
    expect(text).toContain(`dust_threshold{strategy="${MODE}"} 0.002`)
    expect(text).toContain(`dust_value{strategy="${MODE}",token="EIGEN",venue="etherfi"} 1875`)
    expect(text).toContain(`dust_scan_duration_seconds_count{strategy="${MODE}"} 1`)
    expect(text).toContain(`dust_conversions_total{strategy="${MODE}",venue="binance",outcome="converted"} 0`)
  })

  it('subscribes a webhook notifier when notifications are configured', async () => {
    const { notifier } = createServeDependencies({
      strategies: await exampleStrategies(),
      clock: fixtureClock(),
      logger: quiet,
      store,
      notifications: { webhook_url: 'http://127.0.0.1:9/hooks/dust', events: ['dust_conversion_failed'] },
    })
    expect(notifier).toBeDefined()
    await notifier?.flush()
  })
})
