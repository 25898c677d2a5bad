import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { DustPolicy } from '../../domain/dust/index.js'
import type { DustEvent } from '../../domain/events.js'
import { Fraction } from '../../domain/money/index.js'
import type { ConversionVenue } from '../../ports/index.js'

export type CreateMetricsParameters = {
  /**
   * Strategies whose counters start at zero for each of their venues, so that the first failed
   * conversion shows in `increase()` (a series that appears at 1 shows no increase).
   */
  strategies?: ReadonlyArray<{ readonly policy: Pick<DustPolicy, 'mode'>; readonly venues: readonly Pick<ConversionVenue, 'name'>[] }> | undefined
}

/** Is the Prometheus view of the dust manager: metrics updated from its events. */
export type Metrics = {
  /** This metrics' own registry (never prom-client's global one). */
  readonly registry: Registry
  /** The content type of `text()`, for the `/metrics` response. */
  readonly contentType: string
  /** Updates the metrics from one event; subscribe it to the manager with `'*'`. */
  observe(event: DustEvent): void
  /** Records how long a strategy's scan took. */
  observeScanDuration(mode: string, seconds: number): void
  /** The metrics in Prometheus' text exposition format. */
  text(): Promise<string>
}

/**
 * Gives the float nearest to an exact value. Values are exact everywhere else (sums included);
 * a Prometheus sample is a float64, so this metrics edge is the one place they become `number`,
 * once per sample: a float sum would drift (0.1 + 0.2 is 0.30000000000000004), an exact one
 * converted once does not.
 */
function toFloat(value: Fraction): number {
  // 36 decimals hold any amount of an 18-decimal token exactly; Number() then rounds once, to nearest.
  return Number(value.toDecimalString(36)) // float-ok: a Prometheus sample is a float64
}

/**
 * Creates the dust manager's metrics on a registry of their own.
 *
 * Gauges describe the last cycle of each strategy: a token no longer dust, or a source whose
 * price is no longer stale, loses its series at the next `dust_checked`, so alerts resolve.
 * A cycle whose snapshot is incomplete (a source failed) sets `dust_equity_incomplete` to 1 and
 * leaves the ratio, values and unpriced count of the last complete cycle as they were.
 */
export function createMetrics(parameters: CreateMetricsParameters = {}): Metrics {
  const registry = new Registry()
  const registers = [registry]
  const ratio = new Gauge({ name: 'dust_ratio', help: 'Dust value over equity, both in the share class, at the last cycle.', labelNames: ['strategy'], registers })
  const threshold = new Gauge({ name: 'dust_threshold', help: 'The dust_delta above which dust is converted.', labelNames: ['strategy'], registers })
  const value = new Gauge({
    name: 'dust_value',
    help: 'Value of a dust holding in share class units, at the last cycle.',
    labelNames: ['strategy', 'token', 'venue'],
    registers,
  })
  const unpriced = new Gauge({ name: 'dust_unpriced_tokens', help: 'Dust holdings no price source could value, at the last cycle.', labelNames: ['strategy'], registers })
  const conversions = new Counter({
    name: 'dust_conversions_total',
    help: 'Conversions finished, by outcome (converted or failed).',
    labelNames: ['strategy', 'venue', 'outcome'],
    registers,
  })
  // The exact cost of each (strategy, venue); the counter is set from it when scraped, never summed as floats.
  const costs = new Map<string, { labels: { strategy: string; venue: string }; total: Fraction }>()
  const addCost = (strategy: string, venue: string, amount: Fraction) => {
    const key = `${strategy}\u0000${venue}`
    const entry = costs.get(key) ?? { labels: { strategy, venue }, total: Fraction.ZERO }
    entry.total = entry.total.add(amount).reduce()
    costs.set(key, entry)
  }
  const cost: Counter<'strategy' | 'venue'> = new Counter({
    name: 'dust_conversion_cost_total',
    help: 'Fees and gas of finished conversions, in share class units.',
    labelNames: ['strategy', 'venue'],
    registers,
    collect: () => {
      cost.reset()
      for (const { labels, total } of costs.values()) cost.inc(labels, toFloat(total))
    },
  })
  const incomplete = new Gauge({
    name: 'dust_equity_incomplete',
    help: '1 when the equity and dust of the last cycle were incomplete (a source failed, a holding had no price) and nothing was decided; else 0.',
    labelNames: ['strategy'],
    registers,
  })
  const scanDuration = new Histogram({
    name: 'dust_scan_duration_seconds',
    help: 'Time a strategy scan took.',
    labelNames: ['strategy'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  })
  const priceAge = new Gauge({
    name: 'dust_price_age_seconds',
    help: 'Age of a price refused as stale at the last cycle, by price source.',
    labelNames: ['strategy', 'source'],
    registers,
  })
  const venueErrors = new Counter({ name: 'dust_venue_errors_total', help: 'Venues that failed to quote or trade.', labelNames: ['strategy', 'venue'], registers })

  for (const strategy of parameters.strategies ?? []) {
    const mode = strategy.policy.mode
    for (const venue of strategy.venues) {
      conversions.inc({ strategy: mode, venue: venue.name, outcome: 'converted' }, 0)
      conversions.inc({ strategy: mode, venue: venue.name, outcome: 'failed' }, 0)
      addCost(mode, venue.name, Fraction.ZERO)
      venueErrors.inc({ strategy: mode, venue: venue.name }, 0)
    }
  }

  // Label sets shown at the last cycle of each strategy, to remove those the next one no longer has.
  const shownValues = new Map<string, Map<string, { token: string; venue: string }>>()
  const shownStale = new Map<string, Set<string>>()
  // Sources found stale since the last `dust_checked`: a cycle's warnings come before its snapshot.
  const pendingStale = new Map<string, Set<string>>()

  function checked(event: Extract<DustEvent, { event_type: 'dust_checked' }>): void {
    const mode = event.strategy_mode
    const { snapshot } = event
    incomplete.set({ strategy: mode }, snapshot.incomplete_equity ? 1 : 0)
    if (!snapshot.incomplete_equity) {
      ratio.set({ strategy: mode }, toFloat(Fraction.fromDecimalString(snapshot.dust_ratio)))
      threshold.set({ strategy: mode }, toFloat(Fraction.fromDecimalString(snapshot.dust_delta)))
      unpriced.set({ strategy: mode }, snapshot.unpriced_tokens.length)

      // Holdings of one token at one venue add up exactly; each series is converted once.
      const values = new Map<string, { token: string; venue: string; value: Fraction }>()
      for (const token of snapshot.dust_tokens) {
        const key = `${token.token}\u0000${token.venue}`
        const entry = values.get(key) ?? { token: token.token, venue: token.venue, value: Fraction.ZERO }
        entry.value = entry.value.add(Fraction.fromDecimalString(token.value))
        values.set(key, entry)
      }
      for (const [key, labels] of shownValues.get(mode) ?? []) {
        if (!values.has(key)) value.remove({ strategy: mode, ...labels })
      }
      for (const entry of values.values()) value.set({ strategy: mode, token: entry.token, venue: entry.venue }, toFloat(entry.value))
      shownValues.set(mode, new Map([...values].map(([key, entry]) => [key, { token: entry.token, venue: entry.venue }])))
    }

    const stale = pendingStale.get(mode) ?? new Set<string>()
    for (const source of shownStale.get(mode) ?? []) {
      if (!stale.has(source)) priceAge.remove({ strategy: mode, source })
    }
    shownStale.set(mode, stale)
    pendingStale.delete(mode)
  }

  function observe(event: DustEvent): void {
    switch (event.event_type) {
      case 'dust_checked':
        checked(event)
        return
      case 'dust_converted': {
        conversions.inc({ strategy: event.strategy_mode, venue: event.venue, outcome: 'converted' })
        const fees = Fraction.fromDecimalString(event.fees)
        if (!fees.isNegative()) addCost(event.strategy_mode, event.venue, fees)
        return
      }
      case 'dust_conversion_failed':
        conversions.inc({ strategy: event.strategy_mode, venue: event.venue, outcome: 'failed' })
        return
      case 'dust_warning': {
        if (event.code === 'venue_failed' && event.venue !== undefined) venueErrors.inc({ strategy: event.strategy_mode, venue: event.venue })
        if (event.code === 'stale_price' && event.venue !== undefined) {
          // The warning carries the price's age in its figures.
          const age = event.figures?.age_seconds
          if (age === undefined) return
          priceAge.set({ strategy: event.strategy_mode, source: event.venue }, Number(age))
          const stale = pendingStale.get(event.strategy_mode) ?? new Set<string>()
          stale.add(event.venue)
          pendingStale.set(event.strategy_mode, stale)
        }
        return
      }
      case 'dust_detected':
      case 'dust_cycle_failed':
      case 'conversion_state_changed':
        // Their figures are in the events above (detected is checked's snapshot over the threshold).
        return
    }
  }

  return {
    registry,
    contentType: registry.contentType,
    observe,
    observeScanDuration(mode, seconds) {
      scanDuration.observe({ strategy: mode }, seconds)
    },
    text: () => registry.metrics(),
  }
}
