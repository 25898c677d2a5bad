import { resolve } from 'node:path'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { type CliContext, EXIT, logLevelOption } from '../createCliContext.js'

/** Adds `dust demo`: the main job on a local Hardhat chain at the last real prices, in paper mode. */
export function addDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description(
      'Run the main job on an embedded default: start a local Hardhat node, deploy tokens, Uniswap V2/V3 pools and merkle distributors at the last real prices of shared/data, then detect, plan, claim and convert the dust in paper mode and print balances, dust ratio and costs before and after. The node is stopped at the end.',
    )
    .option('--data-dir <dir>', 'folder of the real history (prices/, oracle/, gas/); DUST_DATA_DIR or ../shared/data by default')
    .addOption(
      new Option('--cycles <n>', 'cycles to run after the conversion')
        .argParser((text) => {
          const value = Number(text)
          if (!Number.isInteger(value) || value < 0 || value > 20) throw new InvalidArgumentError(`expected a whole number from 0 to 20, found "${text}"`)
          return value
        })
        .default(1),
    )
    .option(
      '--keeper',
      'hold the funds in a Safe and sign as a keeper of its Zodiac Roles modifier, a role allowed only the conversion (claims to the Safe, approvals to the routers, swaps paying the Safe, deposits to the exchange)',
    )
    .addOption(logLevelOption())
    .action(async (options: { dataDir?: string; cycles: number; logLevel: string; keeper?: boolean }) => {
      const { io } = context
      const { runDemo } = await import('../../demo/runDemo.js')
      const report = await runDemo({
        print: context.print,
        clock: context.clock,
        logger: await context.loggerFor(options.logLevel),
        dataDir: options.dataDir ?? (io.env.DUST_DATA_DIR ? resolve(io.env.DUST_DATA_DIR) : undefined),
        cycles: options.cycles,
        signal: io.stopSignal,
        keeper: options.keeper ?? false,
      })
      if (report.outcomes.some(({ outcome }) => outcome.status === 'failed')) context.exitCode = EXIT.failure
    })
}
