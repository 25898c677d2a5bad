import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createMetrics } from './createMetrics.js'

const ALERTS_FILE = fileURLToPath(new URL('../../../ops/prometheus/alerts.yml', import.meta.url))

type Rule = { alert?: unknown; expr?: unknown; for?: unknown; labels?: { severity?: unknown }; annotations?: { summary?: unknown } }

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan'])

/** The metric names an expression reads: identifiers outside label matchers, ranges and strings that are not functions or keywords. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    // Grouping clauses name labels, not metrics: `by (strategy)`.
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
  const names = new Set<string>()
  for (const match of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0]
    const after = bare.slice((match.index ?? 0) + name.length).trimStart()
    if (after.startsWith('(') || PROMQL_WORDS.has(name.toLowerCase())) continue
    names.add(name)
  }
  return [...names]
}

/** Every series name the metrics module exposes: a histogram's as `_bucket`, `_sum` and `_count`. */
function exposedNames(): Set<string> {
  const names = new Set<string>()
  for (const metric of createMetrics().registry.getMetricsAsArray()) {
    names.add(metric.name)
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`)
  }
  return names
}

function readRules(): Rule[] {
  const document = parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups?: Array<{ name?: unknown; rules?: Rule[] }> }
  return (document.groups ?? []).flatMap((group) => group.rules ?? [])
}

describe('ops/prometheus/alerts.yml', () => {
  it('reads metric names out of PromQL, leaving functions, labels, ranges and keywords out', () => {
    expect(metricNamesIn('increase(dust_conversions_total{outcome="failed", venue=~"a|b"}[15m]) > 0')).toEqual(['dust_conversions_total'])
    expect(metricNamesIn('sum by (strategy) (rate(dust_scan_duration_seconds_sum[5m])) / on (strategy) dust_ratio > bool 1')).toEqual(['dust_scan_duration_seconds_sum', 'dust_ratio'])
    expect(metricNamesIn('dust_ratio > dust_threshold')).toEqual(['dust_ratio', 'dust_threshold'])
  })

  it('has the four alerts, each with expr, for, a severity and a summary', () => {
    const rules = readRules()
    expect(rules.map((rule) => rule.alert)).toEqual(['DustAboveThreshold', 'DustConversionFailed', 'DustPriceStale', 'DustUnpriced'])
    for (const rule of rules) {
      expect(rule.expr, `${String(rule.alert)}: expr`).toEqual(expect.any(String))
      expect(rule.for, `${String(rule.alert)}: for`).toMatch(/^\d+[smhd]$/)
      expect(rule.labels?.severity, `${String(rule.alert)}: labels.severity`).toMatch(/^(warning|critical)$/)
      expect(rule.annotations?.summary, `${String(rule.alert)}: annotations.summary`).toEqual(expect.any(String))
    }
    expect(Object.fromEntries(rules.map((rule) => [rule.alert, [rule.expr, rule.for]]))).toEqual({
      DustAboveThreshold: ['dust_ratio > dust_threshold', '15m'],
      DustConversionFailed: ['increase(dust_conversions_total{outcome="failed"}[15m]) > 0', '0m'],
      DustPriceStale: ['dust_price_age_seconds > 600', '0m'],
      DustUnpriced: ['dust_unpriced_tokens > 0', '10m'],
    })
  })

  it('names only metrics that createMetrics registers', () => {
    const exposed = exposedNames()
    for (const rule of readRules()) {
      const names = metricNamesIn(String(rule.expr))
      expect(names.length, `${String(rule.alert)} reads no metric`).toBeGreaterThan(0)
      for (const name of names) expect(exposed.has(name), `${String(rule.alert)} reads ${name}, which createMetrics does not register`).toBe(true)
    }
  })

  // Debian's `prometheus` package ships promtool; where it is installed, the file is also checked by Prometheus' own parser.
  it('passes promtool check rules (Debian\'s prometheus package, which .ci/run installs)', () => {
    const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' })
    expect(promtool.error === undefined && promtool.status === 0 ? 'promtool found' : 'promtool is missing: apt-get install prometheus (bash .ci/run does)').toBe('promtool found')
    const result = spawnSync('promtool', ['check', 'rules', ALERTS_FILE], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('SUCCESS: 4 rules found')
  })
})
