import type { Command } from 'commander'
import { parseSecondsOption } from '../parseSecondsOption.js'
import { parseWholeOption } from '../parseWholeOption.js'
import { type CliContext, type CommonOptions, EXIT, storeOption, withCommonOptions } from '../createCliContext.js'

/** Adds `dust monitor`: one loop per strategy at its interval, printing every event until stopped. */
export function addMonitorCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('monitor'))
    .addOption(storeOption())
    .description('Keep monitoring: one loop per strategy at its dust_monitoring_interval, printing every event, until interrupted (Ctrl-C waits for the cycle in flight).')
    .option('--cycles <n>', 'stop after this many cycles of each strategy', (text) => parseWholeOption('--cycles', text, 1, 1_000_000))
    .option('--interval <seconds>', 'override dust_monitoring_interval of every strategy', (text) => parseSecondsOption('--interval', text, 86_400))
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .action(async (options: CommonOptions & { cycles?: number; interval?: number; execute?: boolean; store?: string }) => {
      const { io, clock, print } = context
      // The store opens before the strategies are built: their token discovery keeps its cursors there.
      const { loaded, strategies: configured, store } = await context.loadStrategies(options, true, { store: options.store, execute: options.execute })
      const { interval } = options
      const strategies = interval === undefined ? configured : configured.map((strategy) => ({ ...strategy, monitoringIntervalMs: interval * 1000 }))
      const logger = await context.loggerFor(options.logLevel, loaded)
      const [{ createDustManager }, { renderEvent }] = await Promise.all([import('../../../engine/createDustManager.js'), import('../render.js')])
      const manager = createDustManager({ strategies, clock, logger, execute: true, store })
      const counts = new Map<string, number>()
      const done = new AbortController()
      manager.subscribe('*', (event) => {
        print(options.json ? JSON.stringify(event) : renderEvent(event))
        if (event.event_type === 'dust_cycle_failed' || event.event_type === 'dust_conversion_failed') context.exitCode = EXIT.failure
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
      // Stopped before it started: no cycle is begun, so none (and no conversion) runs after the stop.
      if (!done.signal.aborted) {
        manager.start()
        await new Promise<void>((resolve) => done.signal.addEventListener('abort', () => resolve(), { once: true }))
        await manager.stop()
      }
      await store?.close()
      if (!options.json) print('Stopped.')
    })
}
