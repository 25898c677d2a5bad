/**
 * A dust manager process for the crash test: it runs one cycle of the strategy in the given
 * configuration file against the given event store, and kills itself with SIGKILL at a chosen
 * boundary of the conversion workflow: just before or just after the n-th
 * `conversion_state_changed` event is written (that is, right after one side effect and
 * before the next).
 *
 *   CRASH_CONFIG=<file> CRASH_STORE=<sqlite file | postgres url> CRASH_AT=<n>:<before|after> npx tsx test/crash/crashChild.ts
 */
import { loadConfig } from '../../src/app/loadConfig.js'
import { createEvmChains } from '../../src/adapters/evm/createEvmChains.js'
import { loadSigner } from '../../src/adapters/evm/loadSigner.js'
import { createLogger } from '../../src/adapters/system/createLogger.js'
import { createSystemClock } from '../../src/adapters/system/createSystemClock.js'
import { createDustManager } from '../../src/engine/createDustManager.js'
import { createStrategy } from '../../src/app/createStrategy.js'
import { loadVenueBuilders } from '../../src/app/venues/loadVenueBuilders.js'
import type { EventStore } from '../../src/ports/index.js'
import { openTestStore } from './openTestStore.js'

const [countText = '0', when = 'before'] = (process.env.CRASH_AT ?? '').split(':')
const target = Number(countText)
const store = await openTestStore(process.env.CRASH_STORE ?? '')
let written = 0

const crashing: EventStore = {
  ...store,
  async append(events) {
    const states = events.filter((event) => event.event_type === 'conversion_state_changed').length
    if (when === 'before' && written < target && written + states >= target) process.kill(process.pid, 'SIGKILL')
    const stored = await store.append(events)
    written += states
    if (when === 'after' && written >= target) process.kill(process.pid, 'SIGKILL')
    return stored
  },
}

const { config, file } = await loadConfig({ file: process.env.CRASH_CONFIG ?? '', env: process.env })
const signer = await loadSigner({ private_key_env: 'CRASH_KEY', env: process.env, file })
const clock = createSystemClock()
const strategy = createStrategy({ config, clock, chains: createEvmChains(), signer, venueBuilders: await loadVenueBuilders([config]) })
const manager = createDustManager({ strategies: [strategy], clock, logger: createLogger({ level: 'silent' }), execute: true, store: crashing })
const [result] = await manager.runOnce()
await store.close()
process.stdout.write(JSON.stringify({ ok: result?.ok ?? false, written }))
