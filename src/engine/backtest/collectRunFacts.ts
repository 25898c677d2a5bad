import type { Amount } from '../../domain/money/index.js'
import { type ConversionPolicy, type HourFacts, minGasSamples } from '../../domain/policy/ConversionPolicy.js'
import { collectHourFacts } from '../../domain/policy/collectHourFacts.js'
import { priceClaim } from '../../domain/policy/priceClaim.js'
import { trailingPercentile } from '../../domain/policy/trailingPercentile.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/** Per replayed market, the gas percentile of each hour, window and percentile. */
const cheapGasByMarket = new WeakMap<BacktestReplay['market'], Map<string, bigint | undefined>>()
/** Per replay, what one claim costs at each hour. */
const claimCostByReplay = new WeakMap<BacktestReplay, Map<number, Amount | undefined>>()

/**
 * Collects what a run's conversion policy decides on at an hour (`collectHourFacts`, as the live
 * monitor does): the run's detection and hysteresis verdict, the hour's prices, each token's
 * trailing volatility from the history, the hourly gas prices of the last `gasWindowHours`
 * hours up to this one, and the claim's gas units of the strategy.
 */
export function collectRunFacts(replay: BacktestReplay, state: RunState, hour: ReplayHour, conversionPolicy: ConversionPolicy): HourFacts {
  // The facts depend on the run only through its detection (shared by the runs holding the same),
  // its hysteresis verdict and its token settings: worked out once per detection and verdict.
  const { detection, exceedsThreshold } = state
  const { gasWindowHours, gasPercentile } = conversionPolicy
  const { tokenSettings } = state.policy
  const facts = detection.facts
  // An indexed loop: this runs for every run at every hour, and allocates nothing.
  for (let index = 0; facts !== undefined && index < facts.length; index++) {
    const kept = facts[index]
    if (
      kept !== undefined &&
      kept.hour === hour.index &&
      kept.exceedsThreshold === exceedsThreshold &&
      kept.gasWindowHours === gasWindowHours &&
      kept.gasPercentile === gasPercentile &&
      kept.tokenSettings === tokenSettings
    )
      return kept.facts
  }
  const collected = collectFacts(replay, state, hour, conversionPolicy)
  detection.facts ??= []
  detection.facts.push({ hour: hour.index, exceedsThreshold, gasWindowHours, gasPercentile, tokenSettings, facts: collected })
  return collected
}

/** `collectRunFacts` worked out. */
function collectFacts(replay: BacktestReplay, state: RunState, hour: ReplayHour, conversionPolicy: ConversionPolicy): HourFacts {
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
    cheapGasWei = trailingPercentile(window, conversionPolicy.gasPercentile, minGasSamples(conversionPolicy.gasWindowHours))
    percentiles.set(key, cheapGasWei)
  }
  // What a claim costs is the hour's alone, too.
  let claimCosts = claimCostByReplay.get(replay)
  if (claimCosts === undefined) {
    claimCosts = new Map()
    claimCostByReplay.set(replay, claimCosts)
  }
  const claimGasUnits = replay.planning.gasUnits.claim + (replay.planning.gasUnits.perOnchainStep ?? 0n)
  const native = replay.natives.get(replay.chain)
  const gasPriceWei = market.gasPriceWei(hour.index)
  let claimCost = claimCosts.get(hour.index)
  if (!claimCosts.has(hour.index)) {
    claimCost = priceClaim({ priceBook: hour.priceBook, shareClass: state.policy.shareClass, native, claimGasUnits, gasPriceWei })
    claimCosts.set(hour.index, claimCost)
  }
  return collectHourFacts({
    cheapGasWei,
    claimCost,
    policy: state.policy,
    conversionPolicy,
    snapshot: state.detection.snapshot,
    exceedsThreshold: state.exceedsThreshold,
    priceBook: hour.priceBook,
    volatility: (token) => market.volatility(token, hour.index),
    gasSamples: [gasPriceWei],
    claimGasUnits,
    native,
  })
}
