import { describe, expect, it } from 'vitest'
import { createSystemClock } from './createSystemClock.js'

describe('createSystemClock', () => {
  const clock = createSystemClock()

  it('tells wall-clock milliseconds', () => {
    const before = Date.now()
    const now = clock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })

  it('resolves a sleep after about the time asked', async () => {
    const start = performance.now()
    await clock.sleep(20)
    expect(performance.now() - start).toBeGreaterThanOrEqual(15)
  })

  it('resolves early when the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController()
    const start = performance.now()
    const sleeping = clock.sleep(60_000, controller.signal)
    setTimeout(() => controller.abort(), 10)
    await sleeping
    expect(performance.now() - start).toBeLessThan(5_000)

    const aborted = AbortSignal.abort()
    const again = performance.now()
    await clock.sleep(60_000, aborted)
    expect(performance.now() - again).toBeLessThan(1_000)
  })

  it('stops listening to the signal once the sleep is over', async () => {
    const controller = new AbortController()
    await clock.sleep(1, controller.signal)
    // Aborting afterwards is harmless.
    controller.abort()
    expect(controller.signal.aborted).toBe(true)
  })
})
