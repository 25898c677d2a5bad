import { readFileSync } from 'node:fs'
import { erc20Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { isAbi } from './isAbi.js'

describe('isAbi', () => {
  it("accepts the DemoToken artifact's ABI and viem's ERC-20 ABI", () => {
    const artifact: unknown = JSON.parse(readFileSync(new URL('./artifacts/DemoToken.json', import.meta.url), 'utf8'))
    expect(typeof artifact === 'object' && artifact !== null && 'abi' in artifact && isAbi(artifact.abi)).toBe(true)
    expect(isAbi(erc20Abi)).toBe(true)
  })

  it('accepts an empty list and every kind of ABI item', () => {
    expect(isAbi([])).toBe(true)
    expect(isAbi(['function', 'event', 'error', 'constructor', 'fallback', 'receive'].map((type) => ({ type })))).toBe(true)
  })

  it('refuses a value that is not a list, an item of another kind, or an item without a type', () => {
    expect(isAbi({ type: 'function' })).toBe(false)
    expect(isAbi([{ type: 'function' }, { type: 'struct' }])).toBe(false)
    expect(isAbi([{ name: 'transfer' }])).toBe(false)
    expect(isAbi([null])).toBe(false)
    expect(isAbi([{ type: 1 }])).toBe(false)
  })
})
