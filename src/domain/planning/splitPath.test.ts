import { describe, expect, it } from 'vitest'
import { splitPath } from './splitPath.js'

describe('splitPath', () => {
  it('pairs each item with the next', () => {
    expect(splitPath(['A', 'B', 'C'])).toEqual([
      ['A', 'B'],
      ['B', 'C'],
    ])
  })

  it('gives no hop for a path of fewer than two items', () => {
    expect(splitPath([])).toEqual([])
    expect(splitPath(['A'])).toEqual([])
  })
})
