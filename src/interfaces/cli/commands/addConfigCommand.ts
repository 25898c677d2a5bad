import type { Command } from 'commander'
import type { DustPolicyConfig } from '../../../config/schema.js'
import { type CliContext, configOption } from '../createCliContext.js'

/** The keys each conversion policy reads, besides its budget, in the order the README lists them. */
const POLICY_KEYS = {
  threshold: [],
  gas_aware: ['gas_percentile', 'gas_window_hours', 'cheap_share'],
  claim_batching: ['claim_cost_max_bps'],
  venue_size: ['cex_min_value', 'gas_percentile', 'gas_window_hours'],
  riskiest_first: ['target_share', 'volatility_hours'],
} as const satisfies Record<DustPolicyConfig['name'], ReadonlyArray<keyof DustPolicyConfig>>

/** `dust_policy gas_aware: budget 20 bps; gas_percentile 50, gas_window_hours 168, cheap_share 0.5`: the policy and what it reads. */
function describeDustPolicy(policy: DustPolicyConfig): string {
  const budget = policy.name === 'threshold' ? 'budget dust_delta' : `budget ${policy.risk_budget_bps === undefined ? 'dust_delta' : `${policy.risk_budget_bps} bps`}`
  const keys = POLICY_KEYS[policy.name].map((key) => `${key} ${String(policy[key])}`)
  return `dust_policy ${policy.name}: ${budget}${keys.length > 0 ? `; ${keys.join(', ')}` : ''}`
}

/** Adds `dust config check`: validates configuration files and shows what they resolve to, secrets hidden. */
export function addConfigCommand(program: Command, context: CliContext): void {
  const config = program.command('config').description('Work with configuration files.')
  config
    .command('check')
    .description('Validate configuration files and show what they resolve to (secrets from ${ENV_VAR} are never shown).')
    .addOption(configOption())
    .option('--json', 'print the validated configuration as JSON')
    .action(async (options: { config: string[]; json?: boolean }) => {
      const { print } = context
      const { loaded, strategies } = await context.loadStrategies(options)
      const [{ redactConfig }, { showRatio }] = await Promise.all([import('../redactConfig.js'), import('../render.js')])
      // One strategy per configuration, in the same order.
      for (const [entry, strategy] of loaded.map((entry, index) => [entry, strategies[index]] as const)) {
        if (strategy === undefined) continue
        if (options.json) print(JSON.stringify(redactConfig(entry)))
        else {
          const { config: c } = entry
          print(`${entry.file}: valid`)
          print(
            `  mode ${c.mode}, share class ${c.share_class}, asset ${c.asset}, dust_delta ${showRatio(strategy.policy.dustDelta)}, every ${c.dust_monitoring_interval}s, execution ${c.execution.mode} (max slippage ${c.execution.max_slippage_bps} bps)`,
          )
          print(
            `  ${c.tokens.length} tokens; venues: ${Object.entries(c.venues)
              .map(([name, v]) => `${name} (${v.type})`)
              .join(', ')}; ${c.prices.length} price source(s); equity ${c.equity.type}`,
          )
          if (c.dust_policy) print(`  ${describeDustPolicy(c.dust_policy)}`)
          if (entry.secretPaths.size > 0) print(`  secrets from the environment (not shown): ${[...entry.secretPaths].join(', ')}`)
        }
      }
    })
}
