import type { Command } from 'commander'
import { BaseError } from '../../../errors/index.js'
import { parseWholeOption } from '../parseWholeOption.js'
import { type CliContext, type CommonOptions, storeOption, withCommonOptions } from '../createCliContext.js'

/** Adds `dust serve`: the monitor loops and the HTTP API until stopped. */
export function addServeCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('serve'))
    .description(
      'Run the monitor loops and the HTTP API (GET /health, /strategies, /strategies/:mode/snapshot, /events, /conversions, /metrics; POST scan and convert with the bearer token of api.token) until Ctrl-C.',
    )
    .addOption(storeOption())
    .option('--host <host>', 'address to listen on (default api.host, else 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default api.port, else 8080; 0 picks a free one)', (text) => parseWholeOption('--port', text, 0, 65_535))
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .action(async (options: CommonOptions & { store?: string; host?: string; port?: number; execute?: boolean }) => {
      const { io, clock, print } = context
      // The store opens before the strategies are built: their token discovery keeps its cursors there.
      const { loaded, strategies, store: opened } = await context.loadStrategies(options, true, { store: options.store, required: true, execute: options.execute })
      const logger = await context.loggerFor(options.logLevel, loaded)
      const [{ createServeDependencies }, { createHttpServer }, { collectSecrets }] = await Promise.all([
        import('../../../app/createServeDependencies.js'),
        import('../../http/createHttpServer.js'),
        import('../collectSecrets.js'),
      ])
      if (opened === undefined) throw new BaseError('The event store did not open.')
      const store = opened
      const api = loaded.find(({ config }) => config.api !== undefined)?.config.api
      const notifications = loaded.find(({ config }) => config.notifications !== undefined)?.config.notifications
      const { manager, metrics, notifier } = createServeDependencies({ strategies, clock, logger, store, notifications })
      // Scan never executes; convert executes paper strategies, and live ones only with --execute.
      const secrets = collectSecrets({ loaded, env: io.env })
      const server = createHttpServer({ manager, strategies, eventStore: store, metrics, token: api?.token, executeLive: options.execute === true, secrets, logger })
      const address = await server.listen({ host: options.host ?? api?.host ?? '127.0.0.1', port: options.port ?? api?.port ?? 8080 })
      print(`Serving ${strategies.map((strategy) => strategy.policy.mode).join(', ')} at ${address}${api?.token ? '' : ' (scan and convert are off: no api.token)'}. Press Ctrl-C to stop.`)
      manager.start()
      await new Promise<void>((resolveStop) => {
        if (!io.stopSignal || io.stopSignal.aborted) return resolveStop()
        io.stopSignal.addEventListener('abort', () => resolveStop(), { once: true })
      })
      await manager.stop()
      await server.close()
      await notifier?.flush()
      await store.close()
      print('Stopped.')
    })
}
