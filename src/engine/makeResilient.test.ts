import { describe, expect, it } from 'vitest'
import { createTestStrategy } from '../../test/createTestStrategy.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { VenueError } from '../errors/index.js'
import type { BalanceSource } from '../ports/index.js'
import { makeResilient } from './makeResilient.js'

describe('makeResilient', () => {
  it('retries a source that fails for a moment, pauses one that keeps failing, and leaves the others alone', async () => {
    let now = FIXED_TIME
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) }
    let flakyCalls = 0
    const flaky: BalanceSource = {
      name: 'flaky',
      source: 'wallet_balance',
      async fetchHoldings() {
        flakyCalls += 1
        if (flakyCalls === 1) throw new VenueError('flaky', 'The node timed out.', { retryable: true })
        return []
      },
    }
    let downCalls = 0
    const down: BalanceSource = {
      name: 'down',
      source: 'wallet_balance',
      async fetchHoldings() {
        downCalls += 1
        throw new VenueError('down', 'HTTP 502.', { retryable: true })
      },
    }
    const base = createTestStrategy({ override: (strategy) => ({ balanceSources: [...strategy.balanceSources, flaky, down] }) })
    const strategy = makeResilient(base, { clock, attempts: 3, failureThreshold: 2, cooldownMs: 60_000 })
    const flakyWrapped = strategy.balanceSources.find((source) => source.name === 'flaky')
    const downWrapped = strategy.balanceSources.find((source) => source.name === 'down')
    expect(await flakyWrapped?.fetchHoldings()).toEqual([])
    expect(flakyCalls).toBe(2)
    // Two reads of three tries each fail; the third read is refused by the open circuit without a call.
    await expect(downWrapped?.fetchHoldings()).rejects.toThrow('HTTP 502.')
    await expect(downWrapped?.fetchHoldings()).rejects.toThrow('HTTP 502.')
    await expect(downWrapped?.fetchHoldings()).rejects.toMatchObject({ code: 'circuit_open' })
    expect(downCalls).toBe(6)
    // The static venues of the strategy still answer.
    expect((await strategy.balanceSources[0]?.fetchHoldings())?.length).toBeGreaterThan(0)
    expect((await strategy.venues[0]?.tradablePairs())?.length).toBeGreaterThan(0)
  })
})
