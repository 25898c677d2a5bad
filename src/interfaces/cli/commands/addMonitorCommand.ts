import type { Command } from 'commander'
import { parseSecondsOption } from '../parseSecondsOption.js'
import { parseWholeOption } from '../parseWholeOption.js'
import { UsageError } from '../../../errors/index.js'
import { type CliContext, type CommonOptions, EXIT, storeOption, withCommonOptions } from '../createCliContext.js'

/** Adds `dust monitor`: one loop per strategy at its interval, printing every event until stopped. */
export function addMonitorCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('monitor'))
    .addOption(storeOption())
    .description('Keep monitoring: one loop per strategy at its dust_monitoring_interval, printing every event, until interrupted (Ctrl-C waits for the cycle in flight).')
    .option('--cycles <n>', 'stop after this many cycles of each strategy', (text) => parseWholeOption('--cycles', text, 1, 1_000_000))
    .option('--interval <seconds>', 'override dust_monitoring_interval of every strategy', (text) => parseSecondsOption('--interval', text, 86_400))
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .option('--workers', 'share the strategies with the other monitors started with --workers on the same PostgreSQL database (DATABASE_URL), through leases')
    .option('--worker-id <id>', 'with --workers: the name of this worker in the leases (default: hostname-pid)')
    .option('--lease-seconds <seconds>', 'with --workers: how long a lease lasts without a heartbeat (default: 30, or 3/4 of the shortest interval)', (text) =>
      parseSecondsOption('--lease-seconds', text, 86_400),
    )
    .action(async (options: CommonOptions & { cycles?: number; interval?: number; execute?: boolean; store?: string; workers?: boolean; workerId?: string; leaseSeconds?: number }) => {
      const { io, clock, print } = context
      if (!options.workers && (options.workerId !== undefined || options.leaseSeconds !== undefined))
        throw new UsageError('--worker-id and --lease-seconds are options of --workers; add --workers or leave them out.')
      if (options.workers && options.cycles !== undefined)
        throw new UsageError('--cycles counts the cycles of every strategy, which a worker sharing them with others does not run; leave it out with --workers.')
      if (options.workers && !io.env.DATABASE_URL?.trim()) {
        throw new UsageError('dust monitor --workers needs PostgreSQL: the workers share the strategies through leases in its tables, and DATABASE_URL is not set.', {
          details: 'Set DATABASE_URL to the postgres:// URL of the event store every worker uses, or run one monitor without --workers on SQLite.',
        })
      }
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
      if (options.workers) {
        const [{ startWorker }, { chooseWorkerTimings }, { openStrategyLeases }, { hostname }] = await Promise.all([
          import('../../../engine/startWorker.js'),
          import('../../../engine/chooseWorkerTimings.js'),
          import('../../../app/openStrategyLeases.js'),
          import('node:os'),
        ])
        const timings = chooseWorkerTimings({
          shortestIntervalMs: Math.min(...strategies.map((strategy) => strategy.monitoringIntervalMs)),
          leaseMs: options.leaseSeconds === undefined ? undefined : options.leaseSeconds * 1000,
        })
        const workerId = options.workerId ?? `${hostname()}-${process.pid}`
        const leases = await openStrategyLeases({ env: io.env, workerId, leaseMs: timings.leaseMs })
        if (!options.json) print(`Worker ${workerId} sharing ${strategies.length} strategies (lease ${timings.leaseMs / 1000}s, heartbeat ${timings.heartbeatMs / 1000}s). Press Ctrl-C to stop.`)
        if (!io.stopSignal?.aborted) {
          const worker = startWorker({ clock, logger }, { manager, leases, heartbeatMs: timings.heartbeatMs })
          await new Promise<void>((resolve) => {
            if (io.stopSignal === undefined) return
            io.stopSignal.addEventListener('abort', () => resolve(), { once: true })
          })
          await worker.stop()
        } else await leases.close()
        await store?.close()
        if (!options.json) print('Stopped.')
        return
      }
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
