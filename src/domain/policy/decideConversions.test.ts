import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EIGEN, ETHFI, USDT, amount } from '../../../test/fixtureMoney.js'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { type ConversionDecision, type ConversionPolicy, type ConversionPolicyName, DEFAULT_CONVERSION_POLICY, type HourFacts, type TokenFacts } from './ConversionPolicy.js'
import { decideConversions } from './decideConversions.js'

const VOL = 10n ** 16n
const ARB = createCurrency({ symbol: 'ARB', decimals: 18, chain: 'ethereum' })

/** A token held at 1 USDT apiece, `claimable` of its value claimable, with an hourly volatility of `percent` %. */
function token(currency: typeof EIGEN, held: string, percent: bigint, claimable = '0'): TokenFacts {
  return { token: currency, held: amount(currency, held), value: amount(USDT, held), claimableValue: amount(USDT, claimable), volatility: percent * VOL }
}

/** Equity 1,000,000 USDT, so the default 20 bps budget is 2,000 USDT; gas 10 gwei against a cheap level of 20 gwei; a claim costs 5 USDT. */
function facts(tokens: readonly TokenFacts[], overrides: Partial<HourFacts> = {}): HourFacts {
  const dustValue = tokens.reduce<Amount>((sum, entry) => sum.add(entry.value), amount(USDT, '0'))
  return { equity: amount(USDT, '1000000'), dustValue, exceedsThreshold: false, tokens, gasPriceWei: 10n, cheapGasWei: 20n, claimCost: amount(USDT, '5'), ...overrides }
}

const policy = (name: ConversionPolicyName, overrides: Partial<ConversionPolicy> = {}): ConversionPolicy => ({ ...DEFAULT_CONVERSION_POLICY, name, ...overrides })

/** The decision as token, amount and venue kinds, for a compact assertion. */
const orders = (decision: ConversionDecision | undefined) => decision?.orders.map((order) => [order.token, order.amount.toDecimalString(), order.venueKinds?.join('+') ?? 'any'])

describe('decideConversions', () => {
  it('converts everything for the threshold policy exactly when the hysteresis verdict says the ratio exceeds dust_delta', () => {
    const held = [token(EIGEN, '100', 1n), token(ETHFI, '50', 2n)]
    expect(decideConversions(policy('threshold'), facts(held))).toBeUndefined()
    expect(orders(decideConversions(policy('threshold'), facts(held, { exceedsThreshold: true })))).toEqual([
      ['EIGEN', '100', 'any'],
      ['ETHFI', '50', 'any'],
    ])
  })

  it('waits whatever the policy when there is no dust token to convert', () => {
    for (const name of ['threshold', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'] as const) {
      expect(decideConversions(policy(name), facts([], { exceedsThreshold: true, dustValue: amount(USDT, '5000') }))).toBeUndefined()
    }
  })

  it('holds under gas_aware while gas is dear and the dust within budget, and converts once gas is cheap or the budget is exceeded', () => {
    const small = [token(EIGEN, '999', 1n)]
    const half = [token(EIGEN, '1000', 1n)]
    const over = [token(EIGEN, '2001', 1n)]
    const dear = { gasPriceWei: 21n }
    // Under half the budget (2,000 × 1/2 = 1,000 USDT), cheap gas is not enough.
    expect(decideConversions(policy('gas_aware'), facts(small))).toBeUndefined()
    expect(orders(decideConversions(policy('gas_aware'), facts(half)))).toEqual([['EIGEN', '1000', 'any']])
    expect(decideConversions(policy('gas_aware'), facts(half, dear))).toBeUndefined()
    expect(decideConversions(policy('gas_aware'), facts([token(EIGEN, '2000', 1n)], dear))).toBeUndefined()
    expect(orders(decideConversions(policy('gas_aware'), facts(over, dear)))?.[0]).toEqual(['EIGEN', '2001', 'any'])
    // Without a gas price, only the budget decides.
    expect(decideConversions(policy('gas_aware'), facts(half, { gasPriceWei: undefined }))).toBeUndefined()
  })

  it('compares the dust with cheap_share of the budget exactly, without rounding the budget first', () => {
    // Equity 2,660,000.000001 USDT: half of its 20 bps is 2,660.000000001, which 2,660 USDT of dust has not reached.
    const hour = (dust: string) => facts([token(EIGEN, dust, 1n)], { equity: amount(USDT, '2660000.000001') })
    expect(decideConversions(policy('gas_aware'), hour('2660'))).toBeUndefined()
    expect(orders(decideConversions(policy('gas_aware'), hour('2660.000001')))).toEqual([['EIGEN', '2660.000001', 'any']])
  })

  it('claims under claim_batching only the tokens whose claimable value makes the claim gas worth it, and everything over the budget', () => {
    // 5 USDT of gas is 50 bps of 1,000 USDT: EIGEN's 1,000 claimable is worth claiming, ETHFI's 999 is not.
    const held = [token(EIGEN, '1000', 1n, '1000'), token(ETHFI, '999', 1n, '999')]
    expect(orders(decideConversions(policy('claim_batching'), facts(held)))).toEqual([['EIGEN', '1000', 'any']])
    expect(decideConversions(policy('claim_batching'), facts(held, { claimCost: amount(USDT, '5.000001') }))).toBeUndefined()
    expect(decideConversions(policy('claim_batching'), facts(held, { claimCost: undefined }))).toBeUndefined()
    expect(decideConversions(policy('claim_batching'), facts([token(EIGEN, '1500', 1n)]))).toBeUndefined()
    expect(orders(decideConversions(policy('claim_batching'), facts([token(EIGEN, '1500', 1n), token(ETHFI, '600', 1n)])))).toEqual([
      ['EIGEN', '1500', 'any'],
      ['ETHFI', '600', 'any'],
    ])
  })

  it('sends venue_size sales of at least cex_min_value to a CEX and the rest to a DEX when gas is cheap, once over the budget', () => {
    const sized = policy('venue_size', { cexMinValue: new Fraction(1000n) })
    const held = [token(EIGEN, '1999', 1n), token(ETHFI, '2', 1n)]
    expect(decideConversions(sized, facts([token(EIGEN, '1999', 1n)]))).toBeUndefined()
    expect(orders(decideConversions(sized, facts(held)))).toEqual([
      ['EIGEN', '1999', 'cex+dex'],
      ['ETHFI', '2', 'dex'],
    ])
    expect(orders(decideConversions(sized, facts(held, { gasPriceWei: 21n })))).toEqual([
      ['EIGEN', '1999', 'cex'],
      ['ETHFI', '2', 'any'],
    ])
  })

  it('sells under riskiest_first the highest value × volatility first, the last token partly, down to half the budget', () => {
    // Dust 2,400 USDT over a 2,000 budget: 1,400 must go to reach 1,000. ETHFI (400 × 5 %) outranks EIGEN (1,500 × 1 %), then ARB (500 × 0).
    const held = [token(EIGEN, '1500', 1n), token(ETHFI, '400', 5n), token(ARB, '500', 0n)]
    expect(orders(decideConversions(policy('riskiest_first'), facts(held)))).toEqual([
      ['ETHFI', '400', 'any'],
      ['EIGEN', '1000', 'any'],
    ])
    // 3 EIGEN worth 2,100 USDT: 1,100 of it must go, 3 × 1,100 / 2,100 EIGEN rounded up.
    const dear = { ...token(EIGEN, '3', 1n), value: amount(USDT, '2100') }
    expect(orders(decideConversions(policy('riskiest_first'), facts([dear])))).toEqual([['EIGEN', '1.571428571428571429', 'any']])
    expect(decideConversions(policy('riskiest_first'), facts([token(EIGEN, '2000', 1n)]))).toBeUndefined()
  })

  it('ranks under riskiest_first by value where the risks tie, as while no volatility is known yet', () => {
    // No volatility yet (a monitor's first hours): ETHFI's 1,500 USDT goes before EIGEN's 900, whatever their symbols.
    const unknown = [token(EIGEN, '900', 0n), token(ETHFI, '1500', 0n)]
    expect(orders(decideConversions(policy('riskiest_first'), facts(unknown)))).toEqual([['ETHFI', '1400', 'any']])
    // Equal risks (900 × 5 % = 1,500 × 3 %): the larger value first again.
    const tied = [token(EIGEN, '900', 5n), token(ETHFI, '1500', 3n)]
    expect(orders(decideConversions(policy('riskiest_first'), facts(tied)))).toEqual([['ETHFI', '1400', 'any']])
    // Equal values and risks: by symbol.
    const twins = [token(ETHFI, '1200', 1n), token(EIGEN, '1200', 1n)]
    expect(orders(decideConversions(policy('riskiest_first'), facts(twins)))).toEqual([
      ['EIGEN', '1200', 'any'],
      ['ETHFI', '200', 'any'],
    ])
  })

  it('orders under riskiest_first at most the max_sell_per_run of a token, and the rest of the excess from the next tokens', () => {
    // Dust 2,900 USDT, 1,900 to go. ETHFI (400 × 5 %) first in full, then EIGEN, capped at 1,000 of its 1,500: the other 500 from ARB.
    const capped = { ...token(EIGEN, '1500', 1n), maxSell: amount(EIGEN, '1000') }
    const held = [capped, token(ETHFI, '400', 5n), token(ARB, '1000', 0n)]
    expect(orders(decideConversions(policy('riskiest_first'), facts(held)))).toEqual([
      ['ETHFI', '400', 'any'],
      ['EIGEN', '1000', 'any'],
      ['ARB', '500', 'any'],
    ])
    // Uncapped, EIGEN alone makes up the 1,500 after ETHFI.
    expect(orders(decideConversions(policy('riskiest_first'), facts([token(EIGEN, '1500', 1n), token(ETHFI, '400', 5n), token(ARB, '1000', 0n)])))).toEqual([
      ['ETHFI', '400', 'any'],
      ['EIGEN', '1500', 'any'],
    ])
    // A cap above what is needed changes nothing: EIGEN sells 1,000 of it.
    const roomy = { ...token(EIGEN, '2000', 1n), maxSell: amount(EIGEN, '5000') }
    expect(orders(decideConversions(policy('riskiest_first'), facts([roomy, token(ETHFI, '400', 10n)])))).toEqual([
      ['ETHFI', '400', 'any'],
      ['EIGEN', '1000', 'any'],
    ])
  })

  it('holds under every policy when the equity is zero or less, however much dust there is and however cheap gas is', () => {
    const held = [token(EIGEN, '5000', 1n, '5000'), token(ETHFI, '800', 2n, '800')]
    for (const equity of ['0', '-1']) {
      for (const name of ['gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'] as const) {
        expect(decideConversions(policy(name), facts(held, { equity: amount(USDT, equity) }))).toBeUndefined()
      }
    }
    // The same dust against a positive equity converts under each of them.
    for (const name of ['gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'] as const) {
      expect(decideConversions(policy(name), facts(held, { equity: amount(USDT, '1000000') }))).toBeDefined()
    }
  })

  it('compares the dust with the budget and a claim with its share of the claimable value exactly as the rounded amounts do', () => {
    // The budget is equity × risk budget rounded down, the worth of a claim claimable × claim_cost_max rounded down: checked against those amounts.
    const raw = fc.bigInt({ min: 0n, max: 10n ** 15n })
    const share = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 6n })).map(([numerator, denominator]) => new Fraction(numerator, denominator))
    fc.assert(
      fc.property(raw, raw, raw, raw, share, share, (equityRaw, dustRaw, claimableRaw, costRaw, riskBudget, claimCostMax) => {
        const usdt = (value: bigint) => Amount.fromRaw(USDT, value)
        const held: TokenFacts = { token: EIGEN, held: Amount.fromRaw(EIGEN, dustRaw + 1n), value: usdt(dustRaw), claimableValue: usdt(claimableRaw), volatility: VOL }
        const hour = facts([held], { equity: usdt(equityRaw), claimCost: usdt(costRaw) })
        // An equity of zero weighs nothing: every policy holds.
        const weighed = equityRaw > 0n
        const over = weighed && usdt(dustRaw).greaterThan(usdt(equityRaw).multiply(riskBudget, 'down'))
        expect(decideConversions(policy('venue_size', { riskBudget }), hour) !== undefined).toBe(over)
        const worth = weighed && claimableRaw > 0n && !usdt(claimableRaw).multiply(claimCostMax, 'down').lessThan(usdt(costRaw))
        expect(decideConversions(policy('claim_batching', { riskBudget, claimCostMax }), hour) !== undefined).toBe(over || worth)
      }),
      { numRuns: 1000, seed: 17 },
    )
  })
})
