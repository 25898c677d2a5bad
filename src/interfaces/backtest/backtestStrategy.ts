import { type HourlySeries, type PoolSeries, loadHourlyHistory } from '../../adapters/history/loadHourlyHistory.js'
import { HISTORY_FILES } from '../../adapters/history/readLastCloses.js'
import { REWARD_FILES, readRewardRows } from '../../adapters/history/readRewardRows.js'
import { requireDataFiles } from '../../adapters/history/requireDataFiles.js'
import { type LoadedConfig, backtestSchema } from '../../config/index.js'
import { rewardSchedule } from '../../domain/backtest/rewardSchedule.js'
import { Amount, type Currency, Fraction } from '../../domain/money/index.js'
import { type BacktestTokens, createBacktestMarket } from '../../engine/backtest/createBacktestMarket.js'
import { type BacktestPolicy, type BacktestRunResult, THRESHOLD_POLICIES, runBacktest } from '../../engine/backtest/runBacktest.js'
import { equivalentCurrencies } from '../../engine/scanStrategy.js'
import { ConfigError, InvalidAmountError } from '../../errors/index.js'
import { createDustPolicy, createGasPriceCaps, createPlanningSettings, createRegistry } from '../../app/createStrategy.js'

export type BacktestStrategyParameters = {
  readonly loaded: LoadedConfig
  /** weETH held over the whole replay, in whole tokens. */
  readonly position: Fraction
  readonly dataDir: string
  /** First and last hour (ms since epoch); the whole common span of the data by default. */
  readonly from?: number | undefined
  readonly to?: number | undefined
  /** Further `dust_delta` values the threshold and cost-aware policies are run with. */
  readonly sweep?: readonly Fraction[] | undefined
  readonly policies?: readonly BacktestPolicy[] | undefined
  /** Stops the replay with an `interrupted` error. */
  readonly signal?: AbortSignal | undefined
  /** Told of the hours replayed, and of how many runs replay them. */
  readonly onProgress?: ((done: number, total: number, runs: number) => void) | undefined
}

/** Everything `dust backtest` reports: the data used, what the position earned, and each run. */
export type BacktestReport = {
  readonly mode: string
  readonly shareClass: Currency
  readonly position: Amount
  readonly from: number
  readonly to: number
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
  const { loaded, position: positionTokens } = parameters
  const { config } = loaded
  const { registry, natives } = createRegistry(config)
  const missing = REQUIRED.filter((symbol) => !registry.has(symbol))
  if (missing.length > 0) {
    throw new ConfigError(loaded.file, [
      { path: 'tokens', expected: `the tokens the history prices (${REQUIRED.join(', ')})`, found: `no ${missing.join(', ')}` },
    ])
  }
  if (config.share_class !== 'USDT' && config.share_class !== 'ETH') {
    throw new ConfigError(loaded.file, [{ path: 'share_class', expected: 'USDT or ETH (the history values nothing else)', found: config.share_class }])
  }
  const tokens = Object.fromEntries(REQUIRED.map((symbol) => [symbol, registry.get(symbol) as Currency])) as unknown as BacktestTokens
  const chain = tokens.EIGEN.chain ?? 'ethereum'
  const policy = createDustPolicy(config, registry)
  // Without a `backtest` section, the schema's defaults.
  const settings = config.backtest ?? backtestSchema.parse({})
  const decimal = Fraction.fromDecimalString

  // Every missing data file is named at once, sorted by path, before the history and the rewards are read side by side.
  const files = [...Object.values(HISTORY_FILES), ...Object.values(REWARD_FILES)]
  await requireDataFiles({ dataDir: parameters.dataDir, files, reader: 'The backtest replays the hourly history and the ether.fi rewards' })
  const [history, rewards] = await Promise.all([
    loadHourlyHistory({ dataDir: parameters.dataDir, from: parameters.from, to: parameters.to }),
    readRewardRows(parameters.dataDir),
  ])
  const started = performance.now()
  const position = Amount.fromTokens(tokens.weETH, positionTokens, 'down')
  if (!position.isPositive() || !position.toTokens().equals(positionTokens)) {
    throw new InvalidAmountError(`The position of ${positionTokens.toDecimalString(40)} weETH is not a positive whole number of weETH's base units (${tokens.weETH.decimals} decimals).`)
  }
  const { hours } = history
  const first = hours[0] as number
  // The oracle of the credit's hour; before the grid, its first value, after it, its last.
  const oracle = (at: number) => {
    const index = Math.min(Math.max(Math.round((at - first) / 3_600_000), 0), hours.length - 1)
    return history.values.weethEth[index] as Fraction
  }
  const credits = rewardSchedule({ eigenRows: rewards.eigenRows, ethfiRows: rewards.ethfiRows, oracle, position: position.toTokens() })

  const market = createBacktestMarket({
    history,
    tokens,
    shareClass: policy.shareClass,
    equivalents: equivalentCurrencies(policy, registry),
    position,
    volatilityHours: settings.cost_aware.volatility_hours,
    venues: {
      chain,
      dex: settings.venues.includes('dex')
        ? {
            name: settings.dex.name,
            depthWeth: { EIGEN: decimal(settings.dex.depth_weth.EIGEN), ETHFI: decimal(settings.dex.depth_weth.ETHFI), USDT: decimal(settings.dex.depth_weth.USDT) },
            gas: { swap: config.gas_units.swap, extraHop: config.gas_units.swap_extra_hop },
          }
        : undefined,
      cex: settings.venues.includes('cex')
        ? {
            name: settings.cex.name,
            takerFeeBps: decimal(settings.cex.taker_fee_bps),
            minNotional: decimal(settings.cex.min_notional),
            amountStep: decimal(settings.cex.amount_step),
            ethAmountStep: decimal(settings.cex.eth_amount_step),
            halfSpreadBps: decimal(settings.cex.half_spread_bps),
            levelStepBps: decimal(settings.cex.level_step_bps),
            levelValue: decimal(settings.cex.level_value),
            levels: settings.cex.levels,
          }
        : undefined,
    },
  })

  // WETH must count as ETH: the pools price in WETH, the oracle and the gas in ETH.
  if (!market.priceBook(0).price(tokens.weETH, policy.shareClass) || !market.priceBook(0).price(tokens.EIGEN, policy.shareClass)) {
    throw new ConfigError(loaded.file, [
      { path: 'equivalents', expected: 'WETH counted as ETH (equivalents: { WETH: ETH }), which the history needs to price weETH and the rewards', found: JSON.stringify(config.equivalents) },
    ])
  }
  const policies = parameters.policies ?? (['threshold', 'every_receipt', 'weekly', 'cost_aware'] as const)
  const deltas = [policy.dustDelta, ...(parameters.sweep ?? []).filter((delta) => !delta.equals(policy.dustDelta))]
  const runs = policies.flatMap((name) => (THRESHOLD_POLICIES.has(name) ? deltas : [policy.dustDelta]).map((dustDelta) => ({ policy: name, dustDelta })))
  const result = await runBacktest({
    market,
    credits,
    policy,
    registry,
    natives,
    planning: createPlanningSettings(config),
    gasPriceCaps: createGasPriceCaps(config),
    chain,
    rewardsVenue: settings.rewards_venue,
    runs,
    costAware: { horizonHours: settings.cost_aware.horizon_hours, riskMultiplier: decimal(settings.cost_aware.risk_multiplier) },
    keepRatios: (run) => run.dustDelta.equals(policy.dustDelta),
    onProgress: (done, total) => parameters.onProgress?.(done, total, runs.length),
    signal: parameters.signal,
  })
  return {
    mode: config.mode,
    shareClass: policy.shareClass,
    position,
    from: first,
    to: hours.at(-1) as number,
    hours: hours.length,
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
