import { describe, expect, it } from 'vitest'
import { CONVERSION_FAILURE_REASONS, CONVERSION_FAILURE_REASON_MEANINGS, isConversionFailureReason, readConversionFailure } from './ConversionFailureReason.js'

describe('conversion failure reasons', () => {
  it('documents every reason, in the order of the list, and no other', () => {
    expect(Object.keys(CONVERSION_FAILURE_REASON_MEANINGS)).toEqual([...CONVERSION_FAILURE_REASONS])
    expect(CONVERSION_FAILURE_REASONS.every(isConversionFailureReason)).toBe(true)
    expect(['swap_exploded', 'toString', '__proto__'].some(isConversionFailureReason)).toBe(false)
  })

  it("keeps a documented reason as it is, and reads any other as venue_error with the venue's word in the detail", () => {
    expect(readConversionFailure('swap_reverted', 'The swap reverted in block 44.')).toEqual({ reason: 'swap_reverted', detail: 'The swap reverted in block 44.' })
    expect(readConversionFailure('swap_exploded', 'The swap exploded in block 44.')).toEqual({ reason: 'venue_error', detail: 'swap_exploded: The swap exploded in block 44.' })
  })
})
