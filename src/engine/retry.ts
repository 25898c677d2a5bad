import type { Clock } from '../ports/index.js'

export type RetryOptions = {
  /** Tries in all, the first included (default 4). */
  readonly attempts?: number | undefined
  /** Delay before the first retry, in milliseconds (default 250); it doubles each time. */
  readonly baseMs?: number | undefined
  /** Longest delay, in milliseconds (default 5,000). */
  readonly maxMs?: number | undefined
  /** Whether an error is worth another try (a timeout, a 5xx, a 429, ccxt's NetworkError). */
  readonly isRetryable: (error: unknown) => boolean
  readonly clock: Clock
  /** A number in [0, 1) for the jitter; `Math.random` unless given (tests give a fixed one). */
  readonly random?: (() => number) | undefined
  /** Told of each retry before its delay. */
  readonly onRetry?: ((error: unknown, attempt: number, delayMs: number) => void) | undefined
}

/**
 * Runs `task`, retrying errors that are worth it with exponential backoff and full jitter
 * (a delay drawn between half and all of `baseMs × 2^(attempt − 1)`, capped at `maxMs`), a
 * bounded number of times. A terminal error, or the last retryable one, is thrown as it came.
 */
export async function retry<T>(task: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4)
  const random = options.random ?? Math.random
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task()
    } catch (error) {
      if (attempt >= attempts || !options.isRetryable(error)) throw error
      const ceiling = Math.min(options.maxMs ?? 5_000, (options.baseMs ?? 250) * 2 ** (attempt - 1))
      const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2)
      options.onRetry?.(error, attempt, delay)
      await options.clock.sleep(delay)
    }
  }
}

/**
 * Tells a transient failure from a terminal one, across the libraries the adapters use:
 * the project's errors with `retryable`, viem's timeouts and HTTP 5xx/429, ccxt's
 * `NetworkError` family (RequestTimeout, RateLimitExceeded, ExchangeNotAvailable, DDoSProtection),
 * and Node's connection errors. Anything else is terminal.
 */
export function isTransient(error: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const value: { retryable: unknown; name: unknown; status: unknown; code: unknown; cause: unknown } = {
      retryable: Reflect.get(current, 'retryable'),
      name: Reflect.get(current, 'name'),
      status: Reflect.get(current, 'status'),
      code: Reflect.get(current, 'code'),
      cause: Reflect.get(current, 'cause'),
    }
    if (typeof value.retryable === 'boolean') return value.retryable
    const name = typeof value.name === 'string' ? value.name : ''
    if (['TimeoutError', 'NetworkError', 'RequestTimeout', 'RateLimitExceeded', 'ExchangeNotAvailable', 'DDoSProtection', 'OnMaintenance'].includes(name)) return true
    if (typeof value.status === 'number' && (value.status === 429 || value.status >= 500)) return true
    if (typeof value.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET'].includes(value.code)) return true
    current = value.cause
  }
  return false
}
