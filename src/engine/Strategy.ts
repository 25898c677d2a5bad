import type { DustPolicy } from '../domain/dust/index.js'
import type { Currency } from '../domain/money/index.js'
import type { ConversionPolicy } from '../domain/policy/ConversionPolicy.js'
import type { RoutePreference } from '../domain/planning/chooseRoute.js'
import type { GasUnits } from '../domain/planning/evaluateRoute.js'
import type { BalanceSource, ConversionVenue, EquitySource, ExecutionManager, GasPriceSource, PriceSource } from '../ports/index.js'

/** How the planner searches and prices routes for a strategy. */
export type PlanningSettings = {
  readonly preference: RoutePreference
  readonly maxHops: number
  readonly maxSlippageBps: number
  readonly minNotionalBufferBps: number
  readonly gasUnits: GasUnits
}

/** Is one strategy wired to its sources and venues: what the engine runs. */
export type Strategy = {
  readonly policy: DustPolicy
  /** Which policy decides when dust is converted (`dust_policy`); the seed's threshold when absent. */
  readonly conversionPolicy?: ConversionPolicy | undefined
  /** Token registry by symbol. */
  readonly registry: ReadonlyMap<string, Currency>
  /** Native coin of each chain, in which gas is paid. */
  readonly natives: ReadonlyMap<string, Currency>
  readonly planning: PlanningSettings
  readonly balanceSources: readonly BalanceSource[]
  readonly priceSources: readonly PriceSource[]
  readonly equitySource: EquitySource
  readonly venues: readonly ConversionVenue[]
  readonly gasPrices: readonly GasPriceSource[]
  /** Per chain, the gas price in wei above which on-chain conversions wait. */
  readonly gasPriceCaps?: ReadonlyMap<string, bigint> | undefined
  readonly executionMode: 'dry-run' | 'paper' | 'live'
  /** Absent in dry-run: plans are recorded, nothing is executed. */
  readonly executionManager?: ExecutionManager | undefined
  readonly monitoringIntervalMs: number
  /** Per rewards venue, asks the node what its claim costs in gas (`eth_estimateGas`); `undefined` when it cannot tell. */
  readonly claimGasEstimators?: ReadonlyMap<string, () => Promise<bigint | undefined>> | undefined
  /** Freshness and agreement of prices; absent means no age limit and no cross-check. */
  readonly priceChecks?: PriceChecks | undefined
}

/** How old a price may be, and how far two sources may disagree, before a conversion waits. */
export type PriceChecks = {
  /** A price observed longer ago than this is not used: the token is unpriced until a fresh one comes. */
  readonly maxAgeMs: number
  /** A price stamped further than this in the future (the source's clock ahead of ours) is not used. */
  readonly maxClockSkewMs: number
  /** Largest disagreement between two sources' prices of a token, in bps, before its conversion is refused. */
  readonly maxDeviationBps: number
}
