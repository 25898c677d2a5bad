import { describe, expect, it } from 'vitest'
import { describeValue, isPlainObject } from './describeValue.js'

describe('describeValue', () => {
  it('quotes strings and names missing values', () => {
    expect(describeValue('abc')).toBe('"abc"')
    expect(describeValue(undefined)).toBe('nothing')
  })

  it('names lists and objects without echoing their content', () => {
    expect(describeValue([1, 2, 3])).toBe('a list')
    expect(describeValue({ password: 'hunter2' })).toBe('an object')
  })

  it('gives the type and value of other primitives', () => {
    expect(describeValue(-1)).toBe('number -1')
    expect(describeValue(null)).toBe('object null')
    expect(describeValue(true)).toBe('boolean true')
    expect(describeValue(10n)).toBe('bigint 10')
  })
})

describe('isPlainObject', () => {
  it('accepts an object and refuses null, lists and primitives', () => {
    expect(isPlainObject({ type: 'dust_detected' })).toBe(true)
    expect(isPlainObject(null)).toBe(false)
    expect(isPlainObject([])).toBe(false)
    expect(isPlainObject('{}')).toBe(false)
  })
})
