import { describe, expect, it } from 'vitest'
import { createTestStrategy } from '../../test/createTestStrategy.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { VenueError } from '../errors/index.js'
import { Amount } from '../domain/money/index.js'
import type { BalanceSource, ConversionVenue } from '../ports/index.js'
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

  it("passes a venue's synchronous reads through while its circuit is closed, and leaves a failing one to the retried asynchronous read", async () => {
    let now = FIXED_TIME
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) }
    const base = createTestStrategy()
    const cex = base.venues.find((venue) => venue.kind === 'cex')
    if (cex?.quoteSync === undefined) throw new Error('Expected the test strategy to have a static CEX that quotes at once.')
    let syncCalls = 0
    let failing = false
    const flaky: ConversionVenue = {
      ...cex,
      tradablePairsSync: () => {
        syncCalls += 1
        if (failing) throw new VenueError(cex.name, 'HTTP 502.', { retryable: true })
        return cex.tradablePairsSync?.()
      },
      tradablePairs: async () => {
        if (failing) throw new VenueError(cex.name, 'HTTP 502.', { retryable: true })
        return cex.tradablePairs()
      },
    }
    const strategy = makeResilient({ ...base, venues: [flaky] }, { clock, attempts: 1, failureThreshold: 1, cooldownMs: 60_000 })
    const wrapped = strategy.venues[0]
    const [token, target] = (await cex.tradablePairs())[0] ?? []
    if (!token || !target) throw new Error('Expected the static CEX to trade a pair.')
    const quote = await cex.quote([token, target], Amount.fromRaw(token, 10n ** 18n))
    expect(wrapped?.quoteSync?.([token, target], Amount.fromRaw(token, 10n ** 18n))).toStrictEqual(quote)
    expect(wrapped?.tradablePairsSync?.()).toBe(cex.tradablePairsSync?.())
    // A throw is not counted and answers nothing: the asynchronous read fails, is counted, and opens the circuit.
    failing = true
    expect(wrapped?.tradablePairsSync?.()).toBeUndefined()
    await expect(wrapped?.tradablePairs()).rejects.toThrow('HTTP 502.')
    // While the circuit is open the synchronous reads are not even asked.
    const asked = syncCalls
    failing = false
    expect(wrapped?.tradablePairsSync?.()).toBeUndefined()
    expect(wrapped?.quoteSync?.([token, target], Amount.fromRaw(token, 10n ** 18n))).toBeUndefined()
    expect(syncCalls).toBe(asked)
    // A venue without synchronous reads gets none.
    const plain = makeResilient({ ...base, venues: [{ ...cex, quoteSync: undefined, tradablePairsSync: undefined }] }, { clock })
    expect(plain.venues[0]?.quoteSync).toBeUndefined()
    expect(plain.venues[0]?.tradablePairsSync).toBeUndefined()
  })
})
