import type { DustPolicy } from '../../domain/dust/index.js'
import type { Amount, Currency, Fraction, PriceBook } from '../../domain/money/index.js'
import type { ConversionPolicy } from '../../domain/policy/ConversionPolicy.js'
import type { PlanningSettings } from '../Strategy.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import type { BacktestMarket } from './createBacktestMarket.js'

/**
 * One run of the replay: a policy with its `dust_delta` (the risk budget of the conversion
 * policies), and the conversion policy's other parameters where they differ from the defaults.
 */
export type RunSpec = {
  readonly policy: BacktestPolicy
  readonly dustDelta: Fraction
  readonly parameters?: Partial<Omit<ConversionPolicy, 'name' | 'riskBudget' | 'volatilityHours'>> | undefined
}

/** What every run of a replay shares: the market, the strategy's settings and where the rewards are held. */
export type BacktestReplay = {
  readonly market: BacktestMarket
  /** The strategy's dust policy; each run replaces its `dustDelta`. */
  readonly basePolicy: DustPolicy
  readonly shareClass: Currency
  readonly registry: ReadonlyMap<string, Currency>
  readonly natives: ReadonlyMap<string, Currency>
  readonly planning: PlanningSettings
  readonly gasPriceCaps?: ReadonlyMap<string, bigint> | undefined
  /** The chain the rewards are claimed on and the DEX trades on. */
  readonly chain: string
  readonly rewardsVenue: string
  readonly costAware: { readonly horizonHours: number; readonly riskMultiplier: Fraction }
}

/** One hour as every run sees it. */
export type ReplayHour = {
  readonly index: number
  /** The hour's start, in ms. */
  readonly at: number
  readonly priceBook: PriceBook
  /** The rewards that arrive at this hour, if any. */
  readonly credited: readonly Amount[] | undefined
  /** Whether the hour is a Monday 00:00 UTC, when the weekly policy converts. */
  readonly monday: boolean
}
