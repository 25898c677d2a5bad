import { createMetrics } from '../src/adapters/prometheus/createMetrics.js'

/**
 * Every series name the metrics module exposes, with the labels it carries: a histogram's as
 * `_bucket` (plus `le`), `_sum` and `_count`. What alert rules and dashboards may query.
 */
export function exposedMetricSeries(): ReadonlyMap<string, readonly string[]> {
  const series = new Map<string, readonly string[]>()
  for (const metric of createMetrics().registry.getMetricsAsArray()) {
    const labels = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? []
    series.set(metric.name, labels)
    if (String(metric.type) === 'histogram') {
      series.set(`${metric.name}_bucket`, [...labels, 'le'])
      series.set(`${metric.name}_sum`, labels)
      series.set(`${metric.name}_count`, labels)
    }
  }
  return series
}
