import type { Command } from 'commander'
import { type CliContext, type CommonOptions, warningJson, withCommonOptions } from '../createCliContext.js'

/** Adds `dust plan`: the cheapest safe conversion of each strategy's dust, every route priced. */
export function addPlanCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('plan'))
    .description("Plan the conversion of each strategy's dust: every route priced with fees, price impact and gas, the best net output chosen.")
    .option('--ignore-threshold', 'plan every dust token even when the dust ratio is within dust_delta (what-if)')
    .action(async (options: CommonOptions & { ignoreThreshold?: boolean }) => {
      const { loaded, strategies } = await context.loadStrategies(options)
      const logger = await context.loggerFor(options.logLevel, loaded)
      const [{ scanStrategy }, { planConversions }, { serializePlan }, { renderPlan }] = await Promise.all([
        import('../../../engine/scanStrategy.js'),
        import('../../../engine/planConversions.js'),
        import('../../../domain/planning/ConversionPlan.js'),
        import('../render.js'),
      ])
      const { clock, print } = context
      for (const strategy of strategies) {
        const scan = await scanStrategy({ clock, logger }, { strategy }).catch((error: unknown) => context.failed(strategy.policy.mode, 'scan', error, options.json))
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
}
