/** The symbol a discovered token is listed under when its own cannot be read or kept. */
export const UNKNOWN_SYMBOL = 'UNKNOWN'

/**
 * Makes a token's self-declared symbol safe to print and to use as a currency symbol: keeps only
 * letters, digits, `.`, `_` and `-`, and gives `UNKNOWN` when nothing is left or more than 32
 * characters are (a 10 kB "symbol" is not cut into a plausible one).
 *
 * The result is a label only: anyone can deploy a token called USDT, so a discovered token is
 * never valued by its symbol.
 */
export function sanitizeTokenSymbol(text: string): string {
  const kept = text.replace(/[^A-Za-z0-9._-]/g, '')
  return kept.length >= 1 && kept.length <= 32 ? kept : UNKNOWN_SYMBOL
}
