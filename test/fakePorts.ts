import type { DustEvent } from '../src/domain/events.js'
import { SourceError, VenueError } from '../src/errors/index.js'
import type { Currency } from '../src/domain/money/index.js'
import type { BalanceSource, Clock, ConversionVenue, EquitySource, EventSink, Logger, PriceSource } from '../src/ports/index.js'
import { FIXED_TIME } from './fixtureMoney.js'

/** Lets every pending promise chain run: resolves after the microtask queue has drained. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Settles until `condition` holds, failing after `rounds` rounds. */
export async function settleUntil(condition: () => boolean, rounds = 100): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    if (condition()) return
    await settle()
  }
  throw new Error(`condition still false after ${rounds} rounds`)
}

/** A promise with its resolve and reject at hand. */
export function createDeferred<T = void>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((yes, no) => {
    resolve = yes
    reject = no
  })
  return { promise, resolve, reject }
}

/** A clock whose time moves only when told to; sleepers wake when time reaches them or their signal aborts. */
export type FakeClock = Clock & {
  /** Moves time forward and wakes the sleepers it reaches, then lets them run. */
  advance(ms: number): Promise<void>
  /** How many sleeps are waiting. */
  sleeping(): number
  /** Every sleep asked for, in ms. */
  readonly sleeps: number[]
}

export function createFakeClock(start = FIXED_TIME): FakeClock {
  let now = start
  const sleepers = new Set<{ until: number; wake(): void }>()
  const sleeps: number[] = []
  return {
    now: () => now,
    sleeps,
    sleeping: () => sleepers.size,
    sleep(ms, signal) {
      sleeps.push(ms)
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve()
        const sleeper = {
          until: now + ms,
          wake() {
            sleepers.delete(sleeper)
            signal?.removeEventListener('abort', sleeper.wake)
            resolve()
          },
        }
        sleepers.add(sleeper)
        signal?.addEventListener('abort', sleeper.wake, { once: true })
      })
    },
    async advance(ms) {
      now += ms
      for (const sleeper of [...sleepers]) if (sleeper.until <= now) sleeper.wake()
      await settle()
    },
  }
}

/** A log entry the recording logger kept. */
export type LogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; fields: Record<string, unknown>; message: string }

/** The Logger port, recording instead of writing. */
export function createRecordingLogger(): Logger & { entries: LogEntry[]; at(level: LogEntry['level']): LogEntry[] } {
  const entries: LogEntry[] = []
  const record = (level: LogEntry['level']) => (fields: object, message: string) => {
    entries.push({ level, fields: fields as Record<string, unknown>, message })
  }
  return {
    entries,
    at: (level) => entries.filter((entry) => entry.level === level),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  }
}

/** The EventSink port, keeping every event in order. */
export function createRecordingEventSink(): EventSink & { events: DustEvent[]; types(mode?: string): string[] } {
  const events: DustEvent[] = []
  return {
    events,
    types: (mode) => events.filter((event) => mode === undefined || event.strategy_mode === mode).map((event) => event.event_type),
    async append(event) {
      events.push(event)
    },
  }
}

/** A balance source that cannot answer. */
export function createFailingBalanceSource(name: string, message: string): BalanceSource & { calls: number } {
  const source = {
    name,
    source: 'wallet_balance' as const,
    calls: 0,
    async fetchHoldings(): Promise<never> {
      source.calls += 1
      throw new SourceError(name, message)
    },
  }
  return source
}

/** A price source that cannot answer. */
export function createFailingPriceSource(name: string, message: string): PriceSource {
  return {
    name,
    async fetchPrices() {
      throw new SourceError(name, message)
    },
  }
}

/** An equity source that cannot answer. */
export function createFailingEquitySource(message: string): EquitySource {
  return {
    name: 'failing',
    async fetchEquity() {
      throw new SourceError('failing', message)
    },
  }
}

/** Wraps a balance source so each fetch first waits for `gate()` and is counted. */
export function gateBalanceSource(inner: BalanceSource, gate: () => Promise<void>): BalanceSource & { calls: number } {
  const source = {
    name: inner.name,
    source: inner.source,
    calls: 0,
    async fetchHoldings() {
      source.calls += 1
      await gate()
      return inner.fetchHoldings()
    },
  }
  return source
}

/** A venue that lists pairs but whose quotes throw (an exchange in maintenance). */
export function createThrowingVenue(name: string, pairs: ReadonlyArray<readonly [Currency, Currency]>, message: string): ConversionVenue {
  return {
    name,
    kind: 'dex',
    chain: 'ethereum',
    async tradablePairs() {
      return pairs
    },
    async quote() {
      throw new VenueError(name, message)
    },
  }
}
