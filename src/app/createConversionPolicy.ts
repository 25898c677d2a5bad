import type { StrategyConfig } from '../config/index.js'
import { Fraction } from '../domain/money/index.js'
import { type ConversionPolicy, DEFAULT_CONVERSION_POLICY } from '../domain/policy/ConversionPolicy.js'

const BPS = 10_000n

/**
 * Creates a strategy's conversion policy from its `dust_policy` (`threshold` when absent). The
 * risk budget is `risk_budget_bps` of equity, or `dust_delta` when it is not given.
 */
export function createConversionPolicy(config: Pick<StrategyConfig, 'dust_delta' | 'dust_policy'>): ConversionPolicy {
  const dustDelta = Fraction.fromDecimalString(config.dust_delta)
  const settings = config.dust_policy
  if (!settings) return { ...DEFAULT_CONVERSION_POLICY, riskBudget: dustDelta }
  return {
    name: settings.name,
    riskBudget: settings.risk_budget_bps === undefined ? dustDelta : new Fraction(BigInt(settings.risk_budget_bps), BPS),
    gasPercentile: settings.gas_percentile,
    gasWindowHours: settings.gas_window_hours,
    volatilityHours: settings.volatility_hours,
    cheapShare: Fraction.fromDecimalString(settings.cheap_share),
    claimCostMax: new Fraction(BigInt(settings.claim_cost_max_bps), BPS),
    cexMinValue: Fraction.fromDecimalString(settings.cex_min_value),
    targetShare: Fraction.fromDecimalString(settings.target_share),
  }
}
