import { holdingRisk } from '../../domain/backtest/holdingRisk.js'
import type { RewardCredit } from '../../domain/backtest/rewardSchedule.js'
import { type DustPolicy, type DustSnapshot, type Holding, detectDust, evaluateThreshold } from '../../domain/dust/index.js'
import { Amount, type Currency, Fraction, type PriceBook } from '../../domain/money/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type { SkipReason } from '../../domain/planning/SkipReason.js'
import { BaseError } from '../../errors/index.js'
import type { Logger } from '../../ports/index.js'
import type { PlanningSettings, Strategy } from '../Strategy.js'
import { planConversions } from '../planConversions.js'
import type { BacktestMarket } from './createBacktestMarket.js'

/** The dust policies a backtest compares. */
export const BACKTEST_POLICIES = ['threshold', 'every_receipt', 'weekly', 'cost_aware'] as const
export type BacktestPolicy = (typeof BACKTEST_POLICIES)[number]

/** What each policy does, for reports and `--help`. */
export const POLICY_DESCRIPTIONS: Readonly<Record<BacktestPolicy, string>> = {
  threshold: "the seed's rule: convert every dust token once dust exceeds dust_delta of equity",
  every_receipt: 'convert everything at each reward receipt',
  weekly: 'convert everything on Mondays at 00:00 UTC',
  cost_aware:
    'at each receipt, sell a token when the risk of holding it until the next one (risk_multiplier σ of its move over horizon_hours) exceeds what selling it now costs; and always above dust_delta',
}

/** Policies whose decisions depend on `dust_delta`: a sweep runs them once per value. */
export const THRESHOLD_POLICIES: ReadonlySet<BacktestPolicy> = new Set(['threshold', 'cost_aware'])

/** One conversion a policy made. */
export type BacktestConversion = {
  readonly at: number
  readonly token: string
  readonly amount: Amount
  readonly venue: string
  readonly path: readonly string[]
  /** Value of what was sold at the hour's independent price. */
  readonly value: Amount
  /** Trading fees, price impact and gas, in the share class. */
  readonly cost: Amount
  /** What the share class gained: output less gas. */
  readonly netOutput: Amount
}

/** What one policy did over the replay. */
export type BacktestRunResult = {
  readonly policy: BacktestPolicy
  /** The `dust_delta` it ran with (the threshold and the cost-aware cap; reported for the others too). */
  readonly dustDelta: Fraction
  readonly conversions: readonly BacktestConversion[]
  /** Value of everything converted at the hour's price. */
  readonly convertedValue: Amount
  /** Fees, price impact and gas of every conversion. */
  readonly totalCost: Amount
  /** Hourly dust ratio averaged over the hours (each hour after that hour's conversions). */
  readonly meanDustRatio: Fraction
  /** Highest ratio seen, before or after the hour's conversions. */
  readonly maxDustRatio: Fraction
  readonly maxDustRatioAt: number
  /** Share class the conversions brought in. */
  readonly proceeds: Amount
  /** Dust still held at the last hour, at its price. */
  readonly remainingDustValue: Amount
  /** Proceeds plus the dust still held. */
  readonly result: Amount
  /** Plans that left a token unconverted, by reason (the threshold not being met is not counted). */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>
  /** Per hour, the dust ratio scaled by 10^18 (kept only for the runs asked for). */
  readonly ratios?: readonly bigint[] | undefined
}

export type RunBacktestParameters = {
  readonly market: BacktestMarket
  /** Rewards in time order, amounts in whole tokens. */
  readonly credits: readonly RewardCredit[]
  /** The strategy's dust policy; each run replaces its `dustDelta`. */
  readonly policy: DustPolicy
  readonly registry: ReadonlyMap<string, Currency>
  readonly natives: ReadonlyMap<string, Currency>
  readonly planning: PlanningSettings
  readonly gasPriceCaps?: ReadonlyMap<string, bigint> | undefined
  /** The chain the rewards are claimed on and the DEX trades on. */
  readonly chain: string
  readonly rewardsVenue: string
  /** The runs: a policy with its `dust_delta`. */
  readonly runs: ReadonlyArray<{ readonly policy: BacktestPolicy; readonly dustDelta: Fraction }>
  readonly costAware: { readonly horizonHours: number; readonly riskMultiplier: Fraction }
  /** Which runs keep their hourly ratios (for plots). */
  readonly keepRatios?: ((run: { policy: BacktestPolicy; dustDelta: Fraction }) => boolean) | undefined
  /** Told of the hours replayed, about a hundred times over the replay. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined
  /** Stops the replay (at the next 1 % of hours) with an `interrupted` error. */
  readonly signal?: AbortSignal | undefined
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

export const RATIO_SCALE = 10n ** 18n
const HOUR = 3_600_000
const WEEK = 7 * 24 * HOUR
/** 1970-01-05 was a Monday: Mondays at 00:00 UTC are this plus whole weeks. */
const FIRST_MONDAY = 4 * 24 * HOUR

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

type Detection = { readonly snapshot: DustSnapshot; readonly scaled: bigint }

type RunState = {
  readonly spec: { readonly policy: BacktestPolicy; readonly dustDelta: Fraction }
  readonly policy: DustPolicy
  readonly claimable: Map<string, Amount>
  readonly wallet: Map<string, Amount>
  holdings: Holding[]
  /** The holdings as a key: runs holding the same share one detection per hour. */
  signature: string
  /** This hour's detection, shared with the runs holding the same. */
  detection: Detection
  /** Whether the ratio exceeds this run's dust_delta now (the previous hour's answer until `detect` runs: the hysteresis reads it). */
  exceedsThreshold: boolean
  proceeds: Amount
  totalCost: Amount
  convertedValue: Amount
  readonly conversions: BacktestConversion[]
  ratioSum: bigint
  maxRatio: Fraction
  /** `maxRatio` scaled by 10^18, rounded down: compared each hour instead of the fraction. */
  maxScaled: bigint
  maxRatioAt: number
  readonly skipped: Partial<Record<SkipReason, number>>
  readonly ratios: bigint[] | undefined
}

/** A route's value at the hour's independent price, and what converting costs: fees, price impact and gas. */
function valueAndCost(chosen: DustConversionInstruction['chosen']): { value: Amount; cost: Amount } {
  return {
    value: chosen.estimatedOutput.add(chosen.tradingFees).add(chosen.priceImpact),
    cost: chosen.tradingFees.add(chosen.priceImpact).add(chosen.gasCost),
  }
}

function scaledRatio(ratio: Fraction): bigint {
  return (ratio.numerator * RATIO_SCALE) / ratio.denominator
}

/**
 * Replays the history hour by hour for every run, with the live detection (`detectDust`) and
 * planning (`planConversions`) code: rewards arrive as claimable tokens at their hour, each
 * policy decides when to plan, and each chosen route is filled as quoted on that hour's venues
 * (a claim, then an approval and swap on the DEX, or a transfer and market sell on the CEX).
 *
 * Equity is the weETH position's value, the same for every run, so ratios compare across
 * policies. All runs advance together, so every hour's prices and venues are built once.
 */
export async function runBacktest(parameters: RunBacktestParameters): Promise<RunBacktestReturnType> {
  const { market, policy: basePolicy, registry, chain, rewardsVenue } = parameters
  const { hours } = market
  const shareClass = basePolicy.shareClass
  const custody = { kind: 'onchain', chain } as const
  const first = hours[0] as number

  // Credits per hour index, amounts in base units rounded down.
  const creditsAt = new Map<number, Amount[]>()
  const received = new Map<string, Amount>()
  let ideal = Amount.zero(shareClass)
  let creditsOutside = 0
  for (const credit of parameters.credits) {
    // A credit inside an hour is usable from the next hour start (the schedule's are all on one).
    const index = Math.ceil((credit.at - first) / HOUR)
    if (credit.at < first || index > hours.length - 1) {
      creditsOutside += 1
      continue
    }
    const currency = registry.get(credit.token) as Currency
    const amount = Amount.fromTokens(currency, credit.amount, 'down')
    creditsAt.set(index, [...(creditsAt.get(index) ?? []), amount])
    received.set(credit.token, (received.get(credit.token) ?? Amount.zero(currency)).add(amount))
    const price = market.priceBook(index).price(currency, shareClass)
    if (price) ideal = ideal.add(price.quoteAmount(amount, 'down'))
  }

  const NO_DETECTION: Detection = {
    scaled: 0n,
    snapshot: {
      timestamp: first,
      strategyMode: basePolicy.mode,
      shareClass: shareClass.symbol,
      totalDustValue: Amount.zero(shareClass),
      dustTokens: [],
      unpricedTokens: [],
      equity: Amount.zero(shareClass),
      dustRatio: Fraction.ZERO,
      dustDelta: basePolicy.dustDelta,
      exceedsThreshold: false,
    },
  }
  const states: RunState[] = parameters.runs.map((spec) => ({
    spec,
    policy: { ...basePolicy, dustDelta: spec.dustDelta },
    claimable: new Map(),
    wallet: new Map(),
    holdings: [],
    signature: '',
    detection: NO_DETECTION,
    exceedsThreshold: false,
    proceeds: Amount.zero(shareClass),
    totalCost: Amount.zero(shareClass),
    convertedValue: Amount.zero(shareClass),
    conversions: [],
    ratioSum: 0n,
    maxRatio: Fraction.ZERO,
    maxScaled: 0n,
    maxRatioAt: first,
    skipped: {},
    ratios: parameters.keepRatios?.(spec) ? new Array<bigint>(hours.length) : undefined,
  }))

  const rebuildHoldings = (state: RunState) => {
    const holdings: Holding[] = []
    for (const amount of state.claimable.values()) if (amount.isPositive()) holdings.push({ amount, venue: rewardsVenue, source: 'claimable_rewards', custody })
    for (const amount of state.wallet.values()) if (amount.isPositive()) holdings.push({ amount, venue: 'wallet', source: 'wallet_balance', custody })
    state.holdings = holdings
    state.signature = holdings.map((holding) => `${holding.source}:${holding.amount.currency.symbol}:${holding.amount.raw}`).join('|')
  }

  const strategyAt = (index: number, policy: DustPolicy): Strategy => ({
    policy,
    registry,
    natives: parameters.natives,
    planning: parameters.planning,
    balanceSources: [],
    priceSources: [],
    equitySource: {
      name: 'backtest',
      fetchEquity: () => Promise.reject(new Error('The backtest values equity itself.')),
    },
    venues: market.venues(index),
    gasPrices: [{ chain, fetchGasPrice: async () => market.gasPriceWei(index) }],
    gasPriceCaps: parameters.gasPriceCaps,
    executionMode: 'dry-run',
    monitoringIntervalMs: HOUR,
  })

  // One detection per distinct set of holdings per hour (most runs hold the same most of the
  // time); each run then applies its own dust_delta and hysteresis with the detector's own rule.
  let detectedHour = -1
  const detected = new Map<string, Detection>()
  const detect = (state: RunState, index: number, priceBook: PriceBook): void => {
    if (detectedHour !== index) {
      detected.clear()
      detectedHour = index
    }
    let detection = detected.get(state.signature)
    if (!detection) {
      const { snapshot } = detectDust({ policy: basePolicy, holdings: state.holdings, priceBook, equity: market.equity(index), timestamp: hours[index] as number })
      detection = { snapshot, scaled: scaledRatio(snapshot.dustRatio) }
      detected.set(state.signature, detection)
    }
    state.detection = detection
    state.exceedsThreshold = evaluateThreshold({
      ratio: detection.snapshot.dustRatio,
      dustDelta: state.policy.dustDelta,
      hysteresis: state.policy.hysteresis,
      previouslyExceeded: state.exceedsThreshold,
    })
  }

  const execute = (state: RunState, instruction: DustConversionInstruction, index: number) => {
    const { chosen } = instruction
    const token = instruction.token
    state.claimable.delete(token)
    state.wallet.set(token, chosen.residual)
    for (const leftover of chosen.leftovers) {
      const symbol = leftover.currency.symbol
      if (symbol === shareClass.symbol) state.proceeds = state.proceeds.add(leftover)
      else state.wallet.set(symbol, (state.wallet.get(symbol) ?? Amount.zero(leftover.currency)).add(leftover))
    }
    const { value, cost } = valueAndCost(chosen)
    state.proceeds = state.proceeds.add(chosen.netOutput)
    state.totalCost = state.totalCost.add(cost)
    state.convertedValue = state.convertedValue.add(value)
    state.conversions.push({ at: hours[index] as number, token, amount: chosen.amountIn, venue: chosen.venue, path: chosen.path, value, cost, netOutput: chosen.netOutput })
  }

  const plan = async (state: RunState, index: number, priceBook: PriceBook, ignoreThreshold: boolean) => {
    const snapshot: DustSnapshot = { ...state.detection.snapshot, dustDelta: state.policy.dustDelta, exceedsThreshold: state.exceedsThreshold }
    const { plan: made } = await planConversions(
      { logger: silent },
      { strategy: strategyAt(index, state.policy), scan: { snapshot, holdings: state.holdings, priceBook }, ignoreThreshold },
    )
    for (const skip of made.skipped) {
      if (skip.reason !== 'below_threshold') state.skipped[skip.reason] = (state.skipped[skip.reason] ?? 0) + 1
    }
    return made.instructions
  }

  const { horizonHours, riskMultiplier } = parameters.costAware
  const progressEvery = Math.max(1, Math.floor(hours.length / 100))
  for (let index = 0; index < hours.length; index += 1) {
    const at = hours[index] as number
    const credited = creditsAt.get(index)
    const monday = (at - FIRST_MONDAY) % WEEK === 0
    const priceBook = market.priceBook(index)
    for (const state of states) {
      if (credited) {
        for (const amount of credited) {
          const symbol = amount.currency.symbol
          state.claimable.set(symbol, (state.claimable.get(symbol) ?? Amount.zero(amount.currency)).add(amount))
        }
        rebuildHoldings(state)
      }
      detect(state, index, priceBook)
      // The peak counts the ratio a conversion this hour brings down, too.
      if (state.detection.scaled > state.maxScaled) {
        state.maxScaled = state.detection.scaled
        state.maxRatio = state.detection.snapshot.dustRatio
        state.maxRatioAt = at
      }
      let instructions: readonly DustConversionInstruction[] = []
      if (state.holdings.length > 0) {
        switch (state.spec.policy) {
          case 'threshold':
            if (state.exceedsThreshold) instructions = await plan(state, index, priceBook, false)
            break
          case 'every_receipt':
            if (credited) instructions = await plan(state, index, priceBook, true)
            break
          case 'weekly':
            if (monday) instructions = await plan(state, index, priceBook, true)
            break
          case 'cost_aware':
            if (state.exceedsThreshold) instructions = await plan(state, index, priceBook, false)
            else if (credited) {
              const candidates = await plan(state, index, priceBook, true)
              instructions = candidates.filter((instruction) => {
                const { value, cost } = valueAndCost(instruction.chosen)
                const risk = holdingRisk(value, market.volatility(instruction.chosen.amountIn.currency, index), horizonHours, riskMultiplier)
                return !risk.lessThan(cost)
              })
            }
            break
        }
      }
      if (instructions.length > 0) {
        for (const instruction of instructions) execute(state, instruction, index)
        rebuildHoldings(state)
        detect(state, index, priceBook)
      }
      // The hour is held at its post-decision ratio (never above the peak checked before the decision).
      const detection = state.detection
      state.ratioSum += detection.scaled
      if (state.ratios) state.ratios[index] = detection.scaled
    }
    if ((index + 1) % progressEvery === 0 || index + 1 === hours.length) {
      parameters.onProgress?.(index + 1, hours.length)
      // A turn of the event loop every 1%: timers (a progress bar's redraw) and signals get through.
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (parameters.signal?.aborted) {
        throw new BaseError(`The backtest was interrupted after ${index + 1} of ${hours.length} hours; nothing was written.`, { code: 'interrupted' })
      }
    }
  }

  const lastIndex = hours.length - 1
  const lastBook = market.priceBook(lastIndex)
  const runs = states.map((state): BacktestRunResult => {
    let remaining = Amount.zero(shareClass)
    for (const holding of state.holdings) {
      const price = lastBook.price(holding.amount.currency, shareClass)
      if (price) remaining = remaining.add(price.quoteAmount(holding.amount, 'down'))
    }
    return {
      policy: state.spec.policy,
      dustDelta: state.spec.dustDelta,
      conversions: state.conversions,
      convertedValue: state.convertedValue,
      totalCost: state.totalCost,
      meanDustRatio: new Fraction(state.ratioSum, RATIO_SCALE * BigInt(hours.length)).reduce(),
      maxDustRatio: state.maxRatio,
      maxDustRatioAt: state.maxRatioAt,
      proceeds: state.proceeds,
      remainingDustValue: remaining,
      result: state.proceeds.add(remaining),
      skipped: state.skipped,
      ratios: state.ratios,
    }
  })
  return { runs, received, ideal, creditsOutside }
}
