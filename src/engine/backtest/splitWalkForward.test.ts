import { describe, expect, it } from 'vitest'
import { splitWalkForward } from './splitWalkForward.js'

const HOUR = 3_600_000

describe('splitWalkForward', () => {
  it('splits the 8,568 hours of the history into 4,284 and 4,284 (178.5 days each), the second starting the hour after the first ends', () => {
    const from = Date.UTC(2024, 9, 5)
    const to = Date.UTC(2025, 8, 26, 23)
    const { choose, report } = splitWalkForward({ from, to })
    expect(choose).toEqual({ from, to: from + 4283 * HOUR, hours: 4284 })
    expect(report).toEqual({ from: from + 4284 * HOUR, to, hours: 4284 })
    expect(new Date(report.from).toISOString()).toBe('2025-04-01T12:00:00.000Z')
  })

  it('gives the extra hour of an odd span to the second half, and splits two hours into one and one', () => {
    expect(splitWalkForward({ from: 0, to: 4 * HOUR })).toEqual({ choose: { from: 0, to: HOUR, hours: 2 }, report: { from: 2 * HOUR, to: 4 * HOUR, hours: 3 } })
    expect(splitWalkForward({ from: 0, to: HOUR })).toEqual({ choose: { from: 0, to: 0, hours: 1 }, report: { from: HOUR, to: HOUR, hours: 1 } })
  })

  it('refuses a span of one hour, or one not in whole hours', () => {
    expect(() => splitWalkForward({ from: 0, to: 0 })).toThrow('A walk-forward needs a span of two whole hours at least.')
    expect(() => splitWalkForward({ from: 0, to: HOUR + 1 })).toThrow(/two whole hours/)
  })
})
