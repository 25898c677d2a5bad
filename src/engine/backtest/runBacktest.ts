import type { RewardCredit } from '../../domain/backtest/rewardSchedule.js'
import type { DustPolicy, Holding } from '../../domain/dust/index.js'
import { Amount, type Currency, Fraction, type PriceBook } from '../../domain/money/index.js'
import { SKIP_REASONS } from '../../domain/planning/SkipReason.js'
import { BaseError } from '../../errors/index.js'
import type { BacktestReplay, ReplayHour, RunSpec } from './BacktestReplay.js'
import type { BacktestRunResult } from './BacktestRunResult.js'
import { applyConversion } from './applyConversion.js'
import { type PlanningRequest, choosePlanning } from './choosePlanning.js'
import { type DustDetector, createDustDetector } from './createDustDetector.js'
import { liquidateRun } from './liquidateRun.js'
import { planRunConversions } from './planRunConversions.js'
import { holdingsWith, refreshHoldings } from './refreshHoldings.js'
import { type RunState, createRunState } from './RunState.js'
import { scheduleCredits } from './scheduleCredits.js'
import { scoreHour } from './scoreHour.js'
import { summarizeRun } from './summarizeRun.js'

/** The replay's market and the strategy's settings (see `BacktestReplay`), the rewards, and the runs. */
export type RunBacktestParameters = Pick<BacktestReplay, 'market' | 'registry' | 'natives' | 'planning' | 'gasPriceCaps' | 'chain' | 'rewardsVenue' | 'costAware'> & {
  /** Rewards in time order, amounts in whole tokens. */
  readonly credits: readonly RewardCredit[]
  /** The strategy's dust policy; each run replaces its `dustDelta`. */
  readonly policy: DustPolicy
  /** The runs: a policy with its `dust_delta`. */
  readonly runs: readonly RunSpec[]
  /** Which runs keep their hourly ratios (for plots). */
  readonly keepRatios?: ((run: RunSpec) => boolean) | undefined
  /** Told of the hours replayed, about a hundred times over the replay. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined
  /** Stops the replay (at the next 1 % of hours) with an `interrupted` error. */
  readonly signal?: AbortSignal | undefined
  /**
   * The first hour scored, in ms (the first replayed by default). The hours before it are a
   * warm-up: replayed as any other (rewards credited, dust detected and converted), but left out
   * of every run's results, which count only the hours from it on. What a run holds at that hour
   * carries into them, as it would live.
   */
  readonly scoreFrom?: number | undefined
}

export type RunBacktestReturnType = {
  readonly runs: BacktestRunResult[]
  /** What the position received over the replay, per token. */
  readonly received: ReadonlyMap<string, Amount>
  /** Every credit valued at its hour's price, as if converted at once and for free. */
  readonly ideal: Amount
  /** Credits due outside the replayed hours, left out. */
  readonly creditsOutside: number
}

const HOUR = 3_600_000
const WEEK = 7 * 24 * HOUR
/** 1970-01-05 was a Monday: Mondays at 00:00 UTC are this plus whole weeks. */
const FIRST_MONDAY = 4 * 24 * HOUR

/** The first hour of the replay; a replay needs at least one. */
function firstHour(hours: readonly number[]): number {
  const first = hours[0]
  if (first === undefined) throw new BaseError('The backtest has no hour to replay.', { code: 'invalid_parameter', details: 'Expected a history of at least one hour, found none.' })
  return first
}

/** Opens a run's hour: the hour's rewards become claimable, the dust is detected, and a new peak ratio is kept. */
function openHour(replay: BacktestReplay, detect: DustDetector, state: RunState, hour: ReplayHour): void {
  if (hour.credited) {
    for (const amount of hour.credited) {
      const symbol = amount.currency.symbol
      state.claimable.set(symbol, (state.claimable.get(symbol) ?? Amount.zero(amount.currency)).add(amount))
    }
    refreshHoldings(replay, state)
  }
  detect(state, hour)
  // The peak counts the ratio a conversion this hour brings down, too.
  if (state.detection.scaled > state.maxScaled) {
    state.maxScaled = state.detection.scaled
    state.maxRatio = state.detection.snapshot.dustRatio
    state.maxRatioAt = hour.at
  }
}

/** Plans the run's conversions, fills them as quoted, and detects the dust left. */
async function convert(replay: BacktestReplay, detect: DustDetector, state: RunState, hour: ReplayHour, request: PlanningRequest): Promise<void> {
  const instructions = await planRunConversions(replay, state, hour, request)
  if (instructions.length === 0) return
  for (const instruction of instructions) applyConversion(replay, state, instruction, hour)
  refreshHoldings(replay, state)
  detect(state, hour)
}

/** Closes a run's hour: the hour counts at its post-decision ratio (never above the peak checked before the decision) and dust risk. */
function closeHour(replay: BacktestReplay, state: RunState, hour: ReplayHour): void {
  state.ratioSum += state.detection.scaled
  scoreHour(replay, state, hour)
  if (state.ratios) state.ratios[hour.index] = state.detection.scaled
}

/**
 * Starts a run's scored hours: its results so far (conversions, costs, proceeds, ratios, risk,
 * skip counts) are set back to nothing, while what it holds and its hysteresis state stay.
 */
function startScoring(state: RunState, at: number): void {
  const zero = Amount.zero(state.policy.shareClass)
  state.proceeds = zero
  state.totalCost = zero
  state.convertedValue = zero
  state.conversions.length = 0
  state.ratioSum = 0n
  state.riskSum = 0n
  state.maxRatio = Fraction.ZERO
  state.maxScaled = 0n
  state.maxRatioAt = at
  for (const reason of SKIP_REASONS) delete state.skipped[reason]
}

/** Holdings valued in the share class at a price book, each rounded down; a token without a price counts nothing. */
function valueHeld(holdings: readonly Holding[], book: PriceBook, shareClass: Currency): Amount {
  let value = Amount.zero(shareClass)
  for (const holding of holdings) {
    const price = book.price(holding.amount.currency, shareClass)
    if (price) value = value.add(price.quoteAmount(holding.amount, 'down'))
  }
  return value
}

/** The index of the first hour at or after `scoreFrom` (0 without it); an error when no hour is. */
function scoreIndexOf(hours: readonly number[], scoreFrom: number | undefined): number {
  if (scoreFrom === undefined) return 0
  const index = hours.findIndex((at) => at >= scoreFrom)
  if (index < 0) {
    throw new BaseError('The backtest has no hour to score.', {
      code: 'invalid_parameter',
      details: `Expected an hour at or after ${new Date(scoreFrom).toISOString()}, found the last at ${new Date(hours.at(-1) ?? 0).toISOString()}.`,
    })
  }
  return index
}

/** Prices a run's liquidation at an hour (`liquidateRun`), once per set of holdings: runs holding the same pay the same. */
function liquidationsAt(replay: BacktestReplay, detect: DustDetector, hour: ReplayHour): (state: RunState) => Promise<Amount> {
  const known = new Map<string, Amount>()
  return async (state) => {
    const cached = known.get(state.signature)
    if (cached) return cached
    const cost = await liquidateRun(replay, detect, state, hour)
    known.set(state.signature, cost)
    return cost
  }
}

/** Tells of progress every `every` hours and gives the event loop a turn, so timers (a progress bar) and the stop signal get through. */
async function reportProgress(parameters: RunBacktestParameters, done: number, total: number, every: number): Promise<void> {
  if (done % every !== 0 && done !== total) return
  parameters.onProgress?.(done, total)
  await new Promise<void>((resolve) => setImmediate(resolve))
  if (parameters.signal?.aborted) {
    throw new BaseError(`The backtest was interrupted after ${done} of ${total} hours; nothing was written.`, { code: 'interrupted' })
  }
}

/**
 * Replays the history hour by hour for every run, with the live detection (`detectDust`) and
 * planning (`planConversions`) code: rewards arrive as claimable tokens at their hour, each
 * policy decides when to plan, and each chosen route is filled as quoted on that hour's venues
 * (a claim, then an approval and swap on the DEX, or a transfer and market sell on the CEX).
 *
 * Each hour of each run is: `openHour` (credit, detect, peak), `choosePlanning`, then when it
 * plans `convert` (plan, fill, detect again), and `closeHour` (the hour's ratio).
 *
 * After the last hour, each run is charged what selling the dust it still holds would cost
 * (`liquidateRun`), less what the dust it carried into its first scored hour adds to selling the
 * scored hours' rewards, all priced at the last hour: its all-in cost, which no run lowers by
 * leaving dust unsold, nor raises by selling what it inherited.
 *
 * Equity is the weETH position's value, the same for every run, so ratios compare across
 * policies. All runs advance together, so every hour's prices and venues are built once.
 */
export async function runBacktest(parameters: RunBacktestParameters): Promise<RunBacktestReturnType> {
  const { market, policy: basePolicy, registry } = parameters
  const { hours } = market
  const shareClass = basePolicy.shareClass
  const first = firstHour(hours)
  const { natives, planning, gasPriceCaps, chain, rewardsVenue, costAware } = parameters
  const replay: BacktestReplay = { market, basePolicy, shareClass, registry, natives, planning, gasPriceCaps, chain, rewardsVenue, costAware }
  const scoreIndex = scoreIndexOf(hours, parameters.scoreFrom)
  const { creditsAt, received, ideal, scoredIdeal, creditsOutside } = scheduleCredits({ market, credits: parameters.credits, registry, shareClass, scoreIndex })
  const carried = new Map<RunState, Pick<RunState, 'holdings' | 'signature'>>()
  const carriedValue = new Map<RunState, Amount>()
  const states = parameters.runs.map((spec) => createRunState(replay, { spec, first, hours: hours.length, keepRatios: parameters.keepRatios?.(spec) === true }))
  const detect = createDustDetector(replay)
  const progressEvery = Math.max(1, Math.floor(hours.length / 100))
  for (const [index, at] of hours.entries()) {
    const hour: ReplayHour = { index, at, priceBook: market.priceBook(index), credited: creditsAt.get(index), monday: (at - FIRST_MONDAY) % WEEK === 0 }
    if (index === scoreIndex && index > 0) {
      for (const state of states) {
        // What the run carried in, priced at the end as what it ends with is: its all-in cost starts from it.
        carried.set(state, { holdings: [...state.holdings], signature: state.signature })
        // Its ideal starts from it too: the carried dust converted at once, for free, at this hour's prices.
        carriedValue.set(state, valueHeld(state.holdings, hour.priceBook, shareClass))
        startScoring(state, at)
      }
    }
    for (const state of states) {
      openHour(replay, detect, state, hour)
      const request = choosePlanning(replay, state, hour)
      if (request) await convert(replay, detect, state, hour, request)
      closeHour(replay, state, hour)
    }
    await reportProgress(parameters, index + 1, hours.length, progressEvery)
  }
  const lastIndex = hours.length - 1
  const lastBook = market.priceBook(lastIndex)
  const lastAt = hours[lastIndex] ?? first
  const liquidateLast = liquidationsAt(replay, detect, { index: lastIndex, at: lastAt, priceBook: lastBook, credited: undefined, monday: false })
  // Both ends are priced at the last hour (its books, pools and gas): the two differ only by what the run held.
  const closing = new Map<RunState, Amount>()
  const opening = new Map<RunState, Amount>()
  // The rewards of the scored hours, the same for every run: what the carried dust is weighed against.
  const scoredCredits: Amount[] = []
  for (const [index, amounts] of creditsAt) if (index >= scoreIndex) scoredCredits.push(...amounts)
  for (const state of states) {
    closing.set(state, await liquidateLast(state))
    const held = carried.get(state)
    // The carried dust's share: what it adds to selling the scored hours' rewards at the last hour
    // (`L(carried + rewards) − L(rewards)`). Priced alone it would also be credited the claim,
    // approval and deposit gas that one sale of everything pays once, so a run that carried dust
    // and sold nothing would cost less than selling what it received; weighed so, whatever a run
    // does with it (sells it in the scored hours or holds it to the end), its credit is the same.
    if (held) {
      const both = await liquidateLast({ ...state, ...holdingsWith(replay, held.holdings, scoredCredits) })
      const rewardsOnly = await liquidateLast({ ...state, ...holdingsWith(replay, [], scoredCredits) })
      opening.set(state, both.subtract(rewardsOnly))
    }
  }
  // Equity is the same for every run: summed once, it sizes each run's risk.
  let equityRaw = 0n
  for (let index = scoreIndex; index < hours.length; index += 1) equityRaw += market.equity(index).raw
  const equitySum = Amount.fromRaw(shareClass, equityRaw)
  const zero = Amount.zero(shareClass)
  const runs = states.map((state) =>
    summarizeRun(state, {
      shareClass,
      lastBook,
      hours: hours.length - scoreIndex,
      // The ideal of the scored hours: their rewards, and what the run carried into them, each converted at once for free.
      ideal: scoredIdeal.add(carriedValue.get(state) ?? zero),
      equitySum,
      openingLiquidationCost: opening.get(state) ?? zero,
      liquidationCost: closing.get(state) ?? zero,
    }),
  )
  return { runs, received, ideal, creditsOutside }
}
