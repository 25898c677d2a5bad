import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findPaths as findPathsReference } from '../../../test/reference/findPaths.js'
import { createPathFinder } from './createPathFinder.js'

const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['EIGEN', 'WETH'],
  ['ETHFI', 'WETH'],
  ['WETH', 'USDT'],
  ['EIGEN', 'USDT'],
]

describe('createPathFinder', () => {
  it('finds the paths of each token over one graph, shortest first', () => {
    const paths = createPathFinder(PAIRS, new Set(['USDT']), 2)
    expect(paths('EIGEN')).toEqual([
      ['EIGEN', 'USDT'],
      ['EIGEN', 'WETH', 'USDT'],
    ])
    expect(paths('ETHFI')).toEqual([['ETHFI', 'WETH', 'USDT']])
    expect(paths('ARB')).toEqual([])
  })

  it('searches a token once and gives the same array when asked again', () => {
    const paths = createPathFinder(PAIRS, new Set(['USDT']), 3)
    expect(paths('EIGEN')).toBe(paths('EIGEN'))
  })

  it('gives exactly what the frozen reference findPaths gives, on random graphs', () => {
    const token = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'USDT', 'USDC')
    fc.assert(
      fc.property(fc.array(fc.tuple(token, token), { maxLength: 14 }), fc.uniqueArray(token, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 4 }), (pairs, targets, maxHops) => {
        const finder = createPathFinder(pairs, new Set(targets), maxHops)
        for (const from of ['A', 'B', 'C', 'D', 'E', 'USDT']) expect(finder(from)).toEqual(findPathsReference(pairs, from, new Set(targets), maxHops))
      }),
    )
  })
})
