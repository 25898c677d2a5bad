import type { Clock, ConversionVenue, Logger, PriceSource } from '../ports/index.js'
import type { BalanceSource } from '../ports/index.js'
import { type CircuitBreaker, createCircuitBreaker } from './createCircuitBreaker.js'
import { type RetryOptions, isTransient, retry } from './retry.js'
import type { Strategy } from './Strategy.js'

export type MakeResilientParameters = {
  clock: Clock
  logger?: Logger | undefined
  /** Tries per read, the first included (default 3). */
  attempts?: number | undefined
  /** Failures in a row that open a venue's circuit (default 5), and how long it stays open (default 60 s). */
  failureThreshold?: number | undefined
  cooldownMs?: number | undefined
}

/**
 * Guards a venue's synchronous reads (its pairs, a quote): asked only while the venue's circuit
 * is closed, a success counts as one of `run`'s. A call that throws is not counted and gives
 * `undefined`, so the caller asks the asynchronous read, which retries and counts the failure
 * as ever. A synchronous call cannot time out, so nothing else of `guard` applies to it.
 */
function readsAtOnce(venue: ConversionVenue, breaker: CircuitBreaker): Pick<ConversionVenue, 'tradablePairsSync' | 'quoteSync'> {
  const atOnce = <A extends unknown[], R>(read: ((...args: A) => R | undefined) | undefined) =>
    read === undefined
      ? undefined
      : (...args: A): R | undefined => {
          if (breaker.state() !== 'closed') return undefined
          let answer: R | undefined
          try {
            answer = read(...args)
          } catch {
            // Not counted here: the asynchronous read the caller falls back to retries it and counts it.
            return undefined
          }
          if (answer !== undefined) breaker.succeeded()
          return answer
        }
  return { tradablePairsSync: atOnce(venue.tradablePairsSync), quoteSync: atOnce(venue.quoteSync) }
}

/**
 * Wraps a strategy's reads (balances, prices, quotes) so that transient failures (RPC
 * timeouts, HTTP 5xx and 429, ccxt's NetworkError) are retried with exponential backoff and
 * jitter, a bounded number of times, and a venue that keeps failing is paused by its circuit
 * breaker instead of slowing every cycle. Terminal errors pass through at once. Each venue has
 * its own breaker, so one venue down never stops the others.
 */
export function makeResilient(strategy: Strategy, parameters: MakeResilientParameters): Strategy {
  const breakers = new Map<string, CircuitBreaker>()
  const breakerOf = (name: string) => {
    let breaker = breakers.get(name)
    if (!breaker) {
      breaker = createCircuitBreaker({ name, clock: parameters.clock, failureThreshold: parameters.failureThreshold, cooldownMs: parameters.cooldownMs })
      breakers.set(name, breaker)
    }
    return breaker
  }
  // The retry options of each source or venue are made once, not on every read.
  const options = new Map<string, RetryOptions>()
  const optionsOf = (name: string): RetryOptions => {
    let found = options.get(name)
    if (!found) {
      found = {
        attempts: parameters.attempts ?? 3,
        clock: parameters.clock,
        isRetryable: isTransient,
        onRetry: (error, attempt, delayMs) => parameters.logger?.warn({ strategy: strategy.policy.mode, venue: name, attempt, delayMs, err: error }, `A read of ${name} failed; retrying`),
      }
      options.set(name, found)
    }
    return found
  }
  const guard = <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const retryOptions = optionsOf(name)
    return breakerOf(name).run(() => retry(task, retryOptions))
  }
  const balanceSources: BalanceSource[] = strategy.balanceSources.map((source) => ({ ...source, fetchHoldings: () => guard(source.name, () => source.fetchHoldings()) }))
  const priceSources: PriceSource[] = strategy.priceSources.map((source) => ({ ...source, fetchPrices: () => guard(source.name, () => source.fetchPrices()) }))
  const venues: ConversionVenue[] = strategy.venues.map((venue) => ({
    ...venue,
    name: venue.name,
    kind: venue.kind,
    chain: venue.chain,
    tradablePairs: () => guard(venue.name, () => venue.tradablePairs()),
    quote: (path, amountIn) => guard(venue.name, () => venue.quote(path, amountIn)),
    ...readsAtOnce(venue, breakerOf(venue.name)),
  }))
  return { ...strategy, balanceSources, priceSources, venues }
}
