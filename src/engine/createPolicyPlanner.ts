import { trailingVolatility } from '../domain/backtest/holdingRisk.js'
import { classifyToken } from '../domain/dust/index.js'
import type { Fraction } from '../domain/money/index.js'
import type { ConversionDecision, ConversionPolicy, HourFacts } from '../domain/policy/ConversionPolicy.js'
import { collectHourFacts } from '../domain/policy/collectHourFacts.js'
import { decideConversions } from '../domain/policy/decideConversions.js'
import { describeHold } from '../domain/policy/describeHold.js'
import type { DustPolicyDecisionJson, DustWarningRaised } from '../domain/events.js'
import { redactUrls } from '../errors/index.js'
import type { Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { type PlanConversionsReturnType, planConversions } from './planConversions.js'
import { planPolicyConversions, planPolicyDecision } from './planPolicyConversions.js'
import type { ScanStrategyReturnType } from './scanStrategy.js'

const HOUR = 3_600_000

/** What the live monitor has seen of one strategy's market, one sample per clock hour, oldest first. */
type Observed = { readonly gas: Hourly<bigint>; readonly prices: Map<string, Hourly<Fraction>> }

export type PolicyPlan = PlanConversionsReturnType & {
  /** Whether the policy converts this cycle (a plan is still made for show when it does not). */
  readonly decided: boolean
  readonly facts?: HourFacts | undefined
  readonly decision?: ConversionDecision | undefined
}

/**
 * What a strategy's policy decided this cycle, and why, as `dust plan`, `dust run` and the
 * `dust_checked` and `dust_detected` events say it: the decision's reason when it converts; when
 * it holds, the snapshot being incomplete (the policy was not asked), or what of its rule the
 * hour's dust and gas did not meet (`describeHold`).
 */
export function policyDecisionOf(policy: ConversionPolicy, planned: PolicyPlan): DustPolicyDecisionJson {
  const why = planned.decision ? planned.decision.why : !planned.facts ? 'the snapshot is incomplete, and nothing is decided on partial data' : describeHold(policy, planned.facts)
  return { name: policy.name, converts: planned.decided, why }
}

/** Whether a strategy's `dust_policy` decides each cycle: any policy but the seed's threshold (which is also the default). */
export function decidesByPolicy(strategy: Pick<Strategy, 'conversionPolicy'>): boolean {
  return strategy.conversionPolicy !== undefined && strategy.conversionPolicy.name !== 'threshold'
}

/** The live monitor's side of a conversion policy: plans by the policy's decision, or answers `undefined` for the seed's threshold. */
export type PolicyPlanner = {
  plan(strategy: Strategy, scan: ScanStrategyReturnType, inFlight: ReadonlySet<string>): Promise<PolicyPlan | undefined>
}

/** One value per clock hour, oldest first. */
type Hourly<T> = Array<{ readonly hour: number; value: T }>

/**
 * Records this cycle's value as its hour's sample (in place of an earlier one of the same hour),
 * forgets the samples older than the last `keepHours` clock hours, and returns the values. The
 * window is one of hours, not of samples: hours the monitor did not run are absent, never made up
 * by older samples. With `contiguous`, a missing hour (or a clock gone back) starts the series
 * afresh, so that each step of it is one hour, as a volatility of hourly returns needs.
 */
function record<T>(series: Hourly<T>, hour: number, value: T, keepHours: number, contiguous: boolean): T[] {
  const last = series[series.length - 1]
  if (last?.hour === hour) last.value = value
  else {
    if (last !== undefined && (last.hour > hour || (contiguous && last.hour !== hour - 1))) series.length = 0
    series.push({ hour, value })
  }
  let stale = 0
  while (stale < series.length && (series[stale]?.hour ?? hour) <= hour - keepHours) stale += 1
  if (stale > 0) series.splice(0, stale)
  return series.map((sample) => sample.value)
}

/**
 * Creates the live monitor's policy planner. For a strategy whose `conversionPolicy` is not the
 * seed's `threshold`, each cycle it collects the hour's facts as the backtest does
 * (`collectHourFacts`), asks `decideConversions`, and plans the decision with
 * `planPolicyDecision`. Gas prices (from the strategy's gas source of the dust's chain) and
 * prices of the dust in the share class are kept in memory, one sample per clock hour (the last
 * seen in it; the current cycle's for the current hour): the gas percentile is taken over the
 * hours of the last `gasWindowHours` the monitor has seen, and the volatility over its hourly
 * prices since the last hour it missed (0 until three hours in a row are seen), so both fill up
 * again after a restart or an outage.
 */
export function createPolicyPlanner(deps: { logger: Logger }): PolicyPlanner {
  const observed = new Map<string, Observed>()

  /** The gas price the policy judges, from the gas source of the chain the dust is held on; a failure is said, as a warning of the plan. */
  async function gasPriceOf(strategy: Strategy, scan: ScanStrategyReturnType): Promise<{ chain: string | undefined; price: bigint | undefined; failure?: DustWarningRaised }> {
    const dust = scan.holdings.find((holding) => holding.custody.kind === 'onchain' && classifyToken(strategy.policy, holding.amount.currency.symbol) === 'dust')
    const chain = dust?.custody.kind === 'onchain' ? dust.custody.chain : strategy.gasPrices[0]?.chain
    const source = strategy.gasPrices.find((candidate) => candidate.chain === chain)
    if (!source) return { chain, price: undefined }
    try {
      return { chain, price: await source.fetchGasPrice() }
    } catch (error) {
      const mode = strategy.policy.mode
      // Whatever the source's error carries, no node URL (and so no key in one) goes on into a log or an event.
      const message = `Gas price of ${chain} failed for the dust policy, which decides on its budget alone this cycle: ${redactUrls(error instanceof Error ? error.message : String(error))}`
      deps.logger.warn({ strategy: mode, chain }, message)
      return { chain, price: undefined, failure: { event_type: 'dust_warning', strategy_mode: mode, timestamp: scan.snapshot.timestamp, code: 'source_failed', message } }
    }
  }

  return {
    async plan(strategy, scan, inFlight) {
      const conversionPolicy = strategy.conversionPolicy
      if (!conversionPolicy || !decidesByPolicy(strategy)) return undefined
      const { snapshot, priceBook } = scan
      if (snapshot.incomplete) return { ...(await planConversions(deps, { strategy, scan, inFlight })), decided: false }
      const mode = strategy.policy.mode
      const hour = Math.floor(snapshot.timestamp / HOUR)
      const seen = observed.get(mode) ?? { gas: [], prices: new Map() }
      observed.set(mode, seen)
      const { chain, price, failure } = await gasPriceOf(strategy, scan)
      // Without a gas price now, the policy decides as if gas were unknown (the budget alone), and the hour keeps no sample.
      const gasSamples = price === undefined ? [] : record(seen.gas, hour, price, conversionPolicy.gasWindowHours, false)
      const volatilities = new Map<string, bigint>()
      for (const dust of snapshot.dustTokens) {
        const token = dust.amount.currency
        const perToken = priceBook.price(token, strategy.policy.shareClass)?.perToken()
        if (!perToken || perToken.numerator <= 0n || volatilities.has(token.symbol)) continue
        const samples = seen.prices.get(token.symbol) ?? []
        seen.prices.set(token.symbol, samples)
        const series = record(samples, hour, perToken, conversionPolicy.volatilityHours + 1, true)
        volatilities.set(token.symbol, series.length < 3 ? 0n : (trailingVolatility(series, conversionPolicy.volatilityHours).at(-1) ?? 0n))
      }
      const facts = collectHourFacts({
        policy: strategy.policy,
        conversionPolicy,
        snapshot,
        exceedsThreshold: snapshot.exceedsThreshold,
        priceBook,
        volatility: (token) => volatilities.get(token.symbol) ?? 0n,
        gasSamples,
        claimGasUnits: strategy.planning.gasUnits.claim + (strategy.planning.gasUnits.perOnchainStep ?? 0n),
        native: chain === undefined ? undefined : strategy.natives.get(chain),
      })
      const decided = decideConversions(conversionPolicy, facts)
      // A plan is made for show when the policy holds: every dust token with its reason.
      const { decision, ...planned } = decided
        ? await planPolicyDecision(deps, { strategy, scan, inFlight, decision: decided, conversionPolicy, facts })
        : { ...(await planPolicyConversions(deps, { strategy, scan, inFlight, decision: { orders: [], why: 'the policy holds' } })), decision: undefined }
      return { ...planned, warnings: failure ? [failure, ...planned.warnings] : planned.warnings, decided: decided !== undefined, facts, decision }
    },
  }
}
