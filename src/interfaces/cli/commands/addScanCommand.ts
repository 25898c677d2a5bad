import type { Command } from 'commander'
import { type CliContext, type CommonOptions, warningJson, withCommonOptions } from '../createCliContext.js'

/** The warning codes of holdings a source only lists (`Holding.held`): never valued, converted or counted. */
const HELD_CODES: ReadonlySet<string> = new Set(['unverified_token', 'rewards_proof_stale'])

/** Adds `dust scan`: each strategy's dust, valued in the share class, against dust_delta. */
export function addScanCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('scan'))
    .description("Measure each strategy's dust: holdings valued in the share class, the dust ratio and whether it exceeds dust_delta.")
    .action(async (options: CommonOptions) => {
      const { loaded, strategies } = await context.loadStrategies(options)
      const logger = await context.loggerFor(options.logLevel, loaded)
      const [{ scanStrategy }, { serializeSnapshot }, { renderSnapshot }] = await Promise.all([
        import('../../../engine/scanStrategy.js'),
        import('../../../domain/dust/index.js'),
        import('../render.js'),
      ])
      const { clock, print } = context
      for (const strategy of strategies) {
        const scan = await scanStrategy({ clock, logger }, { strategy }).catch((error: unknown) => context.failed(strategy.policy.mode, 'scan', error, options.json))
        if (!scan) continue
        if (options.json) print(JSON.stringify({ ...serializeSnapshot(scan.snapshot), warnings: scan.warnings.map(warningJson) }))
        else {
          print(renderSnapshot(scan.snapshot))
          // A held holding's warning says what the token is; its amount is in the figures.
          for (const warning of scan.warnings) print(`  warning: ${warning.message}${HELD_CODES.has(warning.code) && warning.figures?.amount ? ` Held: ${warning.figures.amount}.` : ''}`)
        }
      }
    })
}
