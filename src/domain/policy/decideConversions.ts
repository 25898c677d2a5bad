import { CurrencyMismatchError } from '../../errors/index.js'
import { type Amount, Fraction, isSameCurrency } from '../money/index.js'
import type { ConversionDecision, ConversionOrder, ConversionPolicy, HourFacts, TokenFacts, VenueKind } from './ConversionPolicy.js'

const NONE: ReadonlySet<string> = new Set()

/** Every token converted in full, on any venue. */
function everything(facts: HourFacts): ConversionOrder[] {
  return facts.tokens.map((token) => ({ token: token.token.symbol, amount: token.held }))
}

/** The decision, or none when there is nothing to convert. */
function decided(orders: readonly ConversionOrder[], why: string): ConversionDecision | undefined {
  return orders.length > 0 ? { orders, why } : undefined
}

/** Whether gas is known and at or under its trailing percentile. */
function gasIsCheap(facts: HourFacts): boolean {
  return facts.gasPriceWei !== undefined && facts.cheapGasWei !== undefined && facts.gasPriceWei <= facts.cheapGasWei
}

/** Refuses to compare amounts of two currencies, as `Amount.compare` does. */
function expectCurrency(left: Amount, right: Amount): void {
  if (!isSameCurrency(left.currency, right.currency)) throw new CurrencyMismatchError('compare', left.currency.symbol, right.currency.symbol)
}

/**
 * Whether the dust exceeds the risk budget, equity × `riskBudget` rounded down: for a whole
 * number of base units V, V > ⌊E × n / d⌋ exactly when V × d > E × n (d is positive). Compared
 * so, without building the budget, as a backtest decides it for every run at every hour.
 */
export function exceedsBudget(policy: ConversionPolicy, facts: HourFacts): boolean {
  expectCurrency(facts.dustValue, facts.equity)
  return facts.dustValue.raw * policy.riskBudget.denominator > facts.equity.raw * policy.riskBudget.numerator
}

/**
 * Whether the dust has reached `cheapShare` of the budget, exactly: V ≥ E × b × s when
 * V × b_d × s_d ≥ E × b_n × s_n (denominators positive), with no rounding of the budget on the way
 * that would let the dust count as there one base unit early.
 */
function reachesShare(policy: ConversionPolicy, facts: HourFacts): boolean {
  expectCurrency(facts.dustValue, facts.equity)
  const { riskBudget: budget, cheapShare: share } = policy
  return facts.dustValue.raw * budget.denominator * share.denominator >= facts.equity.raw * budget.numerator * share.numerator
}

/** Whether `claimCostMax` of the claimable value, rounded down, is at least the claim's cost: ⌊C × n / d⌋ ≥ K exactly when C × n ≥ K × d. */
function worthClaiming(policy: ConversionPolicy, claimable: Amount, cost: Amount): boolean {
  expectCurrency(claimable, cost)
  return claimable.raw * policy.claimCostMax.numerator >= cost.raw * policy.claimCostMax.denominator
}

/** `venue_size`: a CEX for a sale of at least `cexMinValue`, a DEX when gas is cheap, either when neither holds. */
function venueKinds(policy: ConversionPolicy, token: TokenFacts, cheap: boolean): readonly VenueKind[] | undefined {
  const kinds: VenueKind[] = []
  if (!token.value.toTokens().lessThan(policy.cexMinValue)) kinds.push('cex')
  if (cheap) kinds.push('dex')
  return kinds.length > 0 ? kinds : undefined
}

/** `riskiest_first`: the tokens with the largest value × volatility first, only as much as brings the dust down to the target. */
function riskiestFirst(policy: ConversionPolicy, facts: HourFacts, unsellable: ReadonlySet<string>): ConversionOrder[] {
  const target = facts.equity.multiply(policy.riskBudget.multiply(policy.targetShare), 'down')
  let excess = facts.dustValue.subtract(target)
  const risk = (token: TokenFacts) => token.value.raw * token.volatility
  // By risk; where risks tie (a volatility not yet known is 0, as in a monitor's first hours), by
  // value, so that the larger holding still goes first; then by symbol, for one order everywhere.
  const ranked = [...facts.tokens].sort((a, b) => {
    const difference = risk(b) - risk(a)
    if (difference !== 0n) return difference > 0n ? 1 : -1
    const larger = b.value.raw - a.value.raw
    if (larger !== 0n) return larger > 0n ? 1 : -1
    return a.token.symbol < b.token.symbol ? -1 : a.token.symbol > b.token.symbol ? 1 : 0
  })
  const orders: ConversionOrder[] = []
  for (const token of ranked) {
    if (!excess.isPositive()) break
    if (!token.value.isPositive() || unsellable.has(token.token.symbol)) continue
    // A configured max_sell_per_run caps what a run can sell: the rest of the excess goes to the next tokens.
    const sellable = token.maxSell === undefined ? token.held : token.held.min(token.maxSell)
    // Valued down, so that what the cap leaves unsold is, if anything, overstated and made up for.
    const sellableValue = sellable.lessThan(token.held) ? token.value.multiply(new Fraction(sellable.raw, token.held.raw), 'down') : token.value
    if (!sellableValue.isPositive()) continue
    if (!excess.lessThan(sellableValue)) {
      orders.push({ token: token.token.symbol, amount: sellable })
      excess = excess.subtract(sellableValue)
      continue
    }
    // Rounded up, so the dust ordered to stay is at or under the target; never more than can be sold.
    // (A venue's amount step may still round the sale itself down by less than one step.)
    const amount = token.held.multiply(new Fraction(excess.raw, token.value.raw), 'up').min(sellable)
    orders.push({ token: token.token.symbol, amount })
    break
  }
  return orders
}

/**
 * Decides which dust tokens a policy converts at an hour, and how much of each: the one decision
 * the backtest and the live monitor share. `undefined` means wait.
 *
 * - `threshold` (the seed's): everything once the ratio exceeds dust_delta (with hysteresis).
 * - `gas_aware`: everything once the dust exceeds the budget; under it, everything when gas is
 *   at or under its trailing percentile and the dust has reached `cheapShare` of the budget.
 * - `claim_batching`: everything over the budget; under it, each token whose claimable rewards
 *   are worth claiming (the claim's gas at most `claimCostMax` of their value).
 * - `venue_size`: everything over the budget, each sale restricted to a CEX when it is at least
 *   `cexMinValue` and to a DEX when gas is cheap (both when both hold, any when neither).
 * - `riskiest_first`: over the budget, the tokens of highest value × volatility first (of highest
 *   value where that ties), each at most its `max_sell_per_run`, the last one partly, down to
 *   `targetShare` of the budget.
 *
 * Whatever the policy, an equity at or under zero decides nothing: there is no budget to weigh.
 * `unsellable` names the tokens `riskiest_first` passes over (the planner could not sell them this
 * hour): their value still counts in the dust, and the next tokens in rank make up for them.
 */
export function decideConversions(policy: ConversionPolicy, facts: HourFacts, unsellable: ReadonlySet<string> = NONE): ConversionDecision | undefined {
  if (facts.tokens.length === 0) return undefined
  // An equity at or under zero is no equity to weigh the dust against (the seed's ratio is then 0):
  // a budget of it would be zero, and every policy would sell everything on broken data.
  if (!facts.equity.isPositive()) return undefined
  if (policy.name === 'threshold') return facts.exceedsThreshold ? decided(everything(facts), 'the dust ratio exceeds dust_delta') : undefined
  const over = exceedsBudget(policy, facts)
  const cheap = gasIsCheap(facts)
  switch (policy.name) {
    case 'gas_aware': {
      if (over) return decided(everything(facts), 'the dust exceeds the risk budget')
      if (!cheap || !facts.dustValue.isPositive()) return undefined
      if (reachesShare(policy, facts)) return decided(everything(facts), 'gas is cheap and the dust has reached its share of the budget')
      return undefined
    }
    case 'claim_batching': {
      if (over) return decided(everything(facts), 'the dust exceeds the risk budget')
      const cost = facts.claimCost
      if (cost === undefined) return undefined
      const worth = facts.tokens.filter((token) => token.claimableValue.isPositive() && worthClaiming(policy, token.claimableValue, cost))
      return decided(
        worth.map((token) => ({ token: token.token.symbol, amount: token.held })),
        'the claim is worth its gas',
      )
    }
    case 'venue_size': {
      if (!over) return undefined
      return decided(
        facts.tokens.map((token) => ({ token: token.token.symbol, amount: token.held, venueKinds: venueKinds(policy, token, cheap) })),
        'the dust exceeds the risk budget',
      )
    }
    case 'riskiest_first':
      return over ? decided(riskiestFirst(policy, facts, unsellable), 'the dust exceeds the risk budget; the riskiest tokens go first') : undefined
  }
}
