import { describe, expect, it } from 'vitest'
import { EIGEN, USDT, amount } from '../../../test/fixtureMoney.js'
import { type Amount, Fraction } from '../money/index.js'
import { type ConversionPolicy, type ConversionPolicyName, DEFAULT_CONVERSION_POLICY, type HourFacts, type TokenFacts } from './ConversionPolicy.js'
import { decideConversions } from './decideConversions.js'
import { describeHold } from './describeHold.js'

/** EIGEN held at 1 USDT apiece. */
function eigen(held: string): TokenFacts {
  return { token: EIGEN, held: amount(EIGEN, held), value: amount(USDT, held), claimableValue: amount(USDT, held), volatility: 0n }
}

/** Equity 1,000,000 USDT, so the default 20 bps budget is 2,000 USDT; gas 30 gwei against a cheap level of 20 gwei; a claim costs 5 USDT. */
function facts(tokens: readonly TokenFacts[], overrides: Partial<HourFacts> = {}): HourFacts {
  const dustValue = tokens.reduce<Amount>((sum, entry) => sum.add(entry.value), amount(USDT, '0'))
  return { equity: amount(USDT, '1000000'), dustValue, exceedsThreshold: true, tokens, gasPriceWei: 30_000_000_000n, cheapGasWei: 20_000_000_000n, claimCost: amount(USDT, '5'), ...overrides }
}

const policy = (name: ConversionPolicyName, overrides: Partial<ConversionPolicy> = {}): ConversionPolicy => ({ ...DEFAULT_CONVERSION_POLICY, name, ...overrides })

/** The hold's sentence, after checking that the policy does hold on these facts: a sentence for a conversion would be a lie. */
function hold(on: ConversionPolicy, hour: HourFacts): string {
  expect(decideConversions(on, hour)).toBeUndefined()
  return describeHold(on, hour)
}

describe('describeHold', () => {
  it('says under gas_aware which of gas and the dust kept it from converting, with the figures', () => {
    const within = 'the dust, 9.5 bps of equity, is within the 20 bps risk budget'
    expect(hold(policy('gas_aware'), facts([eigen('950')]))).toBe(`${within}, and gas at 30 gwei is above percentile 50 of the last 168 hours (20 gwei)`)
    expect(hold(policy('gas_aware'), facts([eigen('950')], { gasPriceWei: 20_000_000_000n }))).toBe(`${within}; gas at 20 gwei is cheap, but the dust is short of 0.5 of the budget`)
    expect(hold(policy('gas_aware'), facts([eigen('950')], { gasPriceWei: undefined, cheapGasWei: undefined }))).toBe(`${within}, and the gas price is unknown, so gas does not count as cheap`)
    expect(hold(policy('gas_aware', { gasWindowHours: 12 }), facts([eigen('950')], { cheapGasWei: undefined }))).toBe(`${within}, and gas cannot count as cheap until 12 hourly gas prices are known`)
  })

  it('rounds the dust up and the budget down, so a hold never reads safer than it is', () => {
    // 1,999.999999 USDT of dust is 19.99999999 bps: written 20, not 19.99; a budget of 20.005 bps is written 20.
    expect(hold(policy('venue_size', { riskBudget: new Fraction(20_005n, 10_000_000n) }), facts([eigen('1999.999999')]))).toBe('the dust, 20 bps of equity, is within the 20 bps risk budget')
  })

  it('says under claim_batching what a claim costs, or that it is unknown', () => {
    // 1,000 USDT claimable is worth a claim of at most 5 USDT (50 bps of it); a claim of 6 USDT is not.
    expect(hold(policy('claim_batching'), facts([eigen('1000')], { claimCost: amount(USDT, '6') }))).toBe(
      "the dust, 10 bps of equity, is within the 20 bps risk budget, and no claimable reward is worth its claim's gas (6 USDT)",
    )
    expect(hold(policy('claim_batching'), facts([eigen('1000')], { claimCost: undefined }))).toBe(
      "the dust, 10 bps of equity, is within the 20 bps risk budget, and a claim's gas cost is unknown, so no claim is judged worth it",
    )
  })

  it('says when there is no dust or no equity to weigh it against, and when the dust is over the budget yet nothing is ordered', () => {
    expect(hold(policy('riskiest_first'), facts([]))).toBe('it holds no dust it may convert')
    expect(hold(policy('venue_size'), facts([eigen('10')], { equity: amount(USDT, '0') }))).toBe('the equity is not positive, so there is no budget to weigh the dust against')
    // riskiest_first passing over every token (the planner could sell none of them) holds over the budget.
    const over = facts([eigen('3000')])
    expect(decideConversions(policy('riskiest_first'), over, new Set(['EIGEN']))).toBeUndefined()
    expect(describeHold(policy('riskiest_first'), over)).toBe('the dust, 30 bps of equity, exceeds the 20 bps risk budget, but none of the tokens ordered can be sold this hour')
  })
})
