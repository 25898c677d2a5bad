/** The dust policies a backtest compares. */
export const BACKTEST_POLICIES = ['threshold', 'every_receipt', 'weekly', 'cost_aware'] as const
export type BacktestPolicy = (typeof BACKTEST_POLICIES)[number]

/** What each policy does, for reports and `--help`. */
export const POLICY_DESCRIPTIONS: Readonly<Record<BacktestPolicy, string>> = {
  threshold: "the seed's rule: convert every dust token once dust exceeds dust_delta of equity",
  every_receipt: 'convert everything at each reward receipt',
  weekly: 'convert everything on Mondays at 00:00 UTC',
  cost_aware:
    'at each receipt, sell a token when the risk of holding it until the next one (risk_multiplier σ of its move over horizon_hours) exceeds what selling it now costs; and always above dust_delta',
}

/** Policies whose decisions depend on `dust_delta`: a sweep runs them once per value. */
export const THRESHOLD_POLICIES: ReadonlySet<BacktestPolicy> = new Set(['threshold', 'cost_aware'])
