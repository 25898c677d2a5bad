/**
 * Returns the short message of an error: viem's `shortMessage` (which leaves out the request
 * and its URL, where credentials live) when it has one, else its message, else the value as text.
 */
export function shortMessageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return 'shortMessage' in error && typeof error.shortMessage === 'string' ? error.shortMessage : error.message
}
