/** What one heartbeat of a worker found: the strategies it holds now and its fair share of them. */
export type LeaseRound = {
  /** The strategies this worker holds a lease on after the heartbeat, renewed to the lease time. */
  readonly held: readonly string[]
  /** ceil(strategies / live workers): how many it should hold; it gives back what it holds above this. */
  readonly share: number
  /** The workers whose heartbeat has not expired, this one included. */
  readonly liveWorkers: number
}

/** A strategy due for a scan, and the interval its scans are counted in. */
export type ScanRequest = { readonly mode: string; readonly intervalMs: number }

/**
 * Is the strategies' sharing between monitor workers (`dust monitor --workers`): leases renewed by
 * heartbeats, taken over once expired, and at most one scan of a strategy per interval.
 * Time is the database's, so that workers on several hosts agree on it.
 */
export type StrategyLeases = {
  /** The name this worker's leases and scans are recorded under. */
  readonly workerId: string
  /**
   * Renews this worker's heartbeat and leases, then takes free or expired leases of `modes` up to
   * its fair share. Each lease lasts the lease time from this heartbeat.
   */
  heartbeat(modes: readonly string[]): Promise<LeaseRound>
  /**
   * Claims the current interval's scan of each strategy this worker holds; returns those claimed.
   * A strategy whose current interval was scanned already (by any worker), or whose lease is no
   * longer this worker's, is not claimed: each interval has one scan at most.
   */
  claimScans(requests: readonly ScanRequest[]): Promise<string[]>
  /** Gives leases back at once, so that another worker takes them at its next heartbeat. */
  release(modes: readonly string[]): Promise<void>
  /** Gives every lease back, removes this worker from the live ones, and closes the connections. */
  close(): Promise<void>
}
