/**
 * Returns the `percentile` (0 to 100) of `samples` by nearest rank: the smallest sample such that
 * at least `percentile` % of the samples are at or under it (the minimum for 0, the maximum for
 * 100). `undefined` for no samples, or for fewer than `minSamples` (1 by default).
 */
export function trailingPercentile(samples: readonly bigint[], percentile: number, minSamples = 1): bigint | undefined {
  if (!Number.isInteger(percentile) || percentile < 0 || percentile > 100) {
    throw new RangeError(`The gas percentile must be a whole number from 0 to 100, was ${percentile}.`)
  }
  if (samples.length === 0 || samples.length < minSamples) return undefined
  const sorted = [...samples].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const rank = Math.max(1, Math.ceil((percentile * sorted.length) / 100))
  return sorted[rank - 1]
}
