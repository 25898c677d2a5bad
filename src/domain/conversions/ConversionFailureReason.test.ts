import { describe, expect, it } from 'vitest'
import { CONVERSION_FAILURE_REASONS, CONVERSION_FAILURE_REASON_MEANINGS, isConversionFailureReason } from './ConversionFailureReason.js'

describe('conversion failure reasons', () => {
  it('documents every reason, in the order of the list, and no other', () => {
    expect(Object.keys(CONVERSION_FAILURE_REASON_MEANINGS)).toEqual([...CONVERSION_FAILURE_REASONS])
    expect(CONVERSION_FAILURE_REASONS.every(isConversionFailureReason)).toBe(true)
    expect(['swap_exploded', 'toString', '__proto__'].some(isConversionFailureReason)).toBe(false)
  })
})
