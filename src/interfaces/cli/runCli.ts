import { Command, CommanderError } from 'commander'
import { BaseError, ConfigError, UsageError } from '../../errors/index.js'
import { addBacktestCommand } from './commands/addBacktestCommand.js'
import { addConfigCommand } from './commands/addConfigCommand.js'
import { addConversionsCommand } from './commands/addConversionsCommand.js'
import { addDemoCommand } from './commands/addDemoCommand.js'
import { addEventsCommand } from './commands/addEventsCommand.js'
import { addKeeperCommand } from './commands/addKeeperCommand.js'
import { addMonitorCommand } from './commands/addMonitorCommand.js'
import { addPlanCommand } from './commands/addPlanCommand.js'
import { addRunCommand } from './commands/addRunCommand.js'
import { addScanCommand } from './commands/addScanCommand.js'
import { addServeCommand } from './commands/addServeCommand.js'
import { EXIT, type CliIo, createCliContext } from './createCliContext.js'

export { EXIT, type CliIo } from './createCliContext.js'

/** Commands that watch the stop signal themselves and stop cleanly (a cycle in flight finishes, stores close); the others stop at once. */
const STOPS_ITSELF: ReadonlySet<string> = new Set(['run', 'monitor', 'events', 'serve', 'demo', 'backtest'])

/**
 * Runs the `dust` command line with `argv` (without `node` and the script) and returns its exit code.
 * Nothing here calls `process.exit`: the caller does, so tests can run every command in-process.
 * Each command lives in its own file under `commands/` and loads its heavy modules when it runs,
 * so `dust --help` loads none of them.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context = createCliContext(io)
  const program = new Command('dust')
    .description('Finds reward-token dust across venues, values it in the share class and plans its cheapest safe conversion.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .exitOverride()
  addScanCommand(program, context)
  addPlanCommand(program, context)
  addRunCommand(program, context)
  addMonitorCommand(program, context)
  addEventsCommand(program, context)
  addConversionsCommand(program, context)
  addServeCommand(program, context)
  addDemoCommand(program, context)
  addBacktestCommand(program, context)
  addConfigCommand(program, context)
  addKeeperCommand(program, context)

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
    () => context.exitCode,
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
