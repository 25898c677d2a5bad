/** Every kind of `dust_warning`, in the order {@link DUST_WARNING_CODE_MEANINGS} documents them. */
export const DUST_WARNING_CODES = [
  'unpriced_token',
  'zero_equity',
  'source_failed',
  'venue_failed',
  'stale_price',
  'future_price',
  'price_deviation',
  'incomplete_equity',
  'conversion_unsettled',
  'rewards_proof_stale',
  'unverified_token',
] as const

/** Says, for machines, what a `dust_warning` is about: one of {@link DUST_WARNING_CODE_MEANINGS}. */
export type DustWarningCode = (typeof DUST_WARNING_CODES)[number]

/** What each kind of `dust_warning` means. Codes are stable across versions. */
export const DUST_WARNING_CODE_MEANINGS = {
  unpriced_token: 'A held token has no price in the share class; it is left out of equity (or of dust).',
  zero_equity: 'Equity is zero, so no dust ratio can be computed.',
  source_failed: 'A balance, price or gas price source failed this cycle.',
  venue_failed: 'A venue failed to quote a route this cycle.',
  stale_price: 'A price is older than `max_price_age`; it is not used.',
  future_price: 'A price is stamped ahead of this clock by more than `max_price_clock_skew`; it is not used.',
  price_deviation: 'Price sources disagree on a token by more than `max_price_deviation_bps`.',
  incomplete_equity: 'A source failed or a holding has no price: nothing is planned or converted this cycle.',
  conversion_unsettled: 'A conversion is still open after a restart: its venue has not answered what became of it.',
  rewards_proof_stale: "A rewards distributor's proofs do not match its live merkle root: its rewards are left out and not claimed until the proofs catch up.",
  unverified_token: 'A token found in a wallet is not in the token registry and no price source values it: it is listed, never approved or swapped.',
} as const satisfies Record<DustWarningCode, string>
