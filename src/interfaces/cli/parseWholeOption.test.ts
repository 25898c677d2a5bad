import { describe, expect, it } from 'vitest'
import { UsageError } from '../../errors/index.js'
import { parseWholeOption } from './parseWholeOption.js'

describe('parseWholeOption', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %s', (text, value) => {
    expect(parseWholeOption('--since', text, 0, Number.MAX_SAFE_INTEGER)).toBe(value)
  })

  it.each([
    ['x', '"x"'],
    ['-1', '"-1"'],
    ['1.5', '"1.5"'],
    ['1e3', '"1e3"'],
    ['', '""'],
    [' 1', '" 1"'],
    ['9007199254740992', '"9007199254740992"'],
    ['99999999999999999999999999999999999', '"99999999999999999999999999999999999"'],
    ['NaN', '"NaN"'],
    ['Infinity', '"Infinity"'],
    ['０', '"\\uff10"'],
  ])('refuses %j, naming the option, the range and what was found', (text, found) => {
    expect(() => parseWholeOption('--since', text, 0, Number.MAX_SAFE_INTEGER)).toThrow(new UsageError(`--since takes a whole number from 0 to 9007199254740991, found ${found}.`))
  })

  it('refuses a number under the minimum or over the maximum', () => {
    expect(() => parseWholeOption('--limit', '0', 1, 1_000_000)).toThrow('--limit takes a whole number from 1 to 1000000, found "0".')
    expect(() => parseWholeOption('--port', '65536', 0, 65_535)).toThrow('--port takes a whole number from 0 to 65535, found "65536".')
  })
})
