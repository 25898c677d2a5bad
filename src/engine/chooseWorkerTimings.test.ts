import { describe, expect, it } from 'vitest'
import { chooseWorkerTimings } from './chooseWorkerTimings.js'

describe('chooseWorkerTimings', () => {
  it('leases for 30 s with heartbeats every 10 s when the shortest interval allows it', () => {
    expect(chooseWorkerTimings({ shortestIntervalMs: 60_000 })).toEqual({ leaseMs: 30_000, heartbeatMs: 10_000 })
  })

  it('shortens the default lease to 3/4 of a short interval, so that lease and heartbeat fit in it', () => {
    expect(chooseWorkerTimings({ shortestIntervalMs: 3_000 })).toEqual({ leaseMs: 2_250, heartbeatMs: 750 })
  })

  it('takes a given lease that fits, and refuses one that would let a takeover outlast the interval', () => {
    expect(chooseWorkerTimings({ shortestIntervalMs: 3_000, leaseMs: 2_000 })).toEqual({ leaseMs: 2_000, heartbeatMs: 666 })
    expect(() => chooseWorkerTimings({ shortestIntervalMs: 3_000, leaseMs: 2_500 })).toThrow(
      "--lease-seconds 2.5 is too long for the shortest monitoring interval, 3 s: a killed worker's strategies would not be taken over within one interval.\nThe lease plus a heartbeat (a third of the lease) must fit in the interval: at most 2.25 s here.",
    )
  })

  it('refuses a lease under 0.3 s', () => {
    expect(() => chooseWorkerTimings({ shortestIntervalMs: 300 })).toThrow("A worker's lease must last at least 0.3 s (heartbeats every 0.1 s), found 0.225 s; lengthen the monitoring interval.")
  })
})
