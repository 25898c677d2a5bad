import { dirname, resolve } from 'node:path'
import { type Command, Option } from 'commander'
import { createSystemClock } from '../../app/createSystemClock.js'
import type { LoadedConfig } from '../../config/index.js'
import type { DustWarningRaised } from '../../domain/events.js'
import type { DustWarningCode } from '../../domain/events/DustWarningCode.js'
import type { Strategy } from '../../engine/Strategy.js'
import { BaseError, UsageError } from '../../errors/index.js'
import type { Clock, EventStore, Logger } from '../../ports/index.js'

// Only light modules are imported here: `dust --help` loads this file and every command's file,
// so whatever pulls in viem, ccxt, Hardhat, fastify or a database driver is imported inside the
// function that needs it.

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
  progressStream?: (NodeJS.WritableStream & { isTTY?: boolean }) | undefined
}

/**
 * Exit codes: 0 success, 1 a runtime failure (a strategy or conversion failed), 2 bad input,
 * 130 stopped by the stop signal before it finished (`main` reports 128 + the signal's number:
 * 130 for SIGINT, 143 for SIGTERM).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, stopped: 130 } as const

/** The options every strategy command takes: configuration files, `--json` and `--log-level`. */
export type CommonOptions = { config: string[]; json?: boolean; logLevel: string }

/** The configuration a command reads when no `--config` is given. */
export const DEFAULT_CONFIG = 'configs/modes/usdt_eth_staking_hedged_simple.yaml'

/** Creates the `--config` option: one or more files, the default configuration without one. */
export function configOption(): Option {
  return new Option('-c, --config <file...>', 'strategy configuration file(s) (YAML); repeat for several strategies').default([DEFAULT_CONFIG])
}

/** Creates the `--log-level` option of a command that logs. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level of the JSON logs written to stderr').choices(['silent', 'error', 'warn', 'info', 'debug']).default('error')
}

/** Adds the options every strategy command takes to `command` and returns it. */
export function withCommonOptions(command: Command): Command {
  return command.addOption(configOption()).option('--json', 'print JSON (one document per strategy, one per line) instead of tables').addOption(logLevelOption())
}

/** Creates the `--store` option of a command that reads or writes the event log. */
export function storeOption(): Option {
  return new Option('--store <file>', 'SQLite file of the event log (default: event_store.sqlite_file of the configuration, else var/dust-events.db); DATABASE_URL selects PostgreSQL instead')
}

/** A warning as `--json` prints it: its code, its message and, when it has them, its figures. */
export function warningJson(warning: DustWarningRaised): { code: DustWarningCode; message: string; figures?: Readonly<Record<string, string>> } {
  return { code: warning.code, message: warning.message, ...(warning.figures ? { figures: warning.figures } : {}) }
}

/** How `loadStrategies` opens the event store for the strategies: the `--store` option, whether one is required, and `--execute`. */
export type StrategyStoreUse = { readonly store: string | undefined; readonly required?: boolean | undefined; readonly execute?: boolean | undefined }

/** What every command shares: the io, the clock, printing, logging, loading configurations and strategies, the event store and the exit code. */
export type CliContext = {
  readonly io: CliIo
  readonly clock: Clock
  /** The exit code the command ends with unless it throws; commands raise it to EXIT.failure or EXIT.stopped. */
  exitCode: number
  /** Prints one line on stdout. */
  print(text: string): void
  /** Creates the command's logger: every secret of the loaded configurations (and DATABASE_URL's) is kept out of its lines. */
  loggerFor(level: string, loaded?: readonly LoadedConfig[]): Promise<Logger>
  /** Loads and checks the configuration files only (no strategy is built). */
  loadConfigs(options: Pick<CommonOptions, 'config'>): Promise<LoadedConfig[]>
  /**
   * Loads the configuration files and builds their strategies, with their signers when `withSigner`,
   * logging to the command's logger when `options.logLevel` is given. With `use`, it first refuses
   * live strategies without `use.execute` (as `refuseLive`), then opens the event store (as
   * `openStore`, with `use.store` for `--store`) and hands it to the strategies, whose token
   * discovery keeps its cursors there; the store is returned for the command to use and close.
   */
  loadStrategies(
    options: Pick<CommonOptions, 'config'> & { logLevel?: string | undefined },
    withSigner?: boolean,
    use?: StrategyStoreUse,
  ): Promise<{ loaded: LoadedConfig[]; strategies: Strategy[]; store: EventStore | undefined }>
  /** Refuses to run live strategies unless the command says `--execute`, and live strategies whose venues cannot trade for real. */
  refuseLive(loaded: readonly LoadedConfig[], execute: boolean | undefined): void
  /** Opens the event store when one is asked for (`--store`, `event_store` in a configuration, DATABASE_URL), or always with `required`. */
  openStore(loaded: readonly LoadedConfig[], option: string | undefined, required?: boolean): Promise<EventStore | undefined>
  /** Opens the event store whether or not one is configured. */
  openRequiredStore(loaded: readonly LoadedConfig[], option: string | undefined): Promise<EventStore>
  /**
   * Reports a strategy whose scan or cycle failed (every balance source down, the equity source
   * down) and sets exit code 1; the other strategies go on. Returns nothing, for `.catch`.
   */
  failed(mode: string, what: 'scan' | 'cycle', error: unknown, json: boolean | undefined): undefined
}

/** The event store's SQLite file: `--store`, else the first configuration's `event_store.sqlite_file` (relative to it), else var/dust-events.db. */
function storeFileOf(loaded: readonly LoadedConfig[], option: string | undefined): string {
  if (option !== undefined) return resolve(option)
  const configured = loaded.find(({ config }) => config.event_store !== undefined)
  if (configured?.config.event_store) return resolve(dirname(configured.file), configured.config.event_store.sqlite_file)
  return resolve('var/dust-events.db')
}

/** Creates the context of one CLI invocation; heavy modules are loaded by the methods that need them. */
export function createCliContext(io: CliIo): CliContext {
  const clock = io.clock ?? createSystemClock()
  // The logger of a level for the loaded configurations, made once: loadStrategies makes it for the adapters, the command asks again.
  let made: { level: string; loaded: readonly LoadedConfig[]; logger: Promise<Logger> } | undefined

  const context: CliContext = {
    io,
    clock,
    exitCode: EXIT.ok,
    print: (text) => io.stdout(`${text}\n`),
    async loggerFor(level, loaded = []) {
      if (io.logger) return io.logger
      if (made?.level === level && made.loaded === loaded) return made.logger
      const logger = (async () => {
        const [{ createLogger }, { collectSecrets }] = await Promise.all([import('../../app/createLogger.js'), import('./collectSecrets.js')])
        return createLogger({ level, secrets: collectSecrets({ loaded, env: io.env }) })
      })()
      made = { level, loaded, logger }
      return logger
    },
    async loadConfigs(options) {
      const { loadConfig } = await import('../../app/loadConfig.js')
      const loaded: LoadedConfig[] = []
      for (const file of options.config) loaded.push(await loadConfig({ file, env: io.env }))
      return loaded
    },
    async loadStrategies(options, withSigner = false, use) {
      const loaded = await context.loadConfigs(options)
      const modes = new Set<string>()
      for (const config of loaded) {
        if (modes.has(config.config.mode)) throw new UsageError(`Two configuration files name the strategy mode "${config.config.mode}"; each strategy must have its own mode.`)
        modes.add(config.config.mode)
      }
      if (use) context.refuseLive(loaded, use.execute)
      const logger = options.logLevel === undefined ? undefined : await context.loggerFor(options.logLevel, loaded)
      const store = use ? await context.openStore(loaded, use.store, use.required) : undefined
      const { loadStrategies } = await import('../../app/loadStrategies.js')
      try {
        return { loaded, strategies: await loadStrategies({ loaded, clock, env: io.env, withSigner, store, logger }), store }
      } catch (error) {
        // The command never gets the store to close.
        await store?.close()
        throw error
      }
    },
    refuseLive(loaded, execute) {
      const live = loaded.filter(({ config }) => config.execution.mode === 'live')
      if (live.length === 0) return
      const modes = live.map(({ config }) => config.mode).join(', ')
      if (!execute) throw new UsageError(`Refusing live execution of ${modes} without --execute.`, { details: 'Add --execute to confirm, or set execution.mode to dry-run or paper.' })
      for (const { config } of live) {
        const paperOnly = Object.entries(config.venues).filter(
          ([, venue]) => venue.type === 'static' || venue.type === 'static_cex' || venue.type === 'static_amm' || (venue.type === 'ccxt' && venue.paper),
        )
        if (paperOnly.length > 0) {
          throw new UsageError(
            `Cannot execute ${config.mode} live: ${paperOnly.map(([name]) => name).join(', ')} ${paperOnly.length === 1 ? 'is a paper venue' : 'are paper venues'}, which only fill on paper.`,
            {
              details:
                'Live execution needs real venues only (evm_wallet, merkle_rewards, merkl, morpho_urd, merkle_drop, uniswap_v2, uniswap_v3, ccxt with paper: false); use execution.mode "paper" to try the others.',
            },
          )
        }
      }
    },
    async openStore(loaded, option, required = false) {
      const wanted = required || option !== undefined || Boolean(io.env.DATABASE_URL) || loaded.some(({ config }) => config.event_store !== undefined)
      if (!wanted) return undefined
      const { createEventStore } = await import('../../app/createEventStore.js')
      return createEventStore({ env: io.env, sqliteFile: storeFileOf(loaded, option), clock })
    },
    async openRequiredStore(loaded, option) {
      const store = await context.openStore(loaded, option, true)
      if (store === undefined) throw new BaseError('The event store did not open.')
      return store
    },
    failed(mode, what, error, json) {
      context.exitCode = EXIT.failure
      const message = error instanceof Error ? error.message : String(error)
      const code = error instanceof BaseError ? error.code : 'internal_error'
      context.print(json ? JSON.stringify({ strategy_mode: mode, error: message, code }) : `${mode}: ${what} failed: ${message}`)
      return undefined
    },
  }
  return context
}
