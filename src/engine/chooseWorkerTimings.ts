import { UsageError } from '../errors/index.js'

/** The lease and heartbeat of a monitor worker, in milliseconds. */
export type WorkerTimings = { readonly leaseMs: number; readonly heartbeatMs: number }

/** The lease time when none is given: 30 seconds, shorter when the shortest interval needs it. */
const DEFAULT_LEASE_MS = 30_000

/**
 * Chooses a worker's lease time and heartbeat (a third of the lease) so that a killed worker's
 * strategies are taken over within one interval: its leases expire at most one lease after the
 * kill, and the others see it at their next heartbeat, so the takeover comes within 4/3 of a
 * lease, which must not exceed the shortest strategy interval. Without `leaseMs`, the lease is
 * 30 s or 3/4 of the shortest interval, whichever is shorter; a given lease longer than that is
 * refused.
 */
export function chooseWorkerTimings(parameters: { readonly shortestIntervalMs: number; readonly leaseMs?: number | undefined }): WorkerTimings {
  const { shortestIntervalMs } = parameters
  const longest = Math.floor((shortestIntervalMs * 3) / 4)
  const leaseMs = parameters.leaseMs === undefined ? Math.min(DEFAULT_LEASE_MS, longest) : Math.round(parameters.leaseMs)
  if (leaseMs > longest) {
    throw new UsageError(
      `--lease-seconds ${leaseMs / 1000} is too long for the shortest monitoring interval, ${shortestIntervalMs / 1000} s: a killed worker's strategies would not be taken over within one interval.`,
      { details: `The lease plus a heartbeat (a third of the lease) must fit in the interval: at most ${longest / 1000} s here.` },
    )
  }
  if (leaseMs < 300) throw new UsageError(`A worker's lease must last at least 0.3 s (heartbeats every 0.1 s), found ${leaseMs / 1000} s; lengthen the monitoring interval.`)
  return { leaseMs, heartbeatMs: Math.floor(leaseMs / 3) }
}
