import type { Command } from 'commander'
import { type CliContext, type CommonOptions, warningJson, withCommonOptions } from '../createCliContext.js'

/** Adds `dust plan`: the cheapest safe conversion of each strategy's dust, every route priced. */
export function addPlanCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('plan'))
    .description(
      "Plan the conversion of each strategy's dust: every route priced with fees, price impact and gas, the best net output chosen. A strategy with a dust_policy is planned as the monitor's first cycle would: by what its policy decides now.",
    )
    .option('--ignore-threshold', 'plan every dust token even when the dust ratio is within dust_delta, whatever the dust_policy decides (what-if)')
    .action(async (options: CommonOptions & { ignoreThreshold?: boolean }) => {
      const { loaded, strategies } = await context.loadStrategies(options)
      const logger = await context.loggerFor(options.logLevel, loaded)
      const [{ scanStrategy }, { planConversions }, { createPolicyPlanner, policyDecisionOf }, { serializePlan }, { renderPlan, renderPolicyDecision }] = await Promise.all([
        import('../../../engine/scanStrategy.js'),
        import('../../../engine/planConversions.js'),
        import('../../../engine/createPolicyPlanner.js'),
        import('../../../domain/planning/ConversionPlan.js'),
        import('../render.js'),
      ])
      const { clock, print } = context
      // The monitor's own planner: a strategy with a dust_policy is planned by its decision, through the same code.
      const policyPlanner = createPolicyPlanner({ logger })
      for (const strategy of strategies) {
        const scan = await scanStrategy({ clock, logger }, { strategy }).catch((error: unknown) => context.failed(strategy.policy.mode, 'scan', error, options.json))
        if (!scan) continue
        const byPolicy = options.ignoreThreshold ? undefined : await policyPlanner.plan(strategy, scan, new Set())
        const { plan, warnings } = byPolicy ?? (await planConversions({ logger }, { strategy, scan, ignoreThreshold: options.ignoreThreshold }))
        const allWarnings = [...scan.warnings, ...warnings]
        const conversionPolicy = strategy.conversionPolicy
        const policy = byPolicy && conversionPolicy ? policyDecisionOf(conversionPolicy, byPolicy) : undefined
        if (options.json) {
          print(JSON.stringify({ ...serializePlan(plan), ...(policy ? { dust_policy: policy } : {}), warnings: allWarnings.map(warningJson) }))
        } else {
          print(renderPlan(plan))
          if (policy) print(renderPolicyDecision(policy))
          for (const warning of allWarnings) print(`  warning: ${warning.message}`)
        }
      }
    })
}
