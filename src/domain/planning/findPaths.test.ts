import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findPaths } from './findPaths.js'

describe('findPaths', () => {
  const pairs = [
    ['EIGEN', 'USDT'],
    ['EIGEN', 'WETH'],
    ['WETH', 'USDT'],
    ['WETH', 'DAI'],
    ['DAI', 'USDT'],
  ] as const

  it('finds every path up to the hop limit, shorter first', () => {
    expect(findPaths(pairs, 'EIGEN', new Set(['USDT']), 1)).toEqual([['EIGEN', 'USDT']])
    expect(findPaths(pairs, 'EIGEN', new Set(['USDT']), 2)).toEqual([
      ['EIGEN', 'USDT'],
      ['EIGEN', 'WETH', 'USDT'],
    ])
    expect(findPaths(pairs, 'EIGEN', new Set(['USDT']), 3)).toEqual([
      ['EIGEN', 'USDT'],
      ['EIGEN', 'WETH', 'USDT'],
      ['EIGEN', 'WETH', 'DAI', 'USDT'],
    ])
  })

  it('uses each pair in both directions', () => {
    expect(findPaths(pairs, 'USDT', new Set(['EIGEN']), 2)).toEqual([
      ['USDT', 'EIGEN'],
      ['USDT', 'WETH', 'EIGEN'],
    ])
  })

  it('stops at the first target, so no target is an intermediate token', () => {
    const withStable = [...pairs, ['USDT', 'USDC'], ['WETH', 'USDC']] as const
    expect(findPaths(withStable, 'EIGEN', new Set(['USDT', 'USDC']), 3)).toEqual([
      ['EIGEN', 'USDT'],
      ['EIGEN', 'WETH', 'USDC'],
      ['EIGEN', 'WETH', 'USDT'],
      ['EIGEN', 'WETH', 'DAI', 'USDT'],
    ])
  })

  it('orders paths of one length token by token in code-unit order', () => {
    const star = [
      ['A', 'c'],
      ['A', 'B'],
      ['B', 'Z'],
      ['c', 'Z'],
      ['A', 'Z'],
      ['A', 'Ba'],
      ['Ba', 'Z'],
    ] as const
    // Upper case sorts before lower case in code units; 'B' before 'Ba'.
    expect(findPaths(star, 'A', new Set(['Z']), 2)).toEqual([
      ['A', 'Z'],
      ['A', 'B', 'Z'],
      ['A', 'Ba', 'Z'],
      ['A', 'c', 'Z'],
    ])
  })

  it('ignores repeated pairs, pairs of a token with itself, and never revisits a token', () => {
    const messy = [
      ['A', 'B'],
      ['B', 'A'],
      ['A', 'A'],
      ['B', 'C'],
      ['C', 'A'],
      ['C', 'Z'],
    ] as const
    expect(findPaths(messy, 'A', new Set(['Z']), 5)).toEqual([
      ['A', 'C', 'Z'],
      ['A', 'B', 'C', 'Z'],
    ])
  })

  it('finds nothing without hops, from an unknown token, or without a way to a target', () => {
    expect(findPaths(pairs, 'EIGEN', new Set(['USDT']), 0)).toEqual([])
    expect(findPaths(pairs, 'ARB', new Set(['USDT']), 3)).toEqual([])
    expect(findPaths(pairs, 'EIGEN', new Set(['BTC']), 3)).toEqual([])
    expect(findPaths([], 'EIGEN', new Set(['USDT']), 3)).toEqual([])
  })

  it('starts from a target to reach the other targets', () => {
    expect(findPaths([['USDT', 'USDC']], 'USDT', new Set(['USDT', 'USDC']), 2)).toEqual([['USDT', 'USDC']])
  })
})

const TOKENS = ['A', 'B', 'C', 'D', 'E'] as const

/** Every sequence of 2 to `maxHops + 1` tokens, by brute force, filtered by the definition of a path. */
function referencePaths(pairs: ReadonlyArray<readonly [string, string]>, from: string, targets: ReadonlySet<string>, maxHops: number): string[][] {
  const linked = (a: string, b: string) => a !== b && pairs.some(([x, y]) => (x === a && y === b) || (x === b && y === a))
  const found: string[][] = []
  const extend = (sequence: string[]) => {
    if (sequence.length >= 2) {
      const last = sequence[sequence.length - 1] as string
      const inner = sequence.slice(1, -1)
      const simple = new Set(sequence).size === sequence.length
      const adjacent = sequence.every((token, index) => index === 0 || linked(sequence[index - 1] as string, token))
      if (simple && adjacent && targets.has(last) && inner.every((token) => !targets.has(token))) found.push(sequence)
    }
    if (sequence.length <= maxHops) for (const token of TOKENS) extend([...sequence, token])
  }
  extend([from])
  return found
}

describe('findPaths properties', () => {
  const pairsArbitrary = fc.array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(...TOKENS)), { maxLength: 10 })
  const targetsArbitrary = fc.subarray([...TOKENS], { minLength: 1 }).map((tokens) => new Set<string>(tokens))

  it('finds exactly the simple paths to a target through no other target, in order', () => {
    fc.assert(
      fc.property(pairsArbitrary, fc.constantFrom(...TOKENS), targetsArbitrary, fc.integer({ min: 0, max: 4 }), (pairs, from, targets, maxHops) => {
        const paths = findPaths(pairs, from, targets, maxHops)
        const expected = referencePaths(pairs, from, targets, maxHops)
        expect(new Set(paths.map((path) => path.join('>')))).toEqual(new Set(expected.map((path) => path.join('>'))))
        expect(paths).toHaveLength(expected.length)
        for (let index = 1; index < paths.length; index += 1) {
          const previous = paths[index - 1] as string[]
          const current = paths[index] as string[]
          const inOrder = previous.length < current.length || (previous.length === current.length && previous.join('\u0000') < current.join('\u0000'))
          expect(inOrder).toBe(true)
        }
      }),
    )
  })
})
