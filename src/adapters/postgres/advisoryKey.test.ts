import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { advisoryKey } from './advisoryKey.js'

describe('advisoryKey', () => {
  it('hashes the project, the purpose and the name into a signed 64-bit key, the same in every process', () => {
    const expected = createHash('sha256').update('dust-manager\0worker-heartbeat\0').digest().readBigInt64BE(0).toString()
    expect(advisoryKey('worker-heartbeat', '')).toBe(expected)
    expect(BigInt(advisoryKey('strategy', 'usdt_test'))).toBeGreaterThanOrEqual(-(2n ** 63n))
    expect(advisoryKey('strategy', 'a')).not.toBe(advisoryKey('strategy', 'b'))
    expect(advisoryKey('strategy', '')).not.toBe(advisoryKey('schema-migrations', ''))
  })
})
