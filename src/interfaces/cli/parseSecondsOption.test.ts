import { describe, expect, it } from 'vitest'
import { parseSecondsOption } from './parseSecondsOption.js'

describe('parseSecondsOption', () => {
  it('reads whole and decimal seconds', () => {
    expect(parseSecondsOption('--interval', '300', 86_400)).toBe(300)
    expect(parseSecondsOption('--interval', '0.01', 86_400)).toBe(0.01)
  })

  it.each(['0', '-1', 'x', '86401', '1e3', '0.0000001', 'Infinity', '1e400'])('refuses %j', (text) => {
    expect(() => parseSecondsOption('--interval', text, 86_400)).toThrow(`--interval takes a number of seconds above 0 and at most 86400, found "${text}".`)
  })
})
