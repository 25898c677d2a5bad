/**
 * Says, for machines, why a token or a route is not converted.
 *
 * - `below_threshold`: the strategy's dust ratio does not exceed `dust_delta`.
 * - `net_output_not_positive`: costs eat the whole output.
 * - `below_venue_minimum`: the order is under the venue minimum plus the safety buffer.
 * - `unpriced`: no price source values the token (or a fee or the gas of the route).
 * - `no_independent_price`: the token's only prices come from the route's own venue (a pool's
 *   spot, a book's mid), so nothing independent sets the slippage floor; the token is valued, not converted there.
 * - `incomplete_equity`: a source failed, or a holding has no price, this cycle: equity and dust are not known, nothing is decided.
 * - `disabled`: `convert: false` for the token.
 * - `in_flight`: a conversion of the token is already under way.
 * - `no_route`: no venue trades a path from the token to the share class.
 * - `insufficient_liquidity`: the book or pool cannot absorb the amount.
 * - `below_amount_step`: rounding to the venue's amount step leaves nothing to sell.
 * - `venue_unavailable`: the venue did not answer.
 * - `custody_unreachable`: the tokens sit where the venue cannot take them (another chain, another exchange).
 * - `gas_price_unavailable`: the chain's gas price is unknown, so costs cannot be known.
 * - `gas_price_above_cap`: gas costs more than the chain's `max_gas_price_gwei`; the conversion waits.
 * - `slippage_above_limit`: the route gives less than its value at independent prices allows (`max_slippage_bps`).
 * - `price_deviation`: price sources disagree on the token by more than `max_price_deviation_bps`.
 */
export type SkipReason =
  | 'below_threshold'
  | 'net_output_not_positive'
  | 'below_venue_minimum'
  | 'unpriced'
  | 'no_independent_price'
  | 'incomplete_equity'
  | 'disabled'
  | 'in_flight'
  | 'no_route'
  | 'insufficient_liquidity'
  | 'below_amount_step'
  | 'venue_unavailable'
  | 'custody_unreachable'
  | 'gas_price_unavailable'
  | 'gas_price_above_cap'
  | 'slippage_above_limit'
  | 'price_deviation'
