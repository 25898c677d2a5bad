import { type Address, type Hex, encodeAbiParameters } from 'viem'
import { describe, expect, it } from 'vitest'
import { encodeAggregate3Tuple } from './encodeAggregate3Tuple.js'

const target = '0x00000000000000000000000000000000000000aa'

describe('encodeAggregate3Tuple', () => {
  it('encodes one call as the ABI encodes a (address, bool, bytes) tuple, calldata padded to a word', () => {
    for (const callData of ['0x', '0xab', `0x${'cd'.repeat(32)}`, `0x${'EF'.repeat(33)}`] as Hex[]) {
      const tuple = encodeAggregate3Tuple({ target, allowFailure: false, callData })
      const abi = encodeAbiParameters([{ type: 'tuple', components: [{ type: 'address' }, { type: 'bool' }, { type: 'bytes' }] }], [[target, false, callData]])
      // The ABI puts a dynamic tuple behind an offset word (0x20): the tuple itself follows it.
      expect(tuple).toBe(abi.slice(66))
    }
  })

  it('refuses a target that is not an address, a wrong checksum included', () => {
    expect(() => encodeAggregate3Tuple({ target: '0x1234' as Address, allowFailure: true, callData: '0x' })).toThrow(
      'An aggregate3 call has a target that is not an address: expected 0x and 40 hex digits with a valid checksum if mixed-case, found 0x1234.',
    )
    // Multicall3's checksummed address is 0xcA11bde05977b3631167028862bE2a173976CA11: here one letter's case is wrong.
    expect(() => encodeAggregate3Tuple({ target: '0xCA11bde05977b3631167028862bE2a173976CA11', allowFailure: true, callData: '0x' })).toThrow('An aggregate3 call has a target that is not an address')
  })

  it('refuses calldata that is not whole bytes of hex', () => {
    expect(() => encodeAggregate3Tuple({ target, allowFailure: true, callData: '0xabc' })).toThrow(`The aggregate3 call to ${target} has calldata that is not whole bytes of hex: found 0xabc.`)
    expect(() => encodeAggregate3Tuple({ target, allowFailure: true, callData: '0xzz' as Hex })).toThrow('has calldata that is not whole bytes of hex: found 0xzz.')
  })
})
