import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultDataDir, readLastCloses } from '../../src/adapters/history/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../../src/adapters/localchain/startLocalChain.js'
import { createDemoStrategy } from '../../src/app/createDemoStrategy.js'
import { createDemoWorld } from '../../src/app/createDemoWorld.js'
import { createEventStore } from '../../src/app/createEventStore.js'
import { createServeDependencies } from '../../src/app/createServeDependencies.js'
import { createSystemClock } from '../../src/app/createSystemClock.js'
import type { Strategy } from '../../src/engine/Strategy.js'
import { type HttpServer, createHttpServer } from '../../src/interfaces/http/createHttpServer.js'
import type { EventStore, Logger } from '../../src/ports/index.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** A `dust serve` of the demo strategy, assembled as the command assembles it, on a fresh local chain. */
export type DemoServe = {
  readonly chain: LocalChain
  readonly strategy: Strategy
  /** The SQLite event store the server reads: a test may append what a monitor would have recorded. */
  readonly store: EventStore
  readonly token: string
  /** Starts the API (again, after `stopServer`) on the same port; resolves to its address. */
  startServer(): Promise<string>
  /** Closes the API only: the page is left talking to nothing. */
  stopServer(): Promise<void>
  /** Stops everything: the server, the store, the chain, the temporary folder. */
  stop(): Promise<void>
}

/**
 * Starts a local chain with the demo world, the demo strategy in paper mode, a SQLite event store
 * and the HTTP server with a bearer token: what `dust demo` deploys and `dust serve` serves.
 */
export async function startDemoServe(parameters: { token: string }): Promise<DemoServe> {
  const { token } = parameters
  const dir = mkdtempSync(join(tmpdir(), 'dust-dashboard-'))
  const clock = createSystemClock()
  const chain = await startLocalChain()
  let store: EventStore | undefined
  try {
    const world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
    const strategy = await createDemoStrategy({ world, clock })
    const openStore = await createEventStore({ env: {}, sqliteFile: join(dir, 'events.sqlite'), clock })
    store = openStore
    const { manager, metrics } = createServeDependencies({ strategies: [strategy], clock, logger: quiet, store: openStore })
    let server: HttpServer | undefined
    let port = 0
    const startServer = async () => {
      server = createHttpServer({ manager, strategies: [strategy], eventStore: openStore, metrics, token, logger: quiet })
      const address = await server.listen({ host: '127.0.0.1', port })
      port = Number(new URL(address).port) // float-ok: a port number
      return address
    }
    const stopServer = async () => {
      await server?.close()
      server = undefined
    }
    return {
      chain,
      strategy,
      store: openStore,
      token,
      startServer,
      stopServer,
      async stop() {
        await stopServer()
        await openStore.close()
        await chain.stop()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await store?.close()
    await chain.stop()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}
