import { describe, expect, it } from 'vitest'
import { Fraction } from '../../domain/money/index.js'
import { UsageError } from '../../errors/index.js'
import { parseHour, parsePosition, parseSweep } from './parseBacktestOptions.js'

const HOUR = 3_600_000

/** Runs `run`, expecting a UsageError, and returns it. */
function usageError(run: () => unknown): UsageError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error('Expected a UsageError, but nothing was thrown.')
}

describe('parsePosition', () => {
  it.each([
    ['1000', new Fraction(1000n)],
    ['12.5', new Fraction(25n, 2n)],
    [' 3 ', new Fraction(3n)],
    ['0.000000000000000001', new Fraction(1n, 10n ** 18n)],
    ['007.50', new Fraction(15n, 2n)],
  ])('reads "%s" exactly', (text, expected) => {
    expect(parsePosition(text).equals(expected)).toBe(true)
  })

  it.each(['0', '0.0', ' 0 ', '000.000'])('refuses the zero "%s"', (text) => {
    const error = usageError(() => parsePosition(text))
    expect(error.shortMessage).toBe('--position must be more than 0 weETH, found 0.')
    expect(error.code).toBe('usage')
  })

  it.each(['-1', 'abc', '1e3', '', '1,000', '.5', '5.', '12.5 weETH', '+3'])('refuses "%s" as no decimal amount', (text) => {
    const error = usageError(() => parsePosition(text))
    expect(error.shortMessage).toBe(`--position takes an amount of weETH such as 1000 or 12.5, found "${text}".`)
  })

  it("refuses more decimals than weETH's 18, which would be cut off or read as 0", () => {
    expect(parsePosition('0.000000000000000001').equals(new Fraction(1n, 10n ** 18n))).toBe(true)
    expect(usageError(() => parsePosition('0.0000000000000000001')).shortMessage).toBe('--position takes at most 18 decimals (weETH\'s), found 19 in "0.0000000000000000001".')
    expect(usageError(() => parsePosition('1.0000000000000000001')).shortMessage).toContain('found 19 in')
  })
})

describe('parseHour', () => {
  const day = Date.UTC(2025, 0, 31)

  it('reads a date as its first hour for --from and its last hour for --to', () => {
    // 2025-01-31 00:00 UTC: 20119 days after 1970-01-01, × 86,400,000 ms.
    expect(day).toBe(20_119 * 86_400_000)
    expect(parseHour('--from', '2025-01-31')).toBe(day)
    expect(parseHour('--to', '2025-01-31')).toBe(day + 23 * HOUR)
    expect(parseHour('--to', '2025-01-31')).toBe(Date.UTC(2025, 0, 31, 23))
    expect(parseHour('--from', ' 2025-01-31 ')).toBe(day)
  })

  it.each(['2025-01-31T13:00Z', '2025-01-31 13:00', '2025-01-31T13:00:00+00:00', '2025-01-31T13:00', '2025-01-31T13:00:00Z', '2025-01-31 13:00+00:00'])(
    'reads the hour "%s" as 13:00 UTC, the same for --from and --to',
    (text) => {
      expect(parseHour('--from', text)).toBe(day + 13 * HOUR)
      expect(parseHour('--to', text)).toBe(day + 13 * HOUR)
    },
  )

  it('reads the first and last hours of a day, and a leap day', () => {
    expect(parseHour('--from', '2025-01-31T00:00Z')).toBe(day)
    expect(parseHour('--to', '2025-01-31T23:00Z')).toBe(day + 23 * HOUR)
    expect(parseHour('--from', '2024-02-29')).toBe(Date.UTC(2024, 1, 29))
    expect(parseHour('--from', '2025-12-31T05:00Z')).toBe(Date.UTC(2025, 11, 31, 5))
  })

  it.each([
    ['--from', '2025-02-30'],
    ['--from', '2025-02-29'], // 2025 is no leap year
    ['--to', '2025-13-01'],
    ['--to', '2025-00-10'],
    ['--from', '2025-01-00'],
    ['--from', '2025-01-32'],
    ['--to', '2025-01-31T24:00Z'],
    ['--to', '2025-01-31T99:00Z'],
    ['--from', 'yesterday'],
    ['--from', '2025-01-31T13:30Z'],
    ['--from', '2025-01-31T13:00:30Z'],
    ['--from', '2025-01-31T13:00+01:00'],
    ['--from', '2025-1-31'],
    ['--to', '31/01/2025'],
    ['--to', ''],
  ] as const)('%s refuses "%s", naming the option', (option, text) => {
    const error = usageError(() => parseHour(option, text))
    expect(error.shortMessage).toBe(`${option} takes a UTC date such as 2025-01-31 or an hour such as 2025-01-31T13:00Z, found "${text}".`)
  })
})

describe('parseSweep', () => {
  const fraction = (numerator: bigint, denominator: bigint) => new Fraction(numerator, denominator)

  it('reads 0.001:0.005:5 as exactly 0.001, 0.002, 0.003, 0.004 and 0.005', () => {
    const values = parseSweep('0.001:0.005:5')
    expect(values).toHaveLength(5)
    const expected = [1n, 2n, 3n, 4n, 5n].map((thousandths) => fraction(thousandths, 1000n))
    for (const [index, value] of values.entries()) expect(value.equals(expected[index] as Fraction)).toBe(true)
    expect(values.map((value) => value.toDecimalString(10))).toEqual(['0.001', '0.002', '0.003', '0.004', '0.005'])
  })

  it('gives [from] alone for a count of 1, whatever to is', () => {
    const one = parseSweep('0.002:0.009:1')
    expect(one).toHaveLength(1)
    expect(one[0]?.equals(fraction(2n, 1000n))).toBe(true)
    // With one value there is nothing to space, so to may even be under from.
    const reversed = parseSweep('0.005:0.001:1')
    expect(reversed).toHaveLength(1)
    expect(reversed[0]?.equals(fraction(5n, 1000n))).toBe(true)
  })

  it('spreads 0.0005:0.01:50 evenly and exactly, both ends included', () => {
    const values = parseSweep('0.0005:0.01:50')
    expect(values).toHaveLength(50)
    expect(values[0]?.equals(fraction(5n, 10_000n))).toBe(true)
    expect(values[49]?.equals(fraction(1n, 100n))).toBe(true)
    // Step (0.01 − 0.0005) / 49 = 0.0095 / 49 = 19/98000; 0.0005 = 49/98000, 0.01 = 980/98000.
    const step = fraction(19n, 98_000n)
    values.forEach((value, index) => {
      expect(value.equals(fraction(49n + 19n * BigInt(index), 98_000n))).toBe(true)
      if (index > 0) expect(value.subtract(values[index - 1] as Fraction).equals(step)).toBe(true)
    })
  })

  it('takes two values as the two ends, 0 as from, and up to 1000 values', () => {
    const two = parseSweep('0:0.5:2')
    expect(two.map((value) => value.toDecimalString(10))).toEqual(['0', '0.5'])
    const many = parseSweep(' 0.001:0.999:1000 ')
    expect(many).toHaveLength(1000)
    // Step 0.998 / 999; index 499 is 0.001 + 499 × 0.998 / 999 = (0.999 + 498.002) / 999 = 499.001 / 999 = 499001/999000.
    expect(many[499]?.equals(fraction(499_001n, 999_000n))).toBe(true)
    expect(many[999]?.equals(fraction(999n, 1000n))).toBe(true)
  })

  const message = (why: string, text: string) => `--sweep takes from:to:count, such as 0.0005:0.01:50 (${why}), found "${text}".`

  it.each([
    ['0.001:0.005', 'three parts separated by ":"'],
    ['0.001:0.005:5:6', 'three parts separated by ":"'],
    ['0.001', 'three parts separated by ":"'],
    ['', 'three parts separated by ":"'],
    ['0.001:0.005:0', 'count is a whole number from 1 to 1000'],
    ['0.001:0.005:1001', 'count is a whole number from 1 to 1000'],
    ['0.001:0.005:2.5', 'count is a whole number from 1 to 1000'],
    ['0.001:0.005:-3', 'count is a whole number from 1 to 1000'],
    ['0.001:0.005:', 'count is a whole number from 1 to 1000'],
    ['0.005:0.001:5', 'from is under to when count is over 1'],
    ['0.003:0.003:2', 'from is under to when count is over 1'],
    ['0.5:1:3', 'dust_delta values are under 1'],
    ['1:1.5:3', 'dust_delta values are under 1'],
    ['1:0.5:1', 'dust_delta values are under 1'],
    ['0.1:2:1', 'dust_delta values are under 1'],
    ['abc:0.005:5', 'from and to are decimals such as 0.002'],
    ['0.001:x:5', 'from and to are decimals such as 0.002'],
    ['-0.001:0.005:5', 'from and to are decimals such as 0.002'],
    ['1e-3:0.005:5', 'from and to are decimals such as 0.002'],
    [':0.005:5', 'from and to are decimals such as 0.002'],
  ])('refuses "%s" (%s)', (text, why) => {
    const error = usageError(() => parseSweep(text))
    expect(error.shortMessage).toBe(message(why, text))
    expect(error.shortMessage).toContain(why)
  })
})
