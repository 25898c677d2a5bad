import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parser } from '@prometheus-io/lezer-promql'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { exposedMetricSeries } from '../../../test/exposedMetricSeries.js'

// The rules are checked here with Node alone: every expression by Prometheus' own PromQL grammar
// (@prometheus-io/lezer-promql, the parser of Prometheus' web UI), and the file's structure by the
// checks below. `.ci/run` also runs `promtool check rules` on the file (Debian's prometheus).
const ALERTS_FILE = fileURLToPath(new URL('../../../ops/prometheus/alerts.yml', import.meta.url))

/** What the metrics module exposes: each series name with the labels it carries. */
type Exposed = ReadonlyMap<string, readonly string[]>

/** Every series name the metrics module exposes, with its labels. */
const exposedSeries = (): Exposed => exposedMetricSeries()

/** Functions whose first argument is a range vector: given an instant vector, Prometheus refuses the rule. */
const RANGE_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'predict_linear', 'absent_over_time', 'present_over_time'])

/** The result of reading one PromQL expression: its syntax errors (with their offset) and the metric names it selects. */
type ReadExpression = { errors: string[]; metrics: string[] }

/** Parses a PromQL expression with Prometheus' grammar and reads the metric names its selectors name. */
function readExpression(expr: string): ReadExpression {
  const errors: string[] = []
  const metrics = new Set<string>()
  const text = (from: number, to: number) => expr.slice(from, to)
  // Metric names hold no escapes: a string literal's quotes (", ' or `) are all there is to take off.
  const unquote = (literal: string) => literal.slice(1, -1)
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(`syntax error at offset ${node.from} (${node.from < expr.length ? `at "${text(node.from, node.from + 12)}"` : 'at the end'})`)
        return
      }
      if (node.name === 'VectorSelector') {
        const selector = node.node
        const identifier = selector.getChild('Identifier')
        // `{"metric"}` (a quoted name first) and `{__name__="metric"}` name the metric inside the braces.
        const quoted = selector.getChild('LabelMatchers')?.getChild('QuotedLabelName')
        const byName = selector
          .getChild('LabelMatchers')
          ?.getChildren('UnquotedLabelMatcher')
          .find((matcher) => text(matcher.getChild('LabelName')?.from ?? 0, matcher.getChild('LabelName')?.to ?? 0) === '__name__')
        if (identifier) metrics.add(text(identifier.from, identifier.to))
        else if (quoted) metrics.add(unquote(text(quoted.from, quoted.to)))
        else if (byName?.getChild('MatchOp')?.getChild('EqlSingle') && byName.getChild('StringLiteral')) {
          const literal = byName.getChild('StringLiteral')
          if (literal) metrics.add(unquote(text(literal.from, literal.to)))
        } else errors.push(`the selector "${text(node.from, node.to)}" names no single metric, so what it reads cannot be checked`)
      }
      if (node.name === 'FunctionCall') {
        const call = node.node
        const identifier = call.getChild('FunctionIdentifier')
        const name = identifier ? text(identifier.from, identifier.to) : ''
        let argument = call.getChild('FunctionCallBody')?.firstChild ?? null
        while (argument?.name === 'ParenExpr') argument = argument.firstChild
        const isRange = argument?.name === 'MatrixSelector' || argument?.name === 'SubqueryExpr'
        if ((RANGE_FUNCTIONS.has(name) || name.endsWith('_over_time')) && !isRange)
          errors.push(`${name}() takes a range vector (such as metric[5m]) first, found "${argument ? text(argument.from, argument.to) : 'nothing'}"`)
      }
    },
  })
  return { errors, metrics: [...metrics] }
}

/** A Prometheus duration (`model.ParseDuration`): units from years to milliseconds, largest first, each once; or `0`. */
const DURATION = /^(?:0|(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const RULE_KEYS = new Set(['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'])
const GROUP_KEYS = new Set(['name', 'interval', 'limit', 'query_offset', 'labels', 'rules'])
/** The template actions an annotation may hold: the alert's value, one of its labels or an external label, optionally piped through Prometheus' humanize functions. */
const TEMPLATE_ACTION =
  /^\$(?:value|labels\.([a-zA-Z_][a-zA-Z0-9_]*)|externalLabels\.[a-zA-Z_][a-zA-Z0-9_]*)(?:\s*\|\s*(?:humanize|humanize1024|humanizeDuration|humanizePercentage|humanizeTimestamp))*$/

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0

/**
 * Checks an alert rules file as Prometheus would load it, and more: every group and rule has only
 * known keys; every rule has `alert`, `expr`, `for`, `labels.severity` (warning or critical) and
 * `annotations.summary` and `.description`; every expression parses and reads metrics that the
 * metrics module exposes; durations parse; annotations use only `$value`, `$externalLabels.<name>`
 * and `$labels.<name>` of a label the rule's metrics carry. Returns every problem found, each
 * prefixed by where it is, in file order.
 */
function checkAlertRules(source: string, exposed: Exposed): string[] {
  const problems: string[] = []
  let document: unknown
  try {
    document = parse(source)
  } catch (error) {
    return [`the file is not YAML: ${(error as Error).message}`]
  }
  if (!isRecord(document) || !Array.isArray(document.groups) || document.groups.length === 0) return ['the file has no `groups` list']
  for (const key of Object.keys(document)) if (key !== 'groups') problems.push(`unknown top-level key "${key}"`)
  const groupNames = new Set<string>()
  const alertNames = new Set<string>()
  for (const [groupIndex, group] of document.groups.entries()) {
    const where = `groups[${groupIndex}]`
    if (!isRecord(group)) {
      problems.push(`${where}: expected a mapping, found ${JSON.stringify(group)}`)
      continue
    }
    for (const key of Object.keys(group)) if (!GROUP_KEYS.has(key)) problems.push(`${where}: unknown key "${key}"`)
    if (!nonEmpty(group.name)) problems.push(`${where}: name is missing`)
    else if (groupNames.has(group.name)) problems.push(`${where}: the group name "${group.name}" is used twice`)
    else groupNames.add(group.name)
    if (group.interval !== undefined && !(typeof group.interval === 'string' && DURATION.test(group.interval)))
      problems.push(`${where}: interval must be a duration such as 1m, found ${JSON.stringify(group.interval)}`)
    if (!Array.isArray(group.rules) || group.rules.length === 0) {
      problems.push(`${where}: rules is missing or empty`)
      continue
    }
    for (const [ruleIndex, rule] of group.rules.entries()) {
      const at = `${where}.rules[${ruleIndex}]${isRecord(rule) && typeof rule.alert === 'string' ? ` (${rule.alert})` : ''}`
      if (!isRecord(rule)) {
        problems.push(`${at}: expected a mapping, found ${JSON.stringify(rule)}`)
        continue
      }
      for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) problems.push(`${at}: unknown key "${key}"`)
      if (!nonEmpty(rule.alert) || !METRIC_NAME.test(rule.alert)) problems.push(`${at}: alert must be a name such as DustAboveThreshold, found ${JSON.stringify(rule.alert)}`)
      else if (alertNames.has(rule.alert)) problems.push(`${at}: the alert name "${rule.alert}" is used twice`)
      else alertNames.add(rule.alert)
      for (const key of ['for', 'keep_firing_for'] as const) {
        if (key === 'keep_firing_for' && rule[key] === undefined) continue
        if (!(typeof rule[key] === 'string' && DURATION.test(rule[key]))) problems.push(`${at}: ${key} must be a duration such as 15m or 0m, found ${JSON.stringify(rule[key])}`)
      }
      // The labels the rule's series carry, known only when its expression is sound (else its problems are reported instead).
      let labelsOfRule: Set<string> | undefined
      if (!nonEmpty(rule.expr)) problems.push(`${at}: expr is missing`)
      else {
        const { errors, metrics } = readExpression(rule.expr)
        for (const error of errors) problems.push(`${at}: expr "${rule.expr}": ${error}`)
        if (errors.length === 0 && metrics.length === 0) problems.push(`${at}: expr "${rule.expr}" reads no metric`)
        const unknown = metrics.filter((metric) => !exposed.has(metric))
        for (const metric of unknown) problems.push(`${at}: expr reads ${metric}, which createMetrics does not register`)
        if (errors.length === 0 && metrics.length > 0 && unknown.length === 0) labelsOfRule = new Set(metrics.flatMap((metric) => exposed.get(metric) ?? []))
      }
      if (!isRecord(rule.labels)) problems.push(`${at}: labels.severity is missing`)
      else {
        for (const [name, value] of Object.entries(rule.labels)) {
          if (!LABEL_NAME.test(name)) problems.push(`${at}: labels: "${name}" is not a label name`)
          if (typeof value !== 'string') problems.push(`${at}: labels.${name} must be a string, found ${JSON.stringify(value)}`)
        }
        if (rule.labels.severity !== 'warning' && rule.labels.severity !== 'critical')
          problems.push(`${at}: labels.severity must be warning or critical, found ${JSON.stringify(rule.labels.severity)}`)
      }
      const annotations = isRecord(rule.annotations) ? rule.annotations : {}
      for (const key of ['summary', 'description']) if (!nonEmpty(annotations[key])) problems.push(`${at}: annotations.${key} is missing`)
      for (const [key, value] of Object.entries(annotations)) {
        if (typeof value !== 'string') {
          problems.push(`${at}: annotations.${key} must be a string, found ${JSON.stringify(value)}`)
          continue
        }
        const opened = value.split('{{').length - 1
        const actions = [...value.matchAll(/\{\{\s*(.*?)\s*\}\}/g)]
        if (opened !== actions.length || value.split('}}').length - 1 !== actions.length) problems.push(`${at}: annotations.${key} has an unclosed {{ or a stray }}`)
        for (const [, action = ''] of actions) {
          const match = TEMPLATE_ACTION.exec(action)
          if (!match) problems.push(`${at}: annotations.${key}: "{{ ${action} }}" is not $value, $labels.<name> or $externalLabels.<name> (optionally | humanize…)`)
          else if (match[1] && labelsOfRule && !labelsOfRule.has(match[1]))
            problems.push(`${at}: annotations.${key}: $labels.${match[1]} is not a label of the metrics the expression reads (${[...labelsOfRule].join(', ') || 'none'})`)
        }
      }
    }
  }
  return problems
}

/** A one-group rules file holding one rule built from `rule`, for the checker's own tests. */
function oneRule(rule: Record<string, unknown>): string {
  const base = { alert: 'DustTest', expr: 'dust_ratio > 0', for: '5m', labels: { severity: 'warning' }, annotations: { summary: 'S {{ $labels.strategy }}', description: 'D {{ $value }}' } }
  return JSON.stringify({ groups: [{ name: 'g', rules: [{ ...base, ...rule }] }] })
}

describe('the alert rules checker', () => {
  const exposed = exposedSeries()
  const check = (rule: Record<string, unknown>) => checkAlertRules(oneRule(rule), exposed)

  it('reads the metric names of an expression from its syntax tree, not functions, labels, ranges or keywords', () => {
    expect(readExpression('increase(dust_conversions_total{outcome="failed", venue=~"a|b"}[15m]) > 0')).toEqual({ errors: [], metrics: ['dust_conversions_total'] })
    expect(readExpression('sum by (strategy) (rate(dust_scan_duration_seconds_sum[5m])) / on (strategy) dust_ratio > bool 1').metrics).toEqual(['dust_scan_duration_seconds_sum', 'dust_ratio'])
    expect(readExpression('{__name__="dust_ratio"} > {"dust_threshold"}').metrics).toEqual(['dust_ratio', 'dust_threshold'])
    expect(readExpression('max_over_time(dust_ratio[1h:5m]) > 0')).toEqual({ errors: [], metrics: ['dust_ratio'] })
  })

  it('accepts a well-formed rule', () => {
    expect(check({})).toEqual([])
  })

  it('reports a PromQL syntax error with where it is', () => {
    expect(check({ expr: 'dust_ratio >' })).toEqual(['groups[0].rules[0] (DustTest): expr "dust_ratio >": syntax error at offset 12 (at the end)'])
    expect(check({ expr: 'rate(dust_ratio[5m) > 0' })).toEqual(['groups[0].rules[0] (DustTest): expr "rate(dust_ratio[5m) > 0": syntax error at offset 18 (at ") > 0")'])
  })

  it('reports a range function given an instant vector, and a selector naming no single metric', () => {
    expect(check({ expr: 'rate(dust_conversions_total) > 0' })).toEqual([
      'groups[0].rules[0] (DustTest): expr "rate(dust_conversions_total) > 0": rate() takes a range vector (such as metric[5m]) first, found "dust_conversions_total"',
    ])
    expect(check({ expr: '{__name__=~"dust_.*"} > 0' })).toEqual([
      'groups[0].rules[0] (DustTest): expr "{__name__=~"dust_.*"} > 0": the selector "{__name__=~"dust_.*"}" names no single metric, so what it reads cannot be checked',
    ])
  })

  it('reports a metric the metrics module does not register, and an expression that reads none', () => {
    expect(check({ expr: 'dust_ratios > 0' })).toEqual(['groups[0].rules[0] (DustTest): expr reads dust_ratios, which createMetrics does not register'])
    expect(check({ expr: 'vector(1) > 0' })).toEqual(['groups[0].rules[0] (DustTest): expr "vector(1) > 0" reads no metric'])
  })

  it('reports missing fields, bad durations, unknown keys and a bad severity, all at once', () => {
    expect(
      checkAlertRules(
        JSON.stringify({
          groups: [
            { name: 'g', rules: [{ alert: 'DustTest', expr: 'dust_ratio > 0', for: '15 minutes', keep_firing_for: '1h5', labels: { severity: 'page' }, annotations: { summary: 'S' }, fro: '5m' }] },
          ],
        }),
        exposed,
      ),
    ).toEqual([
      'groups[0].rules[0] (DustTest): unknown key "fro"',
      'groups[0].rules[0] (DustTest): for must be a duration such as 15m or 0m, found "15 minutes"',
      'groups[0].rules[0] (DustTest): keep_firing_for must be a duration such as 15m or 0m, found "1h5"',
      'groups[0].rules[0] (DustTest): labels.severity must be warning or critical, found "page"',
      'groups[0].rules[0] (DustTest): annotations.description is missing',
    ])
    expect(checkAlertRules(JSON.stringify({ groups: [{ name: 'g', rules: [{ expr: 'dust_ratio > 0' }] }] }), exposed)).toEqual([
      'groups[0].rules[0]: alert must be a name such as DustAboveThreshold, found undefined',
      'groups[0].rules[0]: for must be a duration such as 15m or 0m, found undefined',
      'groups[0].rules[0]: labels.severity is missing',
      'groups[0].rules[0]: annotations.summary is missing',
      'groups[0].rules[0]: annotations.description is missing',
    ])
    expect(checkAlertRules('groups: []\n', exposed)).toEqual(['the file has no `groups` list'])
  })

  it('accepts the durations Prometheus parses and refuses the others', () => {
    expect(['0', '0m', '15m', '1h30m', '2d', '1w', '1y', '500ms', '1h0m0s'].filter((value) => !DURATION.test(value))).toEqual([])
    expect(['', '15', 'm', '15 m', '1.5h', '30m1h', '-5m', '5M', '1h1h'].filter((value) => DURATION.test(value))).toEqual([])
  })

  it('reports annotation templates that name a label the metrics lack, or are not a plain value', () => {
    expect(check({ annotations: { summary: 'S {{ $labels.stratgy }}', description: 'D {{ $value | humanizePercentage }} {{ $value | printf "%.2f" }} {{ $labels.strategy' } })).toEqual([
      'groups[0].rules[0] (DustTest): annotations.summary: $labels.stratgy is not a label of the metrics the expression reads (strategy)',
      'groups[0].rules[0] (DustTest): annotations.description has an unclosed {{ or a stray }}',
      'groups[0].rules[0] (DustTest): annotations.description: "{{ $value | printf "%.2f" }}" is not $value, $labels.<name> or $externalLabels.<name> (optionally | humanize…)',
    ])
  })
})

describe('ops/prometheus/alerts.yml', () => {
  it('passes every check: PromQL, structure, durations, metrics and labels', () => {
    expect(checkAlertRules(readFileSync(ALERTS_FILE, 'utf8'), exposedSeries())).toEqual([])
  })

  it('has the five alerts, with their expressions and durations', () => {
    const document = parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string; for: string; labels: { severity: string } }> }> }
    const rules = document.groups.flatMap((group) => group.rules)
    expect(Object.fromEntries(rules.map((rule) => [rule.alert, [rule.expr, rule.for, rule.labels.severity]]))).toEqual({
      DustAboveThreshold: ['dust_ratio > dust_threshold', '15m', 'warning'],
      DustConversionFailed: ['increase(dust_conversions_total{outcome="failed"}[15m]) > 0', '0m', 'critical'],
      DustPriceStale: ['dust_price_age_seconds > 600', '0m', 'warning'],
      DustUnpriced: ['dust_unpriced_tokens > 0', '10m', 'warning'],
      DustEquityIncomplete: ['dust_equity_incomplete == 1', '10m', 'warning'],
    })
  })
})
