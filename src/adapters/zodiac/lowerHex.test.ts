import { describe, expect, it } from 'vitest'
import { lowerHex } from './lowerHex.js'

describe('lowerHex', () => {
  it('lowers the digits of addresses, selectors and keys, and keeps the prefix and the empty value', () => {
    expect(lowerHex('0xEc53bF9167f50cDEB3Ae105f56099aaaB9061F83')).toBe('0xec53bf9167f50cdeb3ae105f56099aaab9061f83')
    expect(lowerHex('0xA9059CBB')).toBe('0xa9059cbb')
    expect(lowerHex('0x')).toBe('0x')
  })
})
