import { describe, expect, it } from 'vitest'
import { baseUnits, hash32, hexAddress, proofSteps } from './proofFields.js'

const HASH = `0x${'ab'.repeat(32)}`

/** The first issue's message of a refused value, or `accepted`. */
function verdict(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }, value: unknown): string {
  const result = schema.safeParse(value)
  return result.success ? 'accepted' : (result.error?.issues[0]?.message ?? 'refused')
}

describe('the proof fields', () => {
  it('hash32 takes 32 bytes of hex in any case, and says what it expects otherwise', () => {
    expect([HASH, HASH.toUpperCase().replace('0X', '0x'), HASH.slice(0, -2), `${HASH}00`, HASH.slice(2), `0x${'zz'.repeat(32)}`].map((value) => verdict(hash32, value))).toEqual([
      'accepted',
      'accepted',
      'a 0x-prefixed 32-byte hex value',
      'a 0x-prefixed 32-byte hex value',
      'a 0x-prefixed 32-byte hex value',
      'a 0x-prefixed 32-byte hex value',
    ])
  })

  it('hexAddress takes 20 bytes of hex in any case, checksummed or not', () => {
    expect(
      ['0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c', '0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c', '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4', HASH].map((value) => verdict(hexAddress, value)),
    ).toEqual(['accepted', 'accepted', 'a 0x-prefixed 20-byte hex address', 'a 0x-prefixed 20-byte hex address'])
  })

  it('baseUnits takes whole decimal numbers of 1 to 78 digits: any uint256, never a sign, a point or an exponent', () => {
    const maxUint256 = (2n ** 256n - 1n).toString()
    expect(maxUint256).toHaveLength(78)
    expect(['0', '1200000000000000000000', maxUint256, `${maxUint256}0`, '', '-1', '1.5', '1e18', ' 1', 1200].map((value) => verdict(baseUnits, value))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'a whole number of base units written in decimal',
      'a whole number of base units written in decimal',
      'a whole number of base units written in decimal',
      'a whole number of base units written in decimal',
      'a whole number of base units written in decimal',
      'a whole number of base units written in decimal',
      'Invalid input: expected string, received number',
    ])
  })

  it('proofSteps takes up to 256 hashes, an empty proof included', () => {
    expect(verdict(proofSteps, [])).toBe('accepted')
    expect(
      verdict(
        proofSteps,
        Array.from({ length: 256 }, () => HASH),
      ),
    ).toBe('accepted')
    expect(
      verdict(
        proofSteps,
        Array.from({ length: 257 }, () => HASH),
      ),
    ).toBe('Too big: expected array to have <=256 items')
    expect(verdict(proofSteps, [HASH, '0x01'])).toBe('a 0x-prefixed 32-byte hex value')
  })
})
