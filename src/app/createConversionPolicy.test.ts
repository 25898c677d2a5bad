import { describe, expect, it } from 'vitest'
import { Fraction } from '../domain/money/index.js'
import { DEFAULT_CONVERSION_POLICY } from '../domain/policy/ConversionPolicy.js'
import { createConversionPolicy } from './createConversionPolicy.js'

const settings = { gas_percentile: 30, gas_window_hours: 48, volatility_hours: 240, cheap_share: '0.25', claim_cost_max_bps: 80, cex_min_value: '2.5', target_share: '0.75' }

describe('createConversionPolicy', () => {
  it('makes the threshold with dust_delta as its budget when dust_policy is absent', () => {
    expect(createConversionPolicy({ dust_delta: '0.0015', dust_policy: undefined })).toEqual({ ...DEFAULT_CONVERSION_POLICY, riskBudget: Fraction.fromDecimalString('0.0015') })
  })

  it('reads every parameter exactly, the budget from risk_budget_bps or else dust_delta', () => {
    const policy = createConversionPolicy({ dust_delta: '0.002', dust_policy: { name: 'riskiest_first', risk_budget_bps: 15, ...settings } })
    expect(policy).toEqual({
      name: 'riskiest_first',
      riskBudget: new Fraction(15n, 10_000n),
      gasPercentile: 30,
      gasWindowHours: 48,
      volatilityHours: 240,
      cheapShare: Fraction.fromDecimalString('0.25'),
      claimCostMax: new Fraction(80n, 10_000n),
      cexMinValue: Fraction.fromDecimalString('2.5'),
      targetShare: Fraction.fromDecimalString('0.75'),
    })
    expect(createConversionPolicy({ dust_delta: '0.002', dust_policy: { name: 'gas_aware', ...settings } }).riskBudget.equals(new Fraction(20n, 10_000n))).toBe(true)
  })
})
