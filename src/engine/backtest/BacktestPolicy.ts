/** The dust policies a backtest compares: the backtest's own, then the conversion policies the live monitor shares (`dust_policy`). */
export const BACKTEST_POLICIES = ['threshold', 'every_receipt', 'weekly', 'cost_aware', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'] as const
export type BacktestPolicy = (typeof BACKTEST_POLICIES)[number]

/** What each policy does, for reports and `--help`. */
export const POLICY_DESCRIPTIONS: Readonly<Record<BacktestPolicy, string>> = {
  threshold: "the seed's rule: convert every dust token once dust exceeds dust_delta of equity",
  every_receipt: 'convert everything at each reward receipt',
  weekly: 'convert everything on Mondays at 00:00 UTC',
  cost_aware:
    'at each receipt, sell a token when the risk of holding it until the next one (risk_multiplier σ of its move over horizon_hours) exceeds what selling it now costs; and always above dust_delta',
  gas_aware: 'convert everything above the risk budget, or once gas is at or under its trailing percentile and the dust has reached cheap_share of the budget',
  claim_batching: 'convert everything above the risk budget; under it, claim and sell a token only when the claim gas is at most claim_cost_max_bps of its claimable value',
  venue_size: 'convert everything above the risk budget, a sale of at least cex_min_value on a CEX, a smaller one on a DEX when gas is cheap',
  riskiest_first: 'above the risk budget, sell the tokens of highest value × volatility first, the last one partly, down to target_share of the budget',
}

/** Policies whose decisions depend on `dust_delta` (the risk budget of the conversion policies): a sweep runs them once per value. */
export const THRESHOLD_POLICIES: ReadonlySet<BacktestPolicy> = new Set(['threshold', 'cost_aware', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'])
