import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import { aggregatorV3Abi } from './aggregatorV3Abi.js'

type AbiFunction = { type: string; name?: string; inputs?: readonly { type: string }[]; outputs?: readonly { type: string }[] }

describe('aggregatorV3Abi', () => {
  it('has the selectors and answers of the published AggregatorV3Interface', () => {
    const require = createRequire(import.meta.url)
    const published = JSON.parse(readFileSync(require.resolve('@chainlink/contracts/abi/v0.8/AggregatorV3Interface.json'), 'utf8')) as AbiFunction[]
    const ours: readonly AbiFunction[] = aggregatorV3Abi
    const signature = (item: AbiFunction) => `${item.name}(${(item.inputs ?? []).map((input) => input.type).join(',')})`
    expect(ours.map((item) => toFunctionSelector(signature(item)))).toEqual(['0x313ce567', '0xfeaf968c'])
    for (const item of ours) {
      const match = published.find((entry) => entry.type === 'function' && entry.name === item.name)
      expect(match && signature(match)).toBe(signature(item))
      expect(match?.outputs?.map((output) => output.type)).toEqual(item.outputs?.map((output) => output.type))
    }
  })
})
