import { quoteText } from '../../config/quoteText.js'
import { UsageError } from '../../errors/index.js'

/**
 * Reads a command-line option that takes a whole number from `min` to `max`, or refuses it with a
 * `UsageError` (exit 2) naming the option, the range and what was found.
 */
export function parseWholeOption(option: string, text: string, min: number, max: number): number {
  // Compared as bigints: "99999999999999999999" must be refused, not rounded into range.
  if (!/^\d{1,30}$/.test(text) || BigInt(text) < BigInt(min) || BigInt(text) > BigInt(max)) {
    throw new UsageError(`${option} takes a whole number from ${min} to ${max}, found ${quoteText(text)}.`)
  }
  return Number(text)
}
