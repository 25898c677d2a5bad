import type { Command } from 'commander'
import { type CliContext, configOption } from '../createCliContext.js'

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
          if (entry.secretPaths.size > 0) print(`  secrets from the environment (not shown): ${[...entry.secretPaths].join(', ')}`)
        }
      }
    })
}
