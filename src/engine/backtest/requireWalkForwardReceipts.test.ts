import { describe, expect, it } from 'vitest'
import { BaseError } from '../../errors/index.js'
import { requireWalkForwardReceipts } from './requireWalkForwardReceipts.js'
import { splitWalkForward } from './splitWalkForward.js'

const HOUR = 3_600_000
// 2025-03-08 22:00 to 2025-03-09 01:00 UTC: two hours a half, EIGEN credited at 2025-03-09 00:00.
const from = Date.UTC(2025, 2, 8, 22)
const halves = splitWalkForward({ from, to: from + 3 * HOUR })
const midnight = Date.UTC(2025, 2, 9)

/** The refusal `run` raises, as its short message and details. */
function refusal(run: () => unknown): [string, string | undefined, string] {
  try {
    run()
  } catch (error) {
    if (error instanceof BaseError) return [error.shortMessage, error.details, error.code]
    throw error
  }
  throw new Error('Expected a refusal, found none.')
}

const WANTED = 'a half without one has no reward to convert, and its runs say nothing of the policies. Widen the window to take in a receipt on each side of its midpoint.'

describe('requireWalkForwardReceipts', () => {
  it('counts the receipts of each half, one inside an hour on the next hour start, as the replay places it', () => {
    expect(requireWalkForwardReceipts({ ...halves, receipts: [from - HOUR, from, from + HOUR + 1, midnight + HOUR, midnight + 3 * HOUR] })).toEqual({ choose: 1, report: 2 })
  })

  it('refuses a first half without a receipt, naming it, its hours, and what is needed', () => {
    expect(refusal(() => requireWalkForwardReceipts({ ...halves, receipts: [from - HOUR, midnight] }))).toEqual([
      "The walk-forward's first half, which chooses (2025-03-08 22:00 UTC to 2025-03-08 23:00 UTC, 2 hours), holds no reward receipt.",
      `Expected a window with reward receipts in both halves, found 0 in the first half and 1 in the second: ${WANTED}`,
      'invalid_parameter',
    ])
  })

  it('refuses a second half without one, and names both halves when neither holds one', () => {
    expect(refusal(() => requireWalkForwardReceipts({ ...halves, receipts: [from + HOUR] }))[0]).toBe(
      "The walk-forward's second half, which is scored (2025-03-09 00:00 UTC to 2025-03-09 01:00 UTC, 2 hours), holds no reward receipt.",
    )
    const single = splitWalkForward({ from, to: from + HOUR })
    expect(refusal(() => requireWalkForwardReceipts({ ...single, receipts: [] }))[0]).toBe(
      "The walk-forward's first half, which chooses (2025-03-08 22:00 UTC to 2025-03-08 22:00 UTC, 1 hour), and the second half, which is scored (2025-03-08 23:00 UTC to 2025-03-08 23:00 UTC, 1 hour), hold no reward receipt.",
    )
  })
})
