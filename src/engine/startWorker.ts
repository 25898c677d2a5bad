import type { Clock, Logger, StrategyLeases } from '../ports/index.js'
import type { DustManager } from './createDustManager.js'

export type StartWorkerParameters = {
  /** Runs the cycles; its own loops are not started (`start`): the leases decide what this worker scans. */
  readonly manager: DustManager
  readonly leases: StrategyLeases
  /** How often the worker renews its leases and looks for due scans: a third of the lease time (`chooseWorkerTimings`). */
  readonly heartbeatMs: number
}

/** A running worker: what it holds, and how to stop it. */
export type Worker = {
  /** The strategies this worker held at its last heartbeat. */
  held(): readonly string[]
  /** Stops the heartbeats, waits for the cycles in flight, then gives every lease back. */
  stop(): Promise<void>
}

/**
 * Starts a monitor worker that shares the manager's strategies with the other workers on the same
 * database (`dust monitor --workers`).
 *
 * Every heartbeat it renews its leases and takes free or expired ones up to its fair share, gives
 * back what it holds above that share once the current interval of those strategies is scanned
 * (so a strategy changing hands misses no interval), and claims the current interval's scan of
 * each strategy it holds that is not mid-cycle; each claimed scan runs one cycle. A strategy it
 * gains is first adopted (`manager.adopt`): the conversions its last holder left open are asked
 * about before it converts again, as at a start-up. The claim is the
 * database's: one scan per strategy per interval, whichever worker makes it. A killed worker's
 * leases expire at most one lease time after its last heartbeat, and the others take them at their
 * next heartbeat: with a heartbeat of a third of the lease, within 4/3 of a lease of the kill.
 */
export function startWorker(deps: { readonly clock: Clock; readonly logger: Logger }, parameters: StartWorkerParameters): Worker {
  const { clock, logger } = deps
  const { manager, leases, heartbeatMs } = parameters
  const controller = new AbortController()
  const running = new Map<string, Promise<unknown>>()
  /** Held strategies whose current interval was found scanned already: those can change hands without a gap. */
  const scanned = new Set<string>()
  let held: readonly string[] = []

  async function beat(): Promise<void> {
    const strategies = manager.strategies()
    const round = await leases.heartbeat(strategies.map((strategy) => strategy.policy.mode))
    const before = new Set(held)
    held = round.held
    const gained = held.filter((mode) => !before.has(mode))
    const lost = [...before].filter((mode) => !held.includes(mode))
    if (gained.length > 0 || lost.length > 0) logger.info({ worker: leases.workerId, gained, lost, held: held.length, share: round.share, workers: round.liveWorkers }, 'Worker leases changed')
    // A strategy taken over may have a conversion its last holder left open: it is settled before the strategy converts again.
    for (const mode of gained) await manager.adopt(mode)
    const excess = held.length - round.share
    if (excess > 0) {
      const idle = held.filter((mode) => scanned.has(mode) && !running.has(mode)).slice(0, excess)
      if (idle.length > 0) {
        await leases.release(idle)
        held = held.filter((mode) => !idle.includes(mode))
        logger.info({ worker: leases.workerId, released: idle, share: round.share }, 'Worker gave back leases above its share')
      }
    }
    const intervals = new Map(strategies.map((strategy) => [strategy.policy.mode, strategy.monitoringIntervalMs]))
    const requests = held.flatMap((mode) => {
      const intervalMs = intervals.get(mode)
      return running.has(mode) || intervalMs === undefined ? [] : [{ mode, intervalMs }]
    })
    const claimed = new Set(await leases.claimScans(requests))
    for (const { mode } of requests) {
      if (!claimed.has(mode)) {
        scanned.add(mode)
        continue
      }
      scanned.delete(mode)
      // A cycle's failure is recorded by the manager as dust_cycle_failed; the worker goes on.
      const cycle = manager.runCycle(mode).finally(() => running.delete(mode))
      running.set(mode, cycle)
    }
    for (const mode of scanned) if (!held.includes(mode)) scanned.delete(mode)
  }

  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        await beat()
      } catch (error) {
        // The database is unreachable: this worker scans nothing until a heartbeat succeeds, and its leases expire meanwhile.
        logger.error({ err: error, worker: leases.workerId }, 'Worker heartbeat failed; no scan is claimed until one succeeds')
        held = []
      }
      await clock.sleep(heartbeatMs, controller.signal)
    }
  })()

  return {
    held: () => held,
    async stop() {
      controller.abort()
      await loop
      await Promise.all(running.values())
      held = []
      await leases.close()
    },
  }
}
