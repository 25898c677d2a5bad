import { quoteText } from '../../config/quoteText.js'
import { UsageError } from '../../errors/index.js'

/**
 * Reads a command-line option that takes a duration in seconds, above 0 and at most `max`
 * (decimals allowed: `0.5`), or refuses it with a `UsageError` (exit 2) naming the option, the
 * range and what was found.
 */
export function parseSecondsOption(option: string, text: string, max: number): number {
  const seconds = /^\d{1,12}(\.\d{1,6})?$/.test(text) ? Number(text) : Number.NaN
  if (!(seconds > 0 && seconds <= max)) throw new UsageError(`${option} takes a number of seconds above 0 and at most ${max}, found ${quoteText(text)}.`)
  return seconds
}
