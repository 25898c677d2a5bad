import { describe, expect, it } from 'vitest'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { BaseError, SourceError, VenueError } from '../errors/index.js'
import { createCircuitBreaker } from './createCircuitBreaker.js'
import { isTransient, retry } from './retry.js'

/** A clock whose sleeps pass at once, move it on, and are recorded. */
function steppingClock() {
  let now = FIXED_TIME
  const sleeps: number[] = []
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      now += ms
    },
  }
}

describe('retry', () => {
  it('retries a transient failure with doubling, jittered delays, and returns the first success', async () => {
    const clock = steppingClock()
    let calls = 0
    const result = await retry(
      async () => {
        calls += 1
        if (calls < 3) throw new VenueError('node', 'The node timed out.', { retryable: true })
        return 'quote'
      },
      { clock, isRetryable: isTransient, baseMs: 200, random: () => 0.5 },
    )
    expect(result).toBe('quote')
    expect(calls).toBe(3)
    // Half of the ceiling plus half of it times the random draw: 200 → 150, 400 → 300.
    expect(clock.sleeps).toEqual([150, 300])
  })

  it('gives up after the bounded number of tries, throwing the last error, and caps the delay', async () => {
    const clock = steppingClock()
    let calls = 0
    const failing = retry(
      async () => {
        calls += 1
        throw Object.assign(new Error(`HTTP 503 #${calls}`), { status: 503 })
      },
      { clock, isRetryable: isTransient, attempts: 4, baseMs: 1_000, maxMs: 1_500, random: () => 1 },
    )
    await expect(failing).rejects.toThrow('HTTP 503 #4')
    expect(clock.sleeps).toEqual([1_000, 1_500, 1_500])
  })

  it('throws a terminal error at once', async () => {
    const clock = steppingClock()
    let calls = 0
    await expect(
      retry(
        async () => {
          calls += 1
          throw new VenueError('binance', 'Insufficient balance.', { retryable: false })
        },
        { clock, isRetryable: isTransient },
      ),
    ).rejects.toThrow('Insufficient balance.')
    expect(calls).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('tells transient from terminal across libraries, through causes', () => {
    expect(isTransient(Object.assign(new Error('rate'), { status: 429 }))).toBe(true)
    expect(isTransient(Object.assign(new Error('bad'), { status: 400 }))).toBe(false)
    expect(isTransient(Object.assign(new Error('t'), { name: 'RequestTimeout' }))).toBe(true)
    expect(isTransient(Object.assign(new Error('f'), { name: 'InsufficientFunds' }))).toBe(false)
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    expect(isTransient(new SourceError('mainnet', 'The node did not answer.', { cause: new Error('fetch failed', { cause: refused }) }))).toBe(true)
    expect(isTransient(new BaseError('A configuration is wrong.'))).toBe(false)
    expect(isTransient('text')).toBe(false)
  })
})

describe('createCircuitBreaker', () => {
  it('counts a success made outside run, as a synchronous read is, as one of its own', async () => {
    const breaker = createCircuitBreaker({ name: 'uniswap', clock: steppingClock(), failureThreshold: 2 })
    const fail = () =>
      breaker.run(async () => {
        throw new Error('down')
      })
    await expect(fail()).rejects.toThrow('down')
    breaker.succeeded()
    // The failure before the success no longer counts: one more leaves the circuit closed.
    await expect(fail()).rejects.toThrow('down')
    expect(breaker.state()).toBe('closed')
  })

  it('opens after failures in a row, refuses at once while open, lets one call through after the cool-down', async () => {
    const clock = steppingClock()
    const breaker = createCircuitBreaker({ name: 'uniswap', clock, failureThreshold: 2, cooldownMs: 10_000 })
    let calls = 0
    const fail = () =>
      breaker.run(async () => {
        calls += 1
        throw new Error('down')
      })
    await expect(fail()).rejects.toThrow('down')
    expect(breaker.state()).toBe('closed')
    await expect(fail()).rejects.toThrow('down')
    expect(breaker.state()).toBe('open')
    await expect(fail()).rejects.toMatchObject({ code: 'circuit_open', shortMessage: 'uniswap is paused after 2 failures in a row; it is tried again 10 s from now.' })
    expect(calls).toBe(2)
    await clock.sleep(10_000)
    expect(breaker.state()).toBe('half_open')
    // The trial call fails: open again at once.
    await expect(fail()).rejects.toThrow('down')
    expect(breaker.state()).toBe('open')
    await clock.sleep(10_000)
    expect(await breaker.run(async () => 'ok')).toBe('ok')
    expect(breaker.state()).toBe('closed')
  })
})
