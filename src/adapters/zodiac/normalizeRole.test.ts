import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { Clearance, ExecutionOptions } from 'zodiac-roles-sdk'
import { normalizeRole } from './normalizeRole.js'

describe('normalizeRole', () => {
  it('lowers the key, targets and selectors, checksums members and sets the annotations', () => {
    const member = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
    const role = {
      key: `0x${'AB'.repeat(32)}` as const,
      members: [member] as `0x${string}`[],
      targets: [
        {
          address: '0xEc53bF9167f50cDEB3Ae105f56099aaaB9061F83' as const,
          clearance: Clearance.Function,
          executionOptions: ExecutionOptions.None,
          functions: [{ selector: '0xA9059CBB' as const, executionOptions: ExecutionOptions.None, wildcarded: true }],
        },
      ],
      annotations: [{ uri: 'https://example.org', schema: 'https://example.org/schema' }],
      lastUpdate: 7,
    }
    expect(normalizeRole(role, [])).toEqual({
      key: `0x${'ab'.repeat(32)}`,
      members: [getAddress(member)],
      targets: [
        {
          address: '0xec53bf9167f50cdeb3ae105f56099aaab9061f83',
          clearance: Clearance.Function,
          executionOptions: ExecutionOptions.None,
          functions: [{ selector: '0xa9059cbb', executionOptions: ExecutionOptions.None, wildcarded: true }],
        },
      ],
      annotations: [],
      lastUpdate: 7,
    })
  })
})
