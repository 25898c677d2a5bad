import { describe, expect, it } from 'vitest'
import { encodeMultiSend } from './encodeMultiSend.js'

const TOKEN = '0x1111111111111111111111111111111111111111'
const ROLES = '0x00000000000000000000000000000000000000ab'

describe('encodeMultiSend', () => {
  it('packs each call as operation, to, value, data length and data, with no padding', () => {
    const packed = encodeMultiSend([
      { to: TOKEN, value: 0n, data: '0xa9059cbb' },
      { to: ROLES, value: 258n, data: '0x' },
    ])
    const expected = [
      '00',
      '1111111111111111111111111111111111111111',
      '0'.repeat(64),
      `${'0'.repeat(63)}4`,
      'a9059cbb',
      '00',
      '00000000000000000000000000000000000000ab',
      `${'0'.repeat(61)}102`,
      '0'.repeat(64),
    ].join('')
    expect(packed).toBe(`0x${expected}`)
    // 1 + 20 + 32 + 32 bytes of header per call, then the data.
    expect((packed.length - 2) / 2).toBe(85 + 4 + 85)
  })

  it('packs no calls as empty bytes', () => {
    expect(encodeMultiSend([])).toBe('0x')
  })
})
