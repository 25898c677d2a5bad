import fc from 'fast-check'
import { type Hex, bytesToHex, decodeFunctionResult, erc20Abi, numberToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { decodeUint256 } from './decodeUint256.js'

const viemBalanceOf = (data: Hex) => decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data })

/** Runs a decoder and gives its value, or the fact that it refused. */
const outcome = (decode: () => bigint): bigint | 'refused' => {
  try {
    return decode()
  } catch {
    return 'refused'
  }
}

describe('decodeUint256', () => {
  it("decodes any uint256, with or without trailing bytes, as viem's decodeFunctionResult does", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.uint8Array({ minLength: 0, maxLength: 40 }), (value, trailing) => {
        const data = `${numberToHex(value, { size: 32 })}${bytesToHex(trailing).slice(2)}` as Hex
        expect(decodeUint256(data)).toBe(value)
        expect(decodeUint256(data)).toBe(viemBalanceOf(data))
      }),
      { seed: 256, numRuns: 300 },
    )
  })

  it('refuses exactly what viem refuses on random bytes of 0 to 40 bytes, and reads the same value otherwise', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (bytes) => {
        const data = bytesToHex(bytes)
        expect(outcome(() => decodeUint256(data))).toEqual(outcome(() => viemBalanceOf(data)))
      }),
      { seed: 257, numRuns: 300 },
    )
  })

  it('refuses no data, short data, digits that are not hex and an odd number of digits, saying what it found', () => {
    expect(() => decodeUint256('0x')).toThrow('A uint256 answer must have 32 bytes, found no data (0x).')
    expect(() => decodeUint256(`0x${'00'.repeat(31)}`)).toThrow('A uint256 answer must have 32 bytes, found 31.')
    expect(() => decodeUint256(`0x${'0g'.repeat(32)}`)).toThrow(`A uint256 answer must be 0x and hex digits, found 0x${'0g'.repeat(32)}.`)
    // viem would pad an odd number of digits with a leading zero and read a different number.
    expect(() => decodeUint256(`0x${'1'.repeat(65)}`)).toThrow('A uint256 answer must be whole bytes (an even number of hex digits), found 65 hex digits.')
  })

  it('reads upper-case hex as viem does', () => {
    const data = `0x${'00'.repeat(31)}FF` as Hex
    expect(decodeUint256(data)).toBe(255n)
    expect(viemBalanceOf(data)).toBe(255n)
  })
})
