import { type Amount, type Currency, Fraction } from '../money/index.js'

const BPS = 10_000n

/**
 * Hourly gas prices a window must hold before gas can count as cheap (or the whole window, when
 * it is shorter): with fewer, "at or under its trailing percentile" says nothing, since the only
 * price seen is at its own percentile. Until then the policies decide on the budget alone, as
 * without a gas price: a monitor just started, and a backtest's first hours, never wait for or
 * act on gas they cannot judge.
 */
export const MIN_GAS_SAMPLES = 24

/** The samples a window of `gasWindowHours` must hold before gas can count as cheap. */
export function minGasSamples(gasWindowHours: number): number {
  return Math.min(MIN_GAS_SAMPLES, gasWindowHours)
}

/** The conversion policies the live monitor and the backtest share, by `dust_policy.name`. */
export const CONVERSION_POLICIES = ['threshold', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'] as const
export type ConversionPolicyName = (typeof CONVERSION_POLICIES)[number]

/**
 * Is one conversion policy with its parameters. Every policy but `threshold` weighs the dust
 * against the same risk budget, a share of equity; `threshold` reads the hysteresis verdict on
 * `dust_delta`, which is its budget.
 */
export type ConversionPolicy = {
  readonly name: ConversionPolicyName
  /** Dust value the policy tolerates, as a share of equity (`risk_budget_bps` / 10,000). */
  readonly riskBudget: Fraction
  /** Percentile (0 to 100) of the trailing gas prices at or under which gas counts as cheap. */
  readonly gasPercentile: number
  /** Hourly gas prices the percentile is taken over, the current hour's included. */
  readonly gasWindowHours: number
  /** Hourly prices the live monitor measures a token's volatility over (the backtest reads its history's). */
  readonly volatilityHours: number
  /** `gas_aware`: share of the budget the dust must reach before cheap gas converts it. */
  readonly cheapShare: Fraction
  /** `claim_batching`: largest claim gas cost, as a share of the value claimed, worth paying under the budget. */
  readonly claimCostMax: Fraction
  /** `venue_size`: least value, in whole share-class tokens, of a sale sent to a CEX. */
  readonly cexMinValue: Fraction
  /** `riskiest_first`: share of the budget the dust is brought down to once it exceeds it. */
  readonly targetShare: Fraction
}

/** One dust token as a policy sees it at an hour. */
export type TokenFacts = {
  readonly token: Currency
  /** Every dust holding of the token summed (claimable rewards included). */
  readonly held: Amount
  /** `held` in the share class. */
  readonly value: Amount
  /** The part of `value` that is claimable rewards. */
  readonly claimableValue: Amount
  /** Trailing hourly volatility of its price in the share class, scaled by 10^18 (0 when unknown). */
  readonly volatility: bigint
  /** The token's `max_sell_per_run`, when one is configured: the most one run sells of it. */
  readonly maxSell?: Amount | undefined
}

/** What a policy decides on at an hour, built alike by the backtest and the live monitor (`collectHourFacts`). */
export type HourFacts = {
  readonly equity: Amount
  readonly dustValue: Amount
  /** The seed's verdict: the ratio exceeds dust_delta, with hysteresis. */
  readonly exceedsThreshold: boolean
  /** The dust tokens that may be converted (not `convert: false`), by symbol. */
  readonly tokens: readonly TokenFacts[]
  /** The gas price now, in wei; `undefined` when no source gave one. */
  readonly gasPriceWei: bigint | undefined
  /** The trailing gas percentile, in wei: gas at or under it is cheap. */
  readonly cheapGasWei: bigint | undefined
  /** What one claim costs now, in the share class; `undefined` without a gas price or a price of the native coin. */
  readonly claimCost: Amount | undefined
}

/** A venue kind a sale may be restricted to. */
export type VenueKind = 'dex' | 'cex'

/** One token a policy converts: how much of it, and on which kinds of venue (any when absent). */
export type ConversionOrder = {
  readonly token: string
  /** At most `held`: less is a partial conversion. */
  readonly amount: Amount
  readonly venueKinds?: readonly VenueKind[] | undefined
}

/** A policy's answer at an hour: the tokens to convert now, and why. */
export type ConversionDecision = { readonly orders: readonly ConversionOrder[]; readonly why: string }

/** The default parameters of every policy; `riskBudget` is 20 bps, the seed's dust_delta of 0.002. */
export const DEFAULT_CONVERSION_POLICY: ConversionPolicy = {
  name: 'threshold',
  riskBudget: new Fraction(20n, BPS),
  gasPercentile: 50,
  gasWindowHours: 168,
  volatilityHours: 720,
  cheapShare: new Fraction(1n, 2n),
  claimCostMax: new Fraction(50n, BPS),
  cexMinValue: new Fraction(1n),
  targetShare: new Fraction(1n, 2n),
}
