import fc from 'fast-check'
import { type Address, type Hex, bytesToHex, encodeFunctionData, getAddress, multicall3Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { encodeAggregate3 } from './encodeAggregate3.js'
import { type Aggregate3Call, encodeAggregate3Tuple } from './encodeAggregate3Tuple.js'

/** Addresses as the project holds them: checksummed, or all lowercase. */
const address = fc.tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean()).map(([bytes, checksummed]) => {
  const hex = bytesToHex(bytes)
  return (checksummed ? getAddress(hex) : hex) as Address
})
/** Calldata of 0 to 100 bytes, in lower or upper case (viem keeps the case of bytes it encodes). */
const callData = fc.tuple(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.boolean()).map(([bytes, upper]) => {
  const hex = bytesToHex(bytes)
  return (upper ? `0x${hex.slice(2).toUpperCase()}` : hex) as Hex
})
const call = fc.record({ target: address, allowFailure: fc.boolean(), callData })

const viemAggregate3 = (calls: readonly Aggregate3Call[]) => encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] })

describe('encodeAggregate3', () => {
  it("encodes the same calldata as viem's encodeFunctionData on random calls", () => {
    fc.assert(
      fc.property(fc.array(call, { minLength: 0, maxLength: 12 }), (calls) => {
        expect(encodeAggregate3(calls.map(encodeAggregate3Tuple))).toBe(viemAggregate3(calls))
      }),
      { seed: 1609, numRuns: 400 },
    )
  })

  it('encodes a chunk of 500 balance reads as viem does', () => {
    const owner = (index: number) => `000000000000000000000000${(0xd057 + index).toString(16).padStart(40, '0')}`
    const calls = Array.from({ length: 500 }, (_, index) => ({
      target: getAddress(`0x${(index % 10).toString(16).padStart(40, 'a')}`),
      allowFailure: true,
      callData: `0x70a08231${owner(index)}` as Hex,
    }))
    expect(encodeAggregate3(calls.map(encodeAggregate3Tuple))).toBe(viemAggregate3(calls))
  })

  it('refuses a tuple that is not whole words of an encoded call', () => {
    expect(() => encodeAggregate3(['00'.repeat(128), 'ab'])).toThrow('Tuple 1 of an aggregate3 is not an encoded call: expected at least 4 words of hex digits, found 2 digits.')
  })
})
