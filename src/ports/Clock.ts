/** Tells the time and waits; a port so tests and backtests control time. */
export type Clock = {
  /** Wall-clock milliseconds since the epoch. */
  now(): number
  /** Resolves after `ms` milliseconds, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}
