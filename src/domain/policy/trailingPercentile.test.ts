import { describe, expect, it } from 'vitest'
import { trailingPercentile } from './trailingPercentile.js'

describe('trailingPercentile', () => {
  it('takes the nearest rank of the sorted samples', () => {
    const samples = [50n, 10n, 40n, 20n, 30n]
    expect(trailingPercentile(samples, 50)).toBe(30n)
    expect(trailingPercentile(samples, 0)).toBe(10n)
    expect(trailingPercentile(samples, 20)).toBe(10n)
    expect(trailingPercentile(samples, 21)).toBe(20n)
    expect(trailingPercentile(samples, 100)).toBe(50n)
  })

  it('has no percentile of fewer samples than asked for', () => {
    expect(trailingPercentile([10n, 20n], 50, 3)).toBeUndefined()
    expect(trailingPercentile([10n, 20n, 30n], 50, 3)).toBe(20n)
  })

  it('has no percentile of no samples, and refuses a percentile outside 0 to 100', () => {
    expect(trailingPercentile([], 50)).toBeUndefined()
    expect(() => trailingPercentile([1n], 101)).toThrow('The gas percentile must be a whole number from 0 to 100, was 101.')
  })
})
