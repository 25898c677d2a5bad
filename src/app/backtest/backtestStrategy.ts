import { backtestVenueFactories } from './backtestVenueFactories.js'
import { loadBacktestHistory } from './loadBacktestHistory.js'
import { createConversionPolicy } from '../../app/createConversionPolicy.js'
import { createDustPolicy, createGasPriceCaps, createPlanningSettings, createRegistry } from '../../app/createStrategy.js'
import { type BacktestConfig, type LoadedConfig, type StrategyConfig, backtestSchema } from '../../config/index.js'
import type { HourlyHistory, HourlySeries, PoolSeries, RewardRows } from '../../domain/backtest/History.js'
import { type RewardCredit, rewardSchedule } from '../../domain/backtest/rewardSchedule.js'
import type { DustPolicy } from '../../domain/dust/index.js'
import { Amount, type Currency, Fraction } from '../../domain/money/index.js'
import { BACKTEST_POLICIES, type BacktestPolicy, THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import type { RunSpec } from '../../engine/backtest/BacktestReplay.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import type { BacktestTokens, BacktestVenueSettings } from '../../engine/backtest/BacktestVenueSettings.js'
import { type BacktestMarket, createBacktestMarket } from '../../engine/backtest/createBacktestMarket.js'
import { runBacktest } from '../../engine/backtest/runBacktest.js'
import { equivalentCurrencies } from '../../engine/scanStrategy.js'
import { ConfigError, InvalidAmountError, SourceError } from '../../errors/index.js'

export type BacktestStrategyParameters = {
  readonly loaded: LoadedConfig
  /** weETH held over the whole replay, in whole tokens. */
  readonly position: Fraction
  readonly dataDir: string
  /** First and last hour (ms since epoch); the whole common span of the data by default. */
  readonly from?: number | undefined
  readonly to?: number | undefined
  /** The first hour scored (ms since epoch): the hours before it are a warm-up whose holdings carry on (see `runBacktest`). */
  readonly scoreFrom?: number | undefined
  /** Further `dust_delta` values the threshold and cost-aware policies are run with. */
  readonly sweep?: readonly Fraction[] | undefined
  readonly policies?: readonly BacktestPolicy[] | undefined
  /** Stops the replay with an `interrupted` error. */
  readonly signal?: AbortSignal | undefined
  /** Told of the hours replayed, and of how many runs replay them. */
  readonly onProgress?: ((done: number, total: number, runs: number) => void) | undefined
}

/** The window a backtest was asked for: `--from` and `--to` as given, `undefined` where the data's own end was meant. */
export type AskedWindow = { readonly from: number | undefined; readonly to: number | undefined }

/** Everything `dust backtest` reports: the data used, what the position earned, and each run. */
export type BacktestReport = {
  readonly mode: string
  readonly shareClass: Currency
  readonly position: Amount
  readonly from: number
  readonly to: number
  /** The window asked: the replay runs on the part of it the history covers. */
  readonly asked: AskedWindow
  readonly hours: number
  /** Hours filled by carrying the previous value, per series. */
  readonly filled: Readonly<Record<HourlySeries, number>>
  readonly files: Readonly<Record<HourlySeries, string>>
  readonly feeBps: Readonly<Record<PoolSeries, Fraction>>
  readonly received: ReadonlyMap<string, Amount>
  readonly ideal: Amount
  readonly creditsOutside: number
  /** The configuration's `dust_delta`: the runs the comparison and the ratio plot speak of. */
  readonly dustDelta: Fraction
  /** The sweep's values, sorted, when one was asked for. */
  readonly sweep: readonly Fraction[] | undefined
  readonly runs: readonly BacktestRunResult[]
  /** Wall time of the replay alone (history loaded), in ms. */
  readonly replayMs: number
}

const REQUIRED: ReadonlyArray<keyof BacktestTokens> = ['EIGEN', 'ETHFI', 'WETH', 'ETH', 'USDT', 'weETH']
const HOUR = 3_600_000

/** The tokens the history prices, each perhaps missing from the configuration. */
type FoundTokens = { readonly [Symbol in keyof BacktestTokens]: Currency | undefined }

function foundEvery(tokens: FoundTokens): tokens is BacktestTokens {
  return REQUIRED.every((symbol) => tokens[symbol] !== undefined)
}

/** The configuration's currencies of the tokens the history prices; a `ConfigError` names those it lacks. */
function backtestTokens(loaded: LoadedConfig, registry: ReadonlyMap<string, Currency>): BacktestTokens {
  const get = (symbol: keyof BacktestTokens) => registry.get(symbol)
  const tokens: FoundTokens = { EIGEN: get('EIGEN'), ETHFI: get('ETHFI'), WETH: get('WETH'), ETH: get('ETH'), USDT: get('USDT'), weETH: get('weETH') }
  if (foundEvery(tokens)) return tokens
  const missing = REQUIRED.filter((symbol) => tokens[symbol] === undefined)
  throw new ConfigError(loaded.file, [{ path: 'tokens', expected: `the tokens the history prices (${REQUIRED.join(', ')})`, found: `no ${missing.join(', ')}` }])
}

/** Checks that the share class is one the history values: USDT or ETH. */
function requireValuedShareClass(loaded: LoadedConfig): void {
  const shareClass = loaded.config.share_class
  if (shareClass === 'USDT' || shareClass === 'ETH') return
  throw new ConfigError(loaded.file, [{ path: 'share_class', expected: 'USDT or ETH (the history values nothing else)', found: shareClass }])
}

/** The position in weETH base units; it must be positive and a whole number of them. */
function positionOf(weETH: Currency, tokens: Fraction): Amount {
  const position = Amount.fromTokens(weETH, tokens, 'down')
  if (!position.isPositive() || !position.toTokens().equals(tokens)) {
    throw new InvalidAmountError(`The position of ${tokens.toDecimalString(40)} weETH is not a positive whole number of weETH's base units (${weETH.decimals} decimals).`)
  }
  return position
}

/** The first and last hour of the history; the loader gives at least one. */
function span(history: HourlyHistory): { from: number; to: number } {
  const from = history.hours[0]
  const to = history.hours.at(-1)
  if (from === undefined || to === undefined) throw new SourceError('history', 'The history has no hour.', { details: 'Expected at least one hour every series covers, found none.' })
  return { from, to }
}

/** The rewards the position earned, with the oracle of each credit's hour (before the grid its first value, after it its last). */
function creditsOf(history: HourlyHistory, rewards: RewardRows, position: Amount): RewardCredit[] {
  const rates = history.values.weethEth
  const { from } = span(history)
  const oracle = (at: number): Fraction => {
    const rate = rates[Math.min(Math.max(Math.round((at - from) / HOUR), 0), rates.length - 1)]
    if (rate === undefined) throw new SourceError('history', 'The history has no weETH oracle rate.', { details: 'Expected one rate per hour of the grid, found none.' })
    return rate
  }
  return rewardSchedule({ eigenRows: rewards.eigenRows, ethfiRows: rewards.ethfiRows, oracle, position: position.toTokens() })
}

/** The venues of the past as the configuration's `backtest` section describes them, in exact figures. */
function venueSettings(loaded: LoadedConfig, settings: BacktestConfig, chain: string): BacktestVenueSettings {
  const { config } = loaded
  const decimal = Fraction.fromDecimalString
  const { dex, cex } = settings
  return {
    chain,
    dex: settings.venues.includes('dex')
      ? {
          name: dex.name,
          depthWeth: { EIGEN: decimal(dex.depth_weth.EIGEN), ETHFI: decimal(dex.depth_weth.ETHFI), USDT: decimal(dex.depth_weth.USDT) },
          gas: { swap: config.gas_units.swap, extraHop: config.gas_units.swap_extra_hop },
        }
      : undefined,
    cex: settings.venues.includes('cex')
      ? {
          name: cex.name,
          takerFeeBps: decimal(cex.taker_fee_bps),
          minNotional: decimal(cex.min_notional),
          amountStep: decimal(cex.amount_step),
          ethAmountStep: decimal(cex.eth_amount_step),
          halfSpreadBps: decimal(cex.half_spread_bps),
          levelStepBps: decimal(cex.level_step_bps),
          levelValue: decimal(cex.level_value),
          levels: cex.levels,
        }
      : undefined,
  }
}

/** Checks that the market prices weETH and the rewards in the share class, which takes WETH counted as ETH. */
function requirePricing(loaded: LoadedConfig, market: BacktestMarket, tokens: BacktestTokens, shareClass: Currency): void {
  const book = market.priceBook(0)
  if (book.price(tokens.weETH, shareClass) && book.price(tokens.EIGEN, shareClass)) return
  throw new ConfigError(loaded.file, [
    {
      path: 'equivalents',
      expected: 'WETH counted as ETH (equivalents: { WETH: ETH }), which the history needs to price weETH and the rewards',
      found: JSON.stringify(loaded.config.equivalents),
    },
  ])
}

/** The runs: every policy asked for, the threshold and cost-aware ones once per `dust_delta` value (the configuration's first). */
function runSpecs(policy: DustPolicy, parameters: BacktestStrategyParameters, config: StrategyConfig): RunSpec[] {
  const deltas = [policy.dustDelta, ...(parameters.sweep ?? []).filter((delta) => !delta.equals(policy.dustDelta))]
  const policies = parameters.policies ?? BACKTEST_POLICIES
  // The conversion policies take dust_policy's parameters; each run's dust_delta is its risk budget.
  const { name: _name, riskBudget: _budget, volatilityHours: _hours, ...conversion } = createConversionPolicy(config)
  return policies.flatMap((name) => (THRESHOLD_POLICIES.has(name) ? deltas : [policy.dustDelta]).map((dustDelta) => ({ policy: name, dustDelta, parameters: conversion })))
}

/**
 * Backtests one strategy's dust policy on the real history in `dataDir`: loads the hourly
 * series and the reward files, lays out the rewards a constant weETH position earned, and
 * replays every policy (the threshold and cost-aware ones once per `dust_delta` value).
 *
 * Throws `ConfigError` when the configuration lacks a token the data prices or has a share
 * class the data cannot value (only USDT and ETH are), and `SourceError` for missing or
 * malformed data files.
 */
export async function backtestStrategy(parameters: BacktestStrategyParameters): Promise<BacktestReport> {
  const { loaded } = parameters
  const { config } = loaded
  const { registry, natives } = createRegistry(config)
  const tokens = backtestTokens(loaded, registry)
  requireValuedShareClass(loaded)
  const chain = tokens.EIGEN.chain ?? 'ethereum'
  const policy = createDustPolicy(config, registry)
  // Without a `backtest` section, the schema's defaults.
  const settings = config.backtest ?? backtestSchema.parse({})
  const { hourly: history, rewards } = await loadBacktestHistory({ dataDir: parameters.dataDir, from: parameters.from, to: parameters.to })
  const started = performance.now()
  const position = positionOf(tokens.weETH, parameters.position)
  const market = createBacktestMarket(backtestVenueFactories, {
    history,
    tokens,
    shareClass: policy.shareClass,
    equivalents: equivalentCurrencies(policy, registry),
    position,
    volatilityHours: settings.cost_aware.volatility_hours,
    venues: venueSettings(loaded, settings, chain),
  })
  requirePricing(loaded, market, tokens, policy.shareClass)
  const runs = runSpecs(policy, parameters, config)
  const result = await runBacktest({
    scoreFrom: parameters.scoreFrom,
    market,
    credits: creditsOf(history, rewards, position),
    policy,
    registry,
    natives,
    planning: createPlanningSettings(config),
    gasPriceCaps: createGasPriceCaps(config),
    chain,
    rewardsVenue: settings.rewards_venue,
    runs,
    costAware: { horizonHours: settings.cost_aware.horizon_hours, riskMultiplier: Fraction.fromDecimalString(settings.cost_aware.risk_multiplier) },
    keepRatios: (run) => run.dustDelta.equals(policy.dustDelta),
    onProgress: (done, total) => parameters.onProgress?.(done, total, runs.length),
    signal: parameters.signal,
  })
  return {
    mode: config.mode,
    shareClass: policy.shareClass,
    position,
    ...span(history),
    asked: { from: parameters.from, to: parameters.to },
    hours: history.hours.length,
    filled: history.filled,
    files: history.files,
    feeBps: history.feeBps,
    received: result.received,
    ideal: result.ideal,
    creditsOutside: result.creditsOutside,
    dustDelta: policy.dustDelta,
    sweep: parameters.sweep ? [...parameters.sweep].sort((a, b) => a.compare(b)) : undefined,
    runs: result.runs,
    replayMs: performance.now() - started,
  }
}
