import { dirname, resolve } from 'node:path'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import type { LocalAccount } from 'viem'
import { loadSigner } from '../../adapters/evm/loadSigner.js'
import { createEvmChains } from '../../adapters/evm/createEvmChains.js'
import { createLogger } from '../../adapters/system/createLogger.js'
import { createSystemClock } from '../../adapters/system/createSystemClock.js'
import { type LoadedConfig, loadConfig } from '../../config/index.js'
import { serializeSnapshot } from '../../domain/dust/index.js'
import { type DustWarningRaised, stepRecords } from '../../domain/events.js'
import { serializeInstruction, serializePlan } from '../../domain/planning/ConversionPlan.js'
import { type DustManager, createDustManager } from '../../engine/createDustManager.js'
import { planConversions } from '../../engine/planConversions.js'
import { scanStrategy } from '../../engine/scanStrategy.js'
import type { Strategy } from '../../engine/Strategy.js'
import { BaseError, ConfigError, UsageError } from '../../errors/index.js'
import type { Clock, EventStore, Logger } from '../../ports/index.js'
import { createStrategy } from '../createStrategy.js'
import { runDemo } from '../demo/runDemo.js'
import { serializeConversion } from '../serializeConversion.js'
import { createMetrics } from '../../adapters/prometheus/createMetrics.js'
import { createEventStore } from '../../adapters/store/createEventStore.js'
import { createWebhookNotifier } from '../../adapters/webhook/createWebhookNotifier.js'
import { createHttpServer } from '../http/createHttpServer.js'
import { SingleBar, Presets } from 'cli-progress'
import { defaultDataDir } from '../../adapters/history/readLastCloses.js'
import { BACKTEST_POLICIES, type BacktestPolicy } from '../../engine/backtest/runBacktest.js'
import { type BacktestReport, backtestStrategy } from '../backtest/backtestStrategy.js'
import { parseHour, parsePosition, parseSweep } from '../backtest/parseBacktestOptions.js'
import { writeBacktestPlots } from '../backtest/plotBacktest.js'
import { renderBacktest, serializeBacktest } from '../backtest/renderBacktest.js'
import { formatTable } from './formatTable.js'
import { parseSecondsOption } from './parseSecondsOption.js'
import { parseWholeOption } from './parseWholeOption.js'
import { collectSecrets } from './collectSecrets.js'
import { redactConfig } from './redactConfig.js'
import { renderEvent, renderOutcomes, renderPlan, renderSnapshot, showRatio } from './render.js'

/** What the CLI talks to: injected so tests run it in-process. */
export type CliIo = {
  stdout(text: string): void
  stderr(text: string): void
  env: Readonly<Record<string, string | undefined>>
  clock?: Clock | undefined
  logger?: Logger | undefined
  /** Resolves when the user asks to stop (SIGINT, SIGTERM); `monitor` stops its loop then. */
  stopSignal?: AbortSignal | undefined
  /** The terminal stream progress bars draw on (process.stderr); without one, none is drawn. */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean } | undefined
}

/** A warning as `--json` prints it: its code, its message and, when it has them, its figures. */
function warningJson(warning: DustWarningRaised): { code: string; message: string; figures?: Readonly<Record<string, string>> } {
  return { code: warning.code, message: warning.message, ...(warning.figures ? { figures: warning.figures } : {}) }
}

/**
 * Exit codes: 0 success, 1 a runtime failure (a strategy or conversion failed), 2 bad input,
 * 130 stopped by the stop signal before it finished (`main` reports 128 + the signal's number:
 * 130 for SIGINT, 143 for SIGTERM).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, stopped: 130 } as const

/** Commands that watch the stop signal themselves and stop cleanly (a cycle in flight finishes, stores close); the others stop at once. */
const STOPS_ITSELF: ReadonlySet<string> = new Set(['run', 'monitor', 'events', 'serve', 'demo', 'backtest'])

type CommonOptions = { config: string[]; json?: boolean; logLevel: string }

const DEFAULT_CONFIG = 'configs/modes/usdt_eth_staking_hedged_simple.yaml'

function configOption(): Option {
  return new Option('-c, --config <file...>', 'strategy configuration file(s) (YAML); repeat for several strategies').default([DEFAULT_CONFIG])
}

/**
 * Runs the `dust` command line with `argv` (without `node` and the script) and returns its exit code.
 * Nothing here calls `process.exit`: the caller does, so tests can run every command in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok
  const clock = io.clock ?? createSystemClock()
  /** The command's logger: every secret of the loaded configurations (and DATABASE_URL's) is kept out of its lines. */
  const loggerFor = (level: string, loaded: readonly LoadedConfig[] = []) => io.logger ?? createLogger({ level, secrets: collectSecrets({ loaded, env: io.env }) })
  const print = (text: string) => io.stdout(`${text}\n`)

  /** Loads and checks the configuration files only (no strategy is built). */
  async function loadConfigs(options: CommonOptions): Promise<LoadedConfig[]> {
    const loaded: LoadedConfig[] = []
    for (const file of options.config) loaded.push(await loadConfig({ file, env: io.env }))
    return loaded
  }

  /** Loads the signer of a configuration that executes; none for dry-run, nor for commands that only read. */
  async function signerOf(entry: LoadedConfig): Promise<LocalAccount | undefined> {
    const settings = entry.config.execution.signer
    if (entry.config.execution.mode === 'dry-run' || settings === undefined) return undefined
    if ('private_key_env' in settings) return loadSigner({ private_key_env: settings.private_key_env, env: io.env, file: entry.file })
    return loadSigner({ keystore_file: resolve(dirname(entry.file), settings.keystore_file), keystore_password_env: settings.keystore_password_env, env: io.env, file: entry.file, roots: entry.fileRoots })
  }

  async function loadStrategies(options: CommonOptions, withSigner = false): Promise<{ loaded: LoadedConfig[]; strategies: Strategy[] }> {
    const loaded = await loadConfigs(options)
    const modes = new Set<string>()
    for (const config of loaded) {
      if (modes.has(config.config.mode)) throw new UsageError(`Two configuration files name the strategy mode "${config.config.mode}"; each strategy must have its own mode.`)
      modes.add(config.config.mode)
    }
    // One chain registry for the whole invocation: every strategy on a chain joins the same batch.
    const chains = createEvmChains()
    const strategies: Strategy[] = []
    for (const entry of loaded) strategies.push(createStrategy({ config: entry.config, clock, chains, signer: withSigner ? await signerOf(entry) : undefined }))
    return { loaded, strategies }
  }

  /** Refuses to run live strategies unless the command says `--execute`, and live strategies whose venues cannot trade for real. */
  function refuseLive(loaded: readonly LoadedConfig[], execute: boolean | undefined): void {
    const live = loaded.filter(({ config }) => config.execution.mode === 'live')
    if (live.length === 0) return
    const modes = live.map(({ config }) => config.mode).join(', ')
    if (!execute) throw new UsageError(`Refusing live execution of ${modes} without --execute.`, { details: 'Add --execute to confirm, or set execution.mode to dry-run or paper.' })
    for (const { config } of live) {
      const paperOnly = Object.entries(config.venues).filter(
        ([, venue]) => venue.type === 'static' || venue.type === 'static_cex' || venue.type === 'static_amm' || (venue.type === 'ccxt' && venue.paper),
      )
      if (paperOnly.length > 0) {
        throw new UsageError(`Cannot execute ${config.mode} live: ${paperOnly.map(([name]) => name).join(', ')} ${paperOnly.length === 1 ? 'is a paper venue' : 'are paper venues'}, which only fill on paper.`, {
          details: 'Live execution needs real venues only (evm_wallet, merkle_rewards, uniswap_v2, uniswap_v3, ccxt with paper: false); use execution.mode "paper" to try the others.',
        })
      }
    }
  }

  /** The event store's SQLite file: `--store`, else the first configuration's `event_store.sqlite_file` (relative to it), else var/dust-events.db. */
  function storeFileOf(loaded: readonly LoadedConfig[], option: string | undefined): string {
    if (option !== undefined) return resolve(option)
    const configured = loaded.find(({ config }) => config.event_store !== undefined)
    if (configured?.config.event_store) return resolve(dirname(configured.file), configured.config.event_store.sqlite_file)
    return resolve('var/dust-events.db')
  }

  /** Opens the event store when one is asked for (`--store`, `event_store` in a configuration, DATABASE_URL), or always with `required`. */
  async function openStore(loaded: readonly LoadedConfig[], option: string | undefined, required = false): Promise<EventStore | undefined> {
    const wanted = required || option !== undefined || Boolean(io.env.DATABASE_URL) || loaded.some(({ config }) => config.event_store !== undefined)
    if (!wanted) return undefined
    return createEventStore({ env: io.env, sqliteFile: storeFileOf(loaded, option), clock })
  }

  /**
   * Reports a strategy whose scan or cycle failed (every balance source down, the equity source
   * down) and sets exit code 1; the other strategies go on. Returns nothing, for `.catch`.
   */
  function failed(mode: string, what: 'scan' | 'cycle', error: unknown, json: boolean | undefined): undefined {
    exitCode = EXIT.failure
    const message = error instanceof Error ? error.message : String(error)
    const code = error instanceof BaseError ? error.code : 'internal_error'
    print(json ? JSON.stringify({ strategy_mode: mode, error: message, code }) : `${mode}: ${what} failed: ${message}`)
    return undefined
  }

  const storeOption = () => new Option('--store <file>', 'SQLite file of the event log (default: event_store.sqlite_file of the configuration, else var/dust-events.db); DATABASE_URL selects PostgreSQL instead')

  const program = new Command('dust')
    .description('Finds reward-token dust across venues, values it in the share class and plans its cheapest safe conversion.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .exitOverride()
  const common = (command: Command) =>
    command
      .addOption(configOption())
      .option('--json', 'print JSON (one document per strategy, one per line) instead of tables')
      .addOption(new Option('--log-level <level>', 'log level of the JSON logs written to stderr').choices(['silent', 'error', 'warn', 'info', 'debug']).default('error'))

  common(program.command('scan'))
    .description('Measure each strategy\'s dust: holdings valued in the share class, the dust ratio and whether it exceeds dust_delta.')
    .action(async (options: CommonOptions) => {
      const { loaded, strategies } = await loadStrategies(options)
      const logger = loggerFor(options.logLevel, loaded)
      for (const strategy of strategies) {
        const scan = await scanStrategy({ clock, logger }, { strategy }).catch((error: unknown) => failed(strategy.policy.mode, 'scan', error, options.json))
        if (!scan) continue
        if (options.json) print(JSON.stringify({ ...serializeSnapshot(scan.snapshot), warnings: scan.warnings.map(warningJson) }))
        else {
          print(renderSnapshot(scan.snapshot))
          for (const warning of scan.warnings) print(`  warning: ${warning.message}`)
        }
      }
    })

  common(program.command('plan'))
    .description('Plan the conversion of each strategy\'s dust: every route priced with fees, price impact and gas, the best net output chosen.')
    .option('--ignore-threshold', 'plan every dust token even when the dust ratio is within dust_delta (what-if)')
    .action(async (options: CommonOptions & { ignoreThreshold?: boolean }) => {
      const { loaded, strategies } = await loadStrategies(options)
      const logger = loggerFor(options.logLevel, loaded)
      for (const strategy of strategies) {
        const scan = await scanStrategy({ clock, logger }, { strategy }).catch((error: unknown) => failed(strategy.policy.mode, 'scan', error, options.json))
        if (!scan) continue
        const { plan, warnings } = await planConversions({ logger }, { strategy, scan, ignoreThreshold: options.ignoreThreshold })
        const allWarnings = [...scan.warnings, ...warnings]
        if (options.json) print(JSON.stringify({ ...serializePlan(plan), warnings: allWarnings.map(warningJson) }))
        else {
          print(renderPlan(plan))
          for (const warning of allWarnings) print(`  warning: ${warning.message}`)
        }
      }
    })

  common(program.command('run'))
    .description('Run one cycle of the dust manager: scan, plan, and execute when the execution mode is paper (dry-run only records the plan).')
    .requiredOption('--once', 'run a single cycle and exit (the only way `run` works; use `monitor` to keep running)')
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .addOption(storeOption())
    .action(async (options: CommonOptions & { execute?: boolean; store?: string }) => {
      const { loaded, strategies } = await loadStrategies(options, true)
      refuseLive(loaded, options.execute)
      // Stopped while the configurations loaded: no cycle is started.
      if (io.stopSignal?.aborted) {
        exitCode = EXIT.stopped
        return
      }
      const logger = loggerFor(options.logLevel, loaded)
      const store = await openStore(loaded, options.store)
      const manager = createDustManager({ strategies, clock, logger, execute: true, store })
      const results = await manager.runOnce().finally(() => store?.close())
      for (const result of results) {
        if (!result.ok) {
          failed(result.mode, 'cycle', result.error, options.json)
          continue
        }
        if (result.outcomes.some(({ outcome }) => outcome.status === 'failed')) exitCode = EXIT.failure
        const strategy = strategies.find((candidate) => candidate.policy.mode === result.mode)
        if (options.json) {
          print(
            JSON.stringify({
              ...serializePlan(result.plan),
              execution_mode: strategy?.executionMode,
              outcomes: result.outcomes.map(({ instruction, outcome }) => ({
                conversion_id: instruction.conversionId,
                token: instruction.token,
                instruction: serializeInstruction(instruction),
                ...(outcome.status === 'converted'
                  ? { status: outcome.status, amount: outcome.amountIn.toDecimalString(), output: outcome.output.toDecimalString(), fees: outcome.fees.toDecimalString() }
                  : { status: outcome.status, reason: outcome.reason, detail: outcome.detail, retryable: outcome.retryable }),
                steps: stepRecords(outcome.steps),
              })),
            }),
          )
        } else {
          print(renderPlan(result.plan))
          print(`\n  Execution mode ${strategy?.executionMode}:`)
          print(strategy?.executionMode === 'dry-run' ? '  dry-run: the plan is recorded, nothing is executed.' : renderOutcomes(result.outcomes))
        }
      }
    })

  common(program.command('monitor'))
    .addOption(storeOption())
    .description('Keep monitoring: one loop per strategy at its dust_monitoring_interval, printing every event, until interrupted (Ctrl-C waits for the cycle in flight).')
    .option('--cycles <n>', 'stop after this many cycles of each strategy', (text) => parseWholeOption('--cycles', text, 1, 1_000_000))
    .option('--interval <seconds>', 'override dust_monitoring_interval of every strategy', (text) => parseSecondsOption('--interval', text, 86_400))
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .action(async (options: CommonOptions & { cycles?: number; interval?: number; execute?: boolean; store?: string }) => {
      const { loaded, strategies: configured } = await loadStrategies(options, true)
      refuseLive(loaded, options.execute)
      const strategies = options.interval === undefined ? configured : configured.map((strategy) => ({ ...strategy, monitoringIntervalMs: (options.interval as number) * 1000 }))
      const logger = loggerFor(options.logLevel, loaded)
      const store = await openStore(loaded, options.store)
      const manager: DustManager = createDustManager({ strategies, clock, logger, execute: true, store })
      const counts = new Map<string, number>()
      const done = new AbortController()
      manager.subscribe('*', (event) => {
        print(options.json ? JSON.stringify(event) : renderEvent(event))
        if (event.event_type === 'dust_cycle_failed' || event.event_type === 'dust_conversion_failed') exitCode = EXIT.failure
        if (event.event_type === 'dust_checked' || event.event_type === 'dust_cycle_failed') {
          const count = (counts.get(event.strategy_mode) ?? 0) + 1
          counts.set(event.strategy_mode, count)
        }
      })
      if (!options.json) print(`Monitoring ${strategies.map((s) => `${s.policy.mode} every ${s.monitoringIntervalMs / 1000}s`).join(', ')}. Press Ctrl-C to stop.`)
      if (options.cycles !== undefined) {
        const limit = options.cycles
        manager.subscribe('*', () => {
          if (strategies.every((s) => (counts.get(s.policy.mode) ?? 0) >= limit)) done.abort()
        })
      }
      // A signal that aborted before this point (Ctrl-C while the configs loaded) fires no event.
      if (io.stopSignal?.aborted) done.abort()
      else io.stopSignal?.addEventListener('abort', () => done.abort(), { once: true })
      manager.start()
      await new Promise<void>((resolve) => {
        if (done.signal.aborted) resolve()
        done.signal.addEventListener('abort', () => resolve(), { once: true })
      })
      await manager.stop()
      await store?.close()
      if (!options.json) print('Stopped.')
    })

  common(program.command('events'))
    .description('Print the event log: every snapshot decision, plan, conversion state and outcome, in order (--follow keeps printing new ones until Ctrl-C).')
    .addOption(storeOption())
    .option('--since <seq>', 'only events after this sequence number', (text) => parseWholeOption('--since', text, 0, Number.MAX_SAFE_INTEGER))
    .option('--limit <n>', 'at most this many events', (text) => parseWholeOption('--limit', text, 1, 1_000_000))
    .option('--strategy <mode>', 'only the events of this strategy')
    .option('--follow', 'keep printing new events until interrupted')
    .action(async (options: CommonOptions & { store?: string; since?: number; limit?: number; strategy?: string; follow?: boolean }) => {
      const loaded = await loadConfigs(options)
      const store = (await openStore(loaded, options.store, true)) as EventStore
      try {
        let since = options.since ?? 0
        let left = options.limit
        for (;;) {
          const page = await store.read({ since, limit: left, strategyMode: options.strategy })
          for (const stored of page) {
            print(options.json ? JSON.stringify({ seq: stored.seq, recorded_at: stored.recordedAt, ...stored.event }) : `${String(stored.seq).padStart(6)} ${renderEvent(stored.event)}`)
            since = stored.seq
          }
          if (left !== undefined) left -= page.length
          if (!options.follow || io.stopSignal?.aborted || left === 0) break
          await clock.sleep(1_000, io.stopSignal)
          if (io.stopSignal?.aborted) break
        }
      } finally {
        await store.close()
      }
    })

  common(program.command('conversions'))
    .description('List conversions with their state (planned, claiming, claimed, submitted, confirmed, failed, expired), step, and transaction hashes or order ids.')
    .addOption(storeOption())
    .option('--open', 'only conversions not final yet')
    .option('--strategy <mode>', 'only the conversions of this strategy')
    .action(async (options: CommonOptions & { store?: string; open?: boolean; strategy?: string }) => {
      const loaded = await loadConfigs(options)
      const store = (await openStore(loaded, options.store, true)) as EventStore
      try {
        const records = await store.conversions({ open: options.open ? true : undefined, strategyMode: options.strategy })
        if (options.json) {
          for (const record of records) {
            print(JSON.stringify(serializeConversion(record)))
          }
        } else if (records.length === 0) print('No conversions on record.')
        else {
          const rows = records.map((record) => [record.strategyMode, record.token, record.venue, record.state, String(record.step), new Date(record.updatedAt).toISOString(), record.references.join(' ')])
          print(formatTable(['STRATEGY', 'TOKEN', 'VENUE', 'STATE', 'STEP', 'UPDATED', 'REFERENCES'], rows))
        }
      } finally {
        await store.close()
      }
    })

  common(program.command('serve'))
    .description('Run the monitor loops and the HTTP API (GET /health, /strategies, /strategies/:mode/snapshot, /events, /conversions, /metrics; POST scan and convert with the bearer token of api.token) until Ctrl-C.')
    .addOption(storeOption())
    .option('--host <host>', 'address to listen on (default api.host, else 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default api.port, else 8080; 0 picks a free one)', (text) => parseWholeOption('--port', text, 0, 65_535))
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .action(async (options: CommonOptions & { store?: string; host?: string; port?: number; execute?: boolean }) => {
      const { loaded, strategies } = await loadStrategies(options, true)
      refuseLive(loaded, options.execute)
      const logger = loggerFor(options.logLevel, loaded)
      const store = (await openStore(loaded, options.store, true)) as EventStore
      const api = loaded.find(({ config }) => config.api !== undefined)?.config.api
      const notifications = loaded.find(({ config }) => config.notifications !== undefined)?.config.notifications
      const metrics = createMetrics({ strategies })
      const manager = createDustManager({ strategies, clock, logger, execute: true, store, observeScanDuration: metrics.observeScanDuration })
      manager.subscribe('*', metrics.observe)
      const notifier = notifications ? createWebhookNotifier({ url: notifications.webhook_url, events: notifications.events as never, logger }) : undefined
      if (notifier) manager.subscribe('*', (event) => notifier.append(event))
      // Scan never executes; convert executes paper strategies, and live ones only with --execute.
      const secrets = collectSecrets({ loaded, env: io.env })
      const server = createHttpServer({ manager, strategies, eventStore: store, metrics, token: api?.token, executeLive: options.execute === true, secrets, logger })
      const address = await server.listen({ host: options.host ?? api?.host ?? '127.0.0.1', port: options.port ?? api?.port ?? 8080 })
      print(`Serving ${strategies.map((strategy) => strategy.policy.mode).join(', ')} at ${address}${api?.token ? '' : ' (scan and convert are off: no api.token)'}. Press Ctrl-C to stop.`)
      manager.start()
      await new Promise<void>((resolveStop) => {
        if (!io.stopSignal || io.stopSignal.aborted) return resolveStop()
        io.stopSignal.addEventListener('abort', () => resolveStop(), { once: true })
      })
      await manager.stop()
      await server.close()
      await notifier?.flush()
      await store.close()
      print('Stopped.')
    })

  program
    .command('demo')
    .description(
      'Run the main job on an embedded default: start a local Hardhat node, deploy tokens, Uniswap V2/V3 pools and merkle distributors at the last real prices of shared/data, then detect, plan, claim and convert the dust in paper mode and print balances, dust ratio and costs before and after. The node is stopped at the end.',
    )
    .option('--data-dir <dir>', 'folder of the real history (prices/, oracle/, gas/); DUST_DATA_DIR or ../shared/data by default')
    .addOption(new Option('--cycles <n>', 'cycles to run after the conversion').argParser((text) => {
      const value = Number(text)
      if (!Number.isInteger(value) || value < 0 || value > 20) throw new InvalidArgumentError(`expected a whole number from 0 to 20, found "${text}"`)
      return value
    }).default(1))
    .addOption(new Option('--log-level <level>', 'log level of the JSON logs written to stderr').choices(['silent', 'error', 'warn', 'info', 'debug']).default('error'))
    .action(async (options: { dataDir?: string; cycles: number; logLevel: string }) => {
      const report = await runDemo({
        print,
        clock,
        logger: loggerFor(options.logLevel),
        dataDir: options.dataDir ?? (io.env.DUST_DATA_DIR ? resolve(io.env.DUST_DATA_DIR) : undefined),
        cycles: options.cycles,
        signal: io.stopSignal,
      })
      if (report.outcomes.some(({ outcome }) => outcome.status === 'failed')) exitCode = EXIT.failure
    })

  program
    .command('backtest')
    .description(
      `Replay a strategy's dust policy on the real hourly history of shared/data: a constant weETH position earns EIGEN and ETHFI as ether.fi paid them, and four policies (${BACKTEST_POLICIES.join(', ')}) detect and plan with the live code against a DEX and a CEX modelled at each hour's prices, gas included. Prints what each policy converted and paid, the dust exposure it kept, and its result against converting every reward at once for free; writes plots as SVG and PNG.`,
    )
    .option('-c, --config <file>', 'strategy configuration file (YAML)', DEFAULT_CONFIG)
    .requiredOption('--position <weETH>', 'weETH held over the whole replay, such as 1000')
    .option('--from <date>', 'first UTC day or hour replayed (2025-01-31 or 2025-01-31T13:00Z); the start of the data by default')
    .option('--to <date>', 'last UTC day or hour replayed, inclusive; the end of the data by default')
    .option('--sweep <from:to:count>', 'also run the threshold and cost-aware policies at count dust_delta values from..to (0.0005:0.01:50)')
    .addOption(new Option('--policy <name...>', 'only these policies').choices([...BACKTEST_POLICIES]))
    .option('--plots <dir>', 'folder the plots are written to', 'backtest-plots')
    .option('--no-plots', 'write no plots')
    .option('--data-dir <dir>', 'folder of the real history (prices/, oracle/, gas/, rewards/); DUST_DATA_DIR or ../shared/data by default')
    .option('--progress', 'draw the progress bar of a sweep even when stderr is not a terminal')
    .option('--json', 'print the report as one JSON document')
    .action(async (options: { config: string; position: string; from?: string; to?: string; sweep?: string; policy?: BacktestPolicy[]; plots: string | false; dataDir?: string; progress?: boolean; json?: boolean }) => {
      const position = parsePosition(options.position)
      const from = options.from === undefined ? undefined : parseHour('--from', options.from)
      const to = options.to === undefined ? undefined : parseHour('--to', options.to)
      if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${options.from}) is after --to (${options.to}).`)
      const sweep = options.sweep === undefined ? undefined : parseSweep(options.sweep)
      const loaded = await loadConfig({ file: options.config, env: io.env })
      const stream = io.progressStream
      const bar =
        sweep && stream && (stream.isTTY || options.progress)
          ? new SingleBar(
              { stream, format: 'replaying |{bar}| {percentage}% | {value}/{total} hours | {runs} runs', noTTYOutput: !stream.isTTY, notTTYSchedule: 250, hideCursor: stream.isTTY === true },
              Presets.shades_classic,
            )
          : undefined
      let started = false
      let report: BacktestReport
      try {
        report = await backtestStrategy({
          loaded,
          position,
          from,
          to,
          sweep,
          policies: options.policy,
          signal: io.stopSignal,
          dataDir: options.dataDir ? resolve(options.dataDir) : defaultDataDir(io.env),
          onProgress: (done, total, runs) => {
            if (!bar) return
            if (!started) {
              bar.start(total, 0, { runs })
              started = true
            }
            bar.update(done)
          },
        })
      } finally {
        if (started) bar?.stop()
      }
      const plots = options.plots === false ? [] : await writeBacktestPlots(report, resolve(options.plots), (warning) => io.stderr(`warning: plot: ${warning}\n`))
      if (options.json) print(JSON.stringify(serializeBacktest(report, plots)))
      else {
        print(renderBacktest(report))
        if (plots.length > 0) print(`\nPlots: ${plots.join(', ')}`)
      }
    })

  const config = program.command('config').description('Work with configuration files.')
  config
    .command('check')
    .description('Validate configuration files and show what they resolve to (secrets from ${ENV_VAR} are never shown).')
    .addOption(configOption())
    .option('--json', 'print the validated configuration as JSON')
    .action(async (options: { config: string[]; json?: boolean }) => {
      const { loaded, strategies } = await loadStrategies({ ...options, logLevel: 'silent' })
      for (const [index, entry] of loaded.entries()) {
        const strategy = strategies[index] as Strategy
        if (options.json) print(JSON.stringify(redactConfig(entry)))
        else {
          const { config: c } = entry
          print(`${entry.file}: valid`)
          print(
            `  mode ${c.mode}, share class ${c.share_class}, asset ${c.asset}, dust_delta ${showRatio(strategy.policy.dustDelta)}, every ${c.dust_monitoring_interval}s, execution ${c.execution.mode} (max slippage ${c.execution.max_slippage_bps} bps)`,
          )
          print(`  ${c.tokens.length} tokens; venues: ${Object.entries(c.venues).map(([name, v]) => `${name} (${v.type})`).join(', ')}; ${c.prices.length} price source(s); equity ${c.equity.type}`)
          if (entry.secretPaths.size > 0) print(`  secrets from the environment (not shown): ${[...entry.secretPaths].join(', ')}`)
        }
      }
    })

  // A command that does not watch the stop signal is abandoned when it aborts (reading a
  // configuration, scanning): the caller gets EXIT.stopped at once and ends the process.
  let stopNow: (code: number) => void = () => {}
  const stopped = new Promise<number>((resolveStopped) => {
    stopNow = resolveStopped
  })
  program.hook('preAction', (_program, action) => {
    const signal = io.stopSignal
    if (signal === undefined || STOPS_ITSELF.has(action.name())) return
    if (signal.aborted) stopNow(EXIT.stopped)
    else signal.addEventListener('abort', () => stopNow(EXIT.stopped), { once: true })
  })
  const ran = program.parseAsync([...argv], { from: 'user' }).then(
    () => exitCode,
    (error: unknown) => {
      if (error instanceof CommanderError) {
        // Help and version exit through here with code 0; usage mistakes with 1, which we report as 2.
        return error.exitCode === 0 ? EXIT.ok : EXIT.usage
      }
      if (error instanceof ConfigError || error instanceof UsageError) {
        io.stderr(`error: ${error.shortMessage}\n${error.details ? `${error.details}\n` : ''}`)
        return EXIT.usage
      }
      if (error instanceof BaseError) {
        io.stderr(`error: ${error.shortMessage}\n${error.details ? `${error.details}\n` : ''}`)
        // Work the stop signal cut short (a backtest, the demo) is stopped, not failed.
        return error.code === 'interrupted' ? EXIT.stopped : EXIT.failure
      }
      io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`)
      return EXIT.failure
    },
  )
  return Promise.race([ran, stopped])
}
