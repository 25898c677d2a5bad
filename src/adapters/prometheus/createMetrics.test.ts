import { register as globalRegistry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { type TestConfigInput, createTestStrategy } from '../../../test/createTestStrategy.js'
import { createFakeClock, createRecordingLogger } from '../../../test/fakePorts.js'
import { FIXED_TIME, fixtureClock } from '../../../test/fixtureMoney.js'
import type { DustEvent } from '../../domain/events.js'
import { createDustManager } from '../../engine/createDustManager.js'
import type { Strategy } from '../../engine/Strategy.js'
import { type Metrics, createMetrics } from './createMetrics.js'
import { instructionJson } from '../../../test/fixtureInstructionJson.js'

const paper = (config: TestConfigInput) => {
  config.execution = { mode: 'paper' }
}

/** The samples of one metric, as `{labels} value` lines sorted, to compare with exact values. */
async function samples(metrics: Metrics, name: string): Promise<Array<[Record<string, string | number>, number]>> {
  const metric = metrics.registry.getSingleMetric(name)
  if (!metric) throw new Error(`no metric ${name}`)
  const { values } = await metric.get()
  return values
    .filter((value) => (value as { metricName?: string }).metricName === undefined || (value as { metricName?: string }).metricName === name)
    .map((value) => [value.labels as Record<string, string | number>, value.value] as [Record<string, string | number>, number])
    .sort(([a], [b]) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

function wire(strategies: Strategy[], options: { execute?: boolean; start?: number } = {}) {
  const clock = createFakeClock(options.start)
  const manager = createDustManager({ strategies, clock, logger: createRecordingLogger(), execute: options.execute })
  const metrics = createMetrics({ strategies })
  manager.subscribe('*', metrics.observe)
  return { manager, metrics, clock }
}

describe('createMetrics', () => {
  it('registers every metric on its own registry, never the global one', () => {
    const first = createMetrics()
    // A second set would throw "already registered" on a shared registry.
    const second = createMetrics()
    expect(first.registry).not.toBe(second.registry)
    expect(
      first.registry
        .getMetricsAsArray()
        .map((metric) => metric.name)
        .sort(),
    ).toEqual([
      'dust_conversion_cost_total',
      'dust_conversions_total',
      'dust_equity_incomplete',
      'dust_price_age_seconds',
      'dust_ratio',
      'dust_scan_duration_seconds',
      'dust_threshold',
      'dust_unpriced_tokens',
      'dust_value',
      'dust_venue_errors_total',
    ])
    expect(globalRegistry.getSingleMetric('dust_ratio')).toBeUndefined()
  })

  it('measures a cycle: ratio, threshold, the value of each dust holding and the unpriced count', async () => {
    const { manager, metrics } = wire([createTestStrategy()])
    await manager.runOnce()
    expect(await samples(metrics, 'dust_ratio')).toEqual([[{ strategy: 'usdt_test' }, 0.00266]])
    expect(await samples(metrics, 'dust_threshold')).toEqual([[{ strategy: 'usdt_test' }, 0.002]])
    expect(await samples(metrics, 'dust_unpriced_tokens')).toEqual([[{ strategy: 'usdt_test' }, 0]])
    expect(await samples(metrics, 'dust_value')).toEqual([
      [{ strategy: 'usdt_test', token: 'EIGEN', venue: 'etherfi' }, 1875],
      [{ strategy: 'usdt_test', token: 'EIGEN', venue: 'wallet' }, 25],
      [{ strategy: 'usdt_test', token: 'ETHFI', venue: 'wallet' }, 760],
    ])
    const text = await metrics.text()
    expect(text).toContain('# TYPE dust_value gauge\n')
    expect(text).toContain('dust_value{strategy="usdt_test",token="EIGEN",venue="etherfi"} 1875\n')
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8')
  })

  it('counts conversions and their cost by venue, starting every venue at zero, and drops dust that was sold', async () => {
    const { manager, metrics } = wire([createTestStrategy({ edit: paper })], { execute: true })
    expect(await samples(metrics, 'dust_conversions_total')).toEqual([
      [{ strategy: 'usdt_test', venue: 'binance', outcome: 'converted' }, 0],
      [{ strategy: 'usdt_test', venue: 'binance', outcome: 'failed' }, 0],
      [{ strategy: 'usdt_test', venue: 'uniswap', outcome: 'converted' }, 0],
      [{ strategy: 'usdt_test', venue: 'uniswap', outcome: 'failed' }, 0],
    ])
    await manager.runOnce()
    expect(await samples(metrics, 'dust_conversions_total')).toContainEqual([{ strategy: 'usdt_test', venue: 'binance', outcome: 'converted' }, 2])
    const [binanceCost] = (await samples(metrics, 'dust_conversion_cost_total')).filter(([labels]) => labels.venue === 'binance')
    // 2.86619 + 1.16515 USDT of fees, added exactly, then made a float once.
    expect(binanceCost?.[1]).toBe(4.03134)

    // The dust is sold: the next cycle's snapshot has no dust holding, and its series go.
    await manager.runOnce()
    expect(await samples(metrics, 'dust_value')).toEqual([])
    expect(await samples(metrics, 'dust_ratio')).toEqual([[{ strategy: 'usdt_test' }, 0]])
  })

  it('counts failed conversions and venue errors', async () => {
    const metrics = createMetrics()
    const base = { strategy_mode: 'usdt_test', timestamp: FIXED_TIME }
    const events: DustEvent[] = [
      { ...base, event_type: 'dust_conversion_failed', conversion_id: 'c1', token: 'EIGEN', venue: 'binance', amount: '1520', reason: 'venue_failed', detail: 'down', retryable: true, steps: [] },
      { ...base, event_type: 'dust_warning', code: 'venue_failed', venue: 'uniswap', token: 'EIGEN', message: 'Venue uniswap could not quote EIGEN: timeout' },
      { ...base, event_type: 'dust_warning', code: 'venue_failed', venue: 'uniswap', token: 'ETHFI', message: 'Venue uniswap could not quote ETHFI: timeout' },
      { ...base, event_type: 'dust_warning', code: 'source_failed', venue: 'wallet', message: 'Balance source wallet failed: down' },
    ]
    for (const event of events) metrics.observe(event)
    expect(await samples(metrics, 'dust_conversions_total')).toEqual([[{ strategy: 'usdt_test', venue: 'binance', outcome: 'failed' }, 1]])
    expect(await samples(metrics, 'dust_venue_errors_total')).toEqual([[{ strategy: 'usdt_test', venue: 'uniswap' }, 2]])
  })

  it('shows the age of prices refused as stale, and drops it once a cycle finds them fresh', async () => {
    // Prices are stamped at FIXED_TIME; the manager's clock is 720 s later, past max_price_age (600 s).
    const priceClock = fixtureClock()
    const { manager, metrics, clock } = wire([createTestStrategy({ clock: priceClock })], { start: FIXED_TIME + 720_000 })
    await manager.runOnce()
    expect(await samples(metrics, 'dust_price_age_seconds')).toEqual([[{ strategy: 'usdt_test', source: 'static#0' }, 720]])
    expect(await samples(metrics, 'dust_unpriced_tokens')).toEqual([[{ strategy: 'usdt_test' }, 3]])

    priceClock.set(clock.now())
    await manager.runOnce()
    expect(await samples(metrics, 'dust_price_age_seconds')).toEqual([])
    expect(await samples(metrics, 'dust_unpriced_tokens')).toEqual([[{ strategy: 'usdt_test' }, 0]])
  })

  it('derives every sample from exact sums: values and costs whose float sums drift come out as the nearest float of the exact total', async () => {
    const metrics = createMetrics()
    const base = { strategy_mode: 'usdt_test', timestamp: FIXED_TIME }
    // As floats, 0.1 + 0.2 is 0.30000000000000004 and ten times 0.1 is 0.9999999999999999.
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(Array.from({ length: 10 }, () => 0.1).reduce((a, b) => a + b, 0)).not.toBe(1)
    const snapshot = {
      timestamp: FIXED_TIME,
      strategy_mode: 'usdt_test',
      share_class: 'USDT',
      total_dust_value: '0.3',
      // Two holdings of one token at one venue make one series, their exact sum.
      dust_tokens: [
        { token: 'EIGEN', amount: '0.08', value: '0.1', venue: 'wallet', source: 'wallet_balance' as const },
        { token: 'EIGEN', amount: '0.16', value: '0.2', venue: 'wallet', source: 'wallet_balance' as const },
      ],
      unpriced_tokens: [],
      equity: '1000000',
      dust_ratio: '0.0000003',
      dust_delta: '0.002',
      exceeds_threshold: false,
    }
    metrics.observe({ ...base, event_type: 'dust_checked', snapshot })
    expect(await samples(metrics, 'dust_value')).toEqual([[{ strategy: 'usdt_test', token: 'EIGEN', venue: 'wallet' }, 0.3]])
    const converted = (fees: string, index: number): DustEvent => ({
      ...base,
      event_type: 'dust_converted',
      conversion_id: `c${index}`,
      token: 'EIGEN',
      venue: 'binance',
      amount: '1',
      output: '1.2',
      fees,
      target_currency: 'USDT',
      instruction: instructionJson({ conversion_id: `c${index}`, venue: 'binance' }),
      steps: [],
    })
    for (let index = 0; index < 10; index += 1) metrics.observe(converted('0.1', index))
    expect(await samples(metrics, 'dust_conversion_cost_total')).toEqual([[{ strategy: 'usdt_test', venue: 'binance' }, 1]])
    // Eighteen decimals stay exact in the total; the float is taken once, of the exact 1.000000000000000001.
    metrics.observe(converted('0.000000000000000001', 10))
    metrics.observe(converted('0.2', 11))
    expect(await samples(metrics, 'dust_conversion_cost_total')).toEqual([[{ strategy: 'usdt_test', venue: 'binance' }, 1.2]])
    expect(await metrics.text()).toContain('dust_conversion_cost_total{strategy="usdt_test",venue="binance"} 1.2\n')
  })

  it('marks an incomplete cycle and keeps the figures of the last complete one', async () => {
    let failing = false
    const strategy = createTestStrategy({
      override: (wired) => ({
        balanceSources: wired.balanceSources.map((source) =>
          source.name === 'etherfi' ? { ...source, fetchHoldings: () => (failing ? Promise.reject(new Error('The rewards API answered 503.')) : source.fetchHoldings()) } : source,
        ),
      }),
    })
    const { manager, metrics } = wire([strategy])
    await manager.runOnce()
    expect(await samples(metrics, 'dust_equity_incomplete')).toEqual([[{ strategy: 'usdt_test' }, 0]])
    failing = true
    await manager.runOnce()
    expect(await samples(metrics, 'dust_equity_incomplete')).toEqual([[{ strategy: 'usdt_test' }, 1]])
    // Not the 785 USDT of the wallet alone over 1,000,000: the last complete ratio stays.
    expect(await samples(metrics, 'dust_ratio')).toEqual([[{ strategy: 'usdt_test' }, 0.00266]])
    expect(await samples(metrics, 'dust_value')).toContainEqual([{ strategy: 'usdt_test', token: 'EIGEN', venue: 'etherfi' }, 1875])
    failing = false
    await manager.runOnce()
    expect(await samples(metrics, 'dust_equity_incomplete')).toEqual([[{ strategy: 'usdt_test' }, 0]])
  })

  it('records scan durations in a histogram', async () => {
    const metrics = createMetrics()
    metrics.observeScanDuration('usdt_test', 0.2)
    metrics.observeScanDuration('usdt_test', 3)
    const text = await metrics.text()
    expect(text).toContain('dust_scan_duration_seconds_bucket{le="0.25",strategy="usdt_test"} 1\n')
    expect(text).toContain('dust_scan_duration_seconds_bucket{le="5",strategy="usdt_test"} 2\n')
    expect(text).toContain('dust_scan_duration_seconds_sum{strategy="usdt_test"} 3.2\n')
    expect(text).toContain('dust_scan_duration_seconds_count{strategy="usdt_test"} 2\n')
  })
})
