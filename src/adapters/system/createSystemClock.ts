import type { Clock } from '../../ports/index.js'

/** Creates the wall clock: `Date.now` and timers. */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve()
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }, ms)
        const onAbort = () => {
          clearTimeout(timer)
          resolve()
        }
        signal?.addEventListener('abort', onAbort, { once: true })
      }),
  }
}
