import { Fraction, formatScaled } from '../money/index.js'
import type { ConversionPolicy, HourFacts } from './ConversionPolicy.js'
import { minGasSamples } from './ConversionPolicy.js'
import { exceedsBudget } from './decideConversions.js'

const BPS = 10_000n

/** A share of equity in bps, to two decimals: the dust's rounded up, so that a hold never looks safer than it is. */
const bps = (share: Fraction, rounding: 'up' | 'down') => share.multiply(BPS).toDecimalString(2, rounding)

/**
 * Says, with the hour's figures, why a policy other than the seed's threshold holds: what of its
 * rule the dust and gas did not meet. Only a hold is described (a conversion's reason is the
 * decision's own `why`); it reads the same facts `decideConversions` decided on, and is asked
 * only when it decided nothing, so the backtest's hot path never pays for the words.
 */
export function describeHold(policy: ConversionPolicy, facts: HourFacts): string {
  if (facts.tokens.length === 0) return 'it holds no dust it may convert'
  if (!facts.equity.isPositive()) return 'the equity is not positive, so there is no budget to weigh the dust against'
  const ratio = bps(new Fraction(facts.dustValue.raw, facts.equity.raw), 'up')
  const budget = bps(policy.riskBudget, 'down')
  if (exceedsBudget(policy, facts)) {
    // Over the budget every policy converts: a hold then means the planner could sell none of what was ordered.
    return `the dust, ${ratio} bps of equity, exceeds the ${budget} bps risk budget, but none of the tokens ordered can be sold this hour`
  }
  const within = `the dust, ${ratio} bps of equity, is within the ${budget} bps risk budget`
  switch (policy.name) {
    case 'gas_aware': {
      if (facts.gasPriceWei === undefined) return `${within}, and the gas price is unknown, so gas does not count as cheap`
      if (facts.cheapGasWei === undefined) {
        return `${within}, and gas cannot count as cheap until ${minGasSamples(policy.gasWindowHours)} hourly gas prices are known`
      }
      const gas = `gas at ${formatScaled(facts.gasPriceWei, 9)} gwei`
      if (facts.gasPriceWei > facts.cheapGasWei) {
        return `${within}, and ${gas} is above percentile ${policy.gasPercentile} of the last ${policy.gasWindowHours} hours (${formatScaled(facts.cheapGasWei, 9)} gwei)`
      }
      return `${within}; ${gas} is cheap, but the dust is short of ${policy.cheapShare.toDecimalString(6)} of the budget`
    }
    case 'claim_batching':
      if (facts.claimCost === undefined) return `${within}, and a claim's gas cost is unknown, so no claim is judged worth it`
      return `${within}, and no claimable reward is worth its claim's gas (${facts.claimCost.toDecimalString()} ${facts.claimCost.currency.symbol})`
    case 'threshold':
    case 'venue_size':
    case 'riskiest_first':
      return within
  }
}
