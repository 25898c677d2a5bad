import { Amount, type Currency, Fraction } from '../../domain/money/index.js'

const AMOUNT = '$amount'
const FRACTION = '$fraction'

/**
 * Encodes a value for `postMessage` between the grid's workers and the main thread: every
 * `Amount` and `Fraction` in it (at any depth, in arrays, maps and plain objects) becomes a
 * tagged plain object of its bigints, which the structured clone keeps exactly; `decodeGridValue`
 * turns them back. Fields added to the results later travel without a change here.
 */
export function encodeGridValue(value: unknown): unknown {
  if (value instanceof Amount) return { [AMOUNT]: value.currency, raw: value.raw }
  if (value instanceof Fraction) return { [FRACTION]: true, numerator: value.numerator, denominator: value.denominator }
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, encodeGridValue(item)]))
  if (Array.isArray(value)) return value.map(encodeGridValue)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encodeGridValue(item)]))
  return value
}

type Tagged = { readonly [AMOUNT]?: Currency; readonly raw?: bigint; readonly [FRACTION]?: true; readonly numerator?: bigint; readonly denominator?: bigint }

/** Decodes what `encodeGridValue` encoded, with the same bigints: equal, field for field, to the value encoded. */
export function decodeGridValue(value: unknown): unknown {
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, decodeGridValue(item)]))
  if (Array.isArray(value)) return value.map(decodeGridValue)
  if (value === null || typeof value !== 'object') return value
  const tagged = value as Tagged
  const currency = tagged[AMOUNT]
  if (currency !== undefined && typeof tagged.raw === 'bigint') return Amount.fromRaw(Object.freeze({ ...currency }), tagged.raw)
  if (tagged[FRACTION] === true && typeof tagged.numerator === 'bigint' && typeof tagged.denominator === 'bigint') return new Fraction(tagged.numerator, tagged.denominator)
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decodeGridValue(item)]))
}
