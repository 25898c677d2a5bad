/** Every reason a token or a route is not converted, in the order {@link SKIP_REASON_MEANINGS} documents them. */
export const SKIP_REASONS = [
  'below_threshold',
  'net_output_not_positive',
  'below_venue_minimum',
  'unpriced',
  'no_independent_price',
  'incomplete_equity',
  'disabled',
  'in_flight',
  'max_sell_per_run_reached',
  'no_route',
  'insufficient_liquidity',
  'below_amount_step',
  'venue_unavailable',
  'custody_unreachable',
  'gas_price_unavailable',
  'gas_price_above_cap',
  'slippage_above_limit',
  'price_deviation',
] as const

/** Says, for machines, why a token or a route is not converted: one of {@link SKIP_REASON_MEANINGS}. */
export type SkipReason = (typeof SKIP_REASONS)[number]

/**
 * Every reason a token or a route is not converted, with what it means: the `reason` of a
 * skipped entry and the `rejected` of a route candidate. Codes are stable across versions.
 */
export const SKIP_REASON_MEANINGS = {
  below_threshold: "The strategy's dust ratio does not exceed `dust_delta`.",
  net_output_not_positive: 'Costs eat the whole output.',
  below_venue_minimum: 'The order is under the venue minimum plus the safety buffer.',
  unpriced: 'No price source values the token (or a fee or the gas of the route).',
  no_independent_price:
    "The token's only prices come from the route's own venue (a pool's spot, a book's mid), so nothing independent sets the slippage floor; the token is valued, not converted there.",
  incomplete_equity: 'A source failed, or a holding has no price, this cycle: equity and dust are not known, nothing is decided.',
  disabled: '`convert: false` for the token.',
  in_flight: 'A conversion of the token is already under way.',
  max_sell_per_run_reached: "The token's `max_sell_per_run` is used up this run by its holdings in other custodies; the rest waits for the next run.",
  no_route: 'No venue trades a path from the token to the share class.',
  insufficient_liquidity: 'The book or pool cannot absorb the amount.',
  below_amount_step: "Rounding to the venue's amount step leaves nothing to sell.",
  venue_unavailable: 'The venue did not answer.',
  custody_unreachable: 'The tokens sit where the venue cannot take them (another chain, another exchange).',
  gas_price_unavailable: "The chain's gas price is unknown, so costs cannot be known.",
  gas_price_above_cap: "Gas costs more than the chain's `max_gas_price_gwei`; the conversion waits.",
  slippage_above_limit: 'The route gives less than its value at independent prices allows (`max_slippage_bps`).',
  price_deviation: 'Price sources disagree on the token by more than `max_price_deviation_bps`.',
} as const satisfies Record<SkipReason, string>
