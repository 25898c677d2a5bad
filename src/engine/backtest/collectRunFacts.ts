import type { ConversionPolicy, HourFacts } from '../../domain/policy/ConversionPolicy.js'
import { collectHourFacts } from '../../domain/policy/collectHourFacts.js'
import { trailingPercentile } from '../../domain/policy/trailingPercentile.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/** Per replayed market, the gas percentile of each hour, window and percentile. */
const cheapGasByMarket = new WeakMap<BacktestReplay['market'], Map<string, bigint | undefined>>()

/**
 * Collects what a run's conversion policy decides on at an hour (`collectHourFacts`, as the live
 * monitor does): the run's detection and hysteresis verdict, the hour's prices, each token's
 * trailing volatility from the history, the hourly gas prices of the last `gasWindowHours`
 * hours up to this one, and the claim's gas units of the strategy.
 */
export function collectRunFacts(replay: BacktestReplay, state: RunState, hour: ReplayHour, conversionPolicy: ConversionPolicy): HourFacts {
  const { market } = replay
  // The hour's gas percentile is the same for every run with the same window and percentile:
  // worked out once per hour (sorting the window at every run and hour took half a grid's CPU).
  let percentiles = cheapGasByMarket.get(market)
  if (percentiles === undefined) {
    percentiles = new Map()
    cheapGasByMarket.set(market, percentiles)
  }
  const key = `${hour.index}|${conversionPolicy.gasWindowHours}|${conversionPolicy.gasPercentile}`
  let cheapGasWei = percentiles.get(key)
  if (!percentiles.has(key)) {
    const first = Math.max(0, hour.index - conversionPolicy.gasWindowHours + 1)
    const window: bigint[] = []
    for (let index = first; index <= hour.index; index++) window.push(market.gasPriceWei(index))
    cheapGasWei = trailingPercentile(window, conversionPolicy.gasPercentile)
    percentiles.set(key, cheapGasWei)
  }
  return collectHourFacts({
    cheapGasWei,
    policy: state.policy,
    conversionPolicy,
    snapshot: state.detection.snapshot,
    exceedsThreshold: state.exceedsThreshold,
    priceBook: hour.priceBook,
    volatility: (token) => market.volatility(token, hour.index),
    gasSamples: [market.gasPriceWei(hour.index)],
    claimGasUnits: replay.planning.gasUnits.claim + (replay.planning.gasUnits.perOnchainStep ?? 0n),
    native: replay.natives.get(replay.chain),
  })
}
