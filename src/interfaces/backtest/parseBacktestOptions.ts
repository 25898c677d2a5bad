import { Fraction } from '../../domain/money/index.js'
import { UsageError } from '../../errors/index.js'

const DECIMAL = /^\d+(\.\d+)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):00(?::00)?(?:Z|\+00:00)?)?$/
const HOUR = 3_600_000

/** Reads `--position`: a positive decimal amount of weETH, with at most weETH's 18 decimals. */
export function parsePosition(text: string): Fraction {
  if (!DECIMAL.test(text.trim())) throw new UsageError(`--position takes an amount of weETH such as 1000 or 12.5, found "${text}".`)
  const decimals = text.trim().split('.')[1]?.length ?? 0
  if (decimals > 18) throw new UsageError(`--position takes at most 18 decimals (weETH's), found ${decimals} in "${text}".`)
  const value = Fraction.fromDecimalString(text.trim())
  if (value.isZero()) throw new UsageError('--position must be more than 0 weETH, found 0.')
  return value
}

/**
 * Reads `--from` or `--to`: a UTC date (`2025-01-31`) or hour (`2025-01-31T13:00Z`). A date alone
 * is its first hour for `--from` and its last hour for `--to`, so both ends are inclusive.
 */
export function parseHour(option: '--from' | '--to', text: string): number {
  const match = DATE.exec(text.trim())
  const fail = () => new UsageError(`${option} takes a UTC date such as 2025-01-31 or an hour such as 2025-01-31T13:00Z, found "${text}".`)
  if (!match) throw fail()
  const [, y, mo, d, h] = match
  const day = Date.UTC(Number(y), Number(mo) - 1, Number(d))
  const back = new Date(day)
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) throw fail()
  if (h !== undefined) {
    if (Number(h) > 23) throw fail()
    return day + Number(h) * HOUR
  }
  return option === '--from' ? day : day + 23 * HOUR
}

/**
 * Reads `--sweep a:b:n`: `n` values of dust_delta from `a` to `b`, both included, evenly spaced
 * and exact (`0.001:0.005:5` is 0.001, 0.002, … 0.005). Each must be under 1.
 */
export function parseSweep(text: string): Fraction[] {
  const parts = text.trim().split(':')
  const fail = (why: string) => new UsageError(`--sweep takes from:to:count, such as 0.0005:0.01:50 (${why}), found "${text}".`)
  const [fromText, toText, countText, ...rest] = parts
  if (fromText === undefined || toText === undefined || countText === undefined || rest.length > 0) throw fail('three parts separated by ":"')
  if (!DECIMAL.test(fromText) || !DECIMAL.test(toText)) throw fail('from and to are decimals such as 0.002')
  if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > 1000) throw fail('count is a whole number from 1 to 1000')
  const from = Fraction.fromDecimalString(fromText)
  const to = Fraction.fromDecimalString(toText)
  const count = Number(countText)
  if (!from.lessThan(Fraction.ONE) || !to.lessThan(Fraction.ONE)) throw fail('dust_delta values are under 1')
  if (count === 1) return [from]
  if (!from.lessThan(to)) throw fail('from is under to when count is over 1')
  const step = to.subtract(from).divide(BigInt(count - 1))
  return Array.from({ length: count }, (_, index) => from.add(step.multiply(BigInt(index))).reduce())
}
