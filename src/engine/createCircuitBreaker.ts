import { BaseError } from '../errors/index.js'
import type { Clock } from '../ports/index.js'

export type CircuitBreaker = {
  /** Runs `task` unless the circuit is open; a failure counts, a success closes it. */
  run<T>(task: () => Promise<T>): Promise<T>
  readonly state: () => 'closed' | 'open' | 'half_open'
  /** Counts a success that did not go through `run` (a synchronous read): it closes the circuit as `run`'s would. */
  succeeded(): void
}

/**
 * Creates the circuit breaker of one venue: after `failureThreshold` failures in a row it
 * opens and refuses at once (error code `circuit_open`) for `cooldownMs`; then one call is let
 * through (half open): its success closes the circuit, its failure opens it again.
 */
export function createCircuitBreaker(parameters: { name: string; clock: Clock; failureThreshold?: number | undefined; cooldownMs?: number | undefined }): CircuitBreaker {
  const threshold = parameters.failureThreshold ?? 5
  const cooldown = parameters.cooldownMs ?? 60_000
  let failures = 0
  let openedAt: number | undefined
  const state = () => (openedAt === undefined ? 'closed' : parameters.clock.now() - openedAt >= cooldown ? 'half_open' : 'open')
  return {
    state,
    succeeded() {
      failures = 0
      openedAt = undefined
    },
    async run(task) {
      if (state() === 'open') {
        throw new BaseError(
          `${parameters.name} is paused after ${failures} failures in a row; it is tried again ${Math.ceil((cooldown - (parameters.clock.now() - (openedAt ?? 0))) / 1000)} s from now.`,
          {
            code: 'circuit_open',
          },
        )
      }
      try {
        const result = await task()
        failures = 0
        openedAt = undefined
        return result
      } catch (error) {
        failures += 1
        if (failures >= threshold || openedAt !== undefined) openedAt = parameters.clock.now()
        throw error
      }
    },
  }
}
