// Display helpers for the API's decimal strings. Amounts stay strings or BigInt: nothing here
// does arithmetic on a JS number.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/** Parses a decimal string into { negative, units: BigInt, scale }; null when it is not one. */
export function parseDecimal(text) {
  const match = DECIMAL.exec(String(text ?? ''))
  if (!match) return null
  const fraction = match[3] ?? ''
  return { negative: match[1] === '-', units: BigInt(match[2] + fraction), scale: fraction.length }
}

function toText(negative, units, scale) {
  const digits = units.toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = scale > 0 ? digits.slice(digits.length - scale) : ''
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const sign = negative && units !== 0n ? '-' : ''
  return sign + grouped + (fraction ? `.${fraction}` : '')
}

/** Rounds a decimal string half away from zero to `digits` fraction digits, thousands grouped. */
export function formatDecimal(text, digits = 2) {
  const parsed = parseDecimal(text)
  if (!parsed) return String(text ?? '—')
  let { units } = parsed
  if (parsed.scale > digits) {
    const divisor = 10n ** BigInt(parsed.scale - digits)
    const rest = units % divisor
    units = units / divisor + (rest * 2n >= divisor ? 1n : 0n)
  } else {
    units *= 10n ** BigInt(digits - parsed.scale)
  }
  return toText(parsed.negative, units, digits)
}

/** An amount with as many fraction digits as it needs, up to `max` (trailing zeros dropped). */
export function formatAmount(text, max = 6) {
  const rounded = formatDecimal(text, max)
  return rounded.includes('.') ? rounded.replace(/\.?0+$/, '') : rounded
}

/** A ratio ("0.00299") as a percentage ("0.2994 %"), by moving the point: no float. */
export function formatPercent(text, digits = 4) {
  const parsed = parseDecimal(text)
  if (!parsed) return '—'
  const shifted = parsed.scale >= 2 ? { ...parsed, scale: parsed.scale - 2 } : { ...parsed, units: parsed.units * 10n ** BigInt(2 - parsed.scale), scale: 0 }
  const sign = shifted.negative ? '-' : ''
  return `${formatDecimal(`${sign}${toText(false, shifted.units, shifted.scale).replaceAll(',', '')}`, digits)} %`
}

/** Adds decimal strings exactly (BigInt); null when one is not a decimal. */
export function addDecimals(texts) {
  const parsed = texts.map(parseDecimal)
  if (parsed.some((value) => value === null)) return null
  const scale = Math.max(0, ...parsed.map((value) => value.scale))
  let total = 0n
  for (const value of parsed) total += (value.negative ? -1n : 1n) * value.units * 10n ** BigInt(scale - value.scale)
  const negative = total < 0n
  return toText(negative, negative ? -total : total, scale).replaceAll(',', '')
}

/** Compares two decimal strings: -1, 0 or 1. */
export function compareDecimals(a, b) {
  const difference = addDecimals([a, `-${b}`.replace(/^--/, '')])
  if (difference === null) return 0
  if (/^0(\.0*)?$/.test(difference)) return 0
  return difference.startsWith('-') ? -1 : 1
}

/** A millisecond timestamp as local date and time. */
export function formatTime(ms) {
  if (typeof ms !== 'number') return '—'
  return new Date(ms).toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
}
