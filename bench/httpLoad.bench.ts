/**
 * Load test: `GET /strategies/:mode/snapshot` at a fixed rate (1,000 requests/s for 30 s by
 * default) on the loopback interface, while the dust manager runs a cycle of a static test
 * strategy every second in the same process.
 *
 * Run with `npx tsx bench/httpLoad.bench.ts` (BENCH_RATE, BENCH_SECONDS and BENCH_CONNECTIONS
 * change the load, within bounds). Prints requests/s, p50/p99 latency and errors; this is a
 * measurement, not a test: nothing here passes or fails on time. The server listens on
 * 127.0.0.1 only and every request goes there.
 */
import autocannon from 'autocannon'
import { createMemoryEventStore } from '../test/createMemoryEventStore.js'
import { createTestStrategy } from '../test/createTestStrategy.js'
import { createMetrics } from '../src/adapters/prometheus/createMetrics.js'
import { createSystemClock } from '../src/adapters/system/createSystemClock.js'
import { createDustManager } from '../src/engine/createDustManager.js'
import { createHttpServer } from '../src/interfaces/http/createHttpServer.js'
import type { Logger } from '../src/ports/index.js'

function bounded(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, was ${process.env[name]}`)
  return value
}

const RATE = bounded('BENCH_RATE', 1000, 1, 5000)
const SECONDS = bounded('BENCH_SECONDS', 30, 1, 120)
const CONNECTIONS = bounded('BENCH_CONNECTIONS', 10, 1, 100)
const HOST = '127.0.0.1'

const clock = createSystemClock()
const errors: string[] = []
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (_fields, message) => void errors.push(message),
}

const strategy = createTestStrategy({
  clock,
  edit: (config) => {
    // A cycle a second: the snapshot is replaced about 30 times while the load runs.
    config.dust_monitoring_interval = '1'
  },
})
const mode = strategy.policy.mode
const eventStore = createMemoryEventStore()
const metrics = createMetrics({ strategies: [strategy] })
const manager = createDustManager({ strategies: [strategy], clock, logger, store: eventStore })
manager.subscribe('*', metrics.observe)
let cycles = 0
manager.subscribe('dust_checked', () => {
  cycles += 1
})
const server = createHttpServer({ manager, strategies: [strategy], eventStore, metrics, logger })

await server.listen({ host: HOST, port: 0 })
const address = server.server.address()
if (address === null || typeof address === 'string') throw new Error('The server has no TCP address.')
manager.start()
// The first cycle has to finish before there is a snapshot to serve.
while (cycles === 0) await clock.sleep(10)

const url = `http://${HOST}:${address.port}/strategies/${mode}/snapshot`
console.log(`GET ${url}: ${RATE} requests/s for ${SECONDS} s over ${CONNECTIONS} connections, a cycle of ${mode} every second`)
const result = await autocannon({ url, connections: CONNECTIONS, overallRate: RATE, duration: SECONDS })

await manager.stop()
await server.close()

const statuses = Object.entries(result.statusCodeStats ?? {})
  .map(([status, { count }]) => `${status}: ${count}`)
  .join(', ')
console.log(`requests:     ${result.requests.total} sent, ${result.requests.average.toFixed(1)} requests/s on average (target ${RATE})`)
console.log(`latency:      p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, mean ${result.latency.average.toFixed(2)} ms, max ${result.latency.max} ms (autocannon counts whole ms)`)
console.log(`errors:       ${result.errors} (timeouts ${result.timeouts}), non-2xx ${result.non2xx}; statuses ${statuses}`)
console.log(`manager:      ${cycles} cycles during the run, ${eventStore.events.length} events recorded, ${errors.length} errors logged`)
