import { trailingVolatility } from '../domain/backtest/holdingRisk.js'
import { classifyToken } from '../domain/dust/index.js'
import type { Fraction } from '../domain/money/index.js'
import type { ConversionDecision, HourFacts } from '../domain/policy/ConversionPolicy.js'
import { collectHourFacts } from '../domain/policy/collectHourFacts.js'
import { decideConversions } from '../domain/policy/decideConversions.js'
import type { Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import { type PlanConversionsReturnType, planConversions } from './planConversions.js'
import { planPolicyConversions } from './planPolicyConversions.js'
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

/** The live monitor's side of a conversion policy: plans by the policy's decision, or answers `undefined` for the seed's threshold. */
export type PolicyPlanner = {
  plan(strategy: Strategy, scan: ScanStrategyReturnType, inFlight: ReadonlySet<string>): Promise<PolicyPlan | undefined>
}

/** One value per clock hour, oldest first. */
type Hourly<T> = Array<{ readonly hour: number; value: T }>

/** Records this cycle's value as its hour's sample (in place of an earlier one of the same hour), keeps the last `keep`, and returns the values. */
function record<T>(series: Hourly<T>, hour: number, value: T, keep: number): T[] {
  const last = series[series.length - 1]
  if (last?.hour === hour) last.value = value
  else series.push({ hour, value })
  if (series.length > keep) series.splice(0, series.length - keep)
  return series.map((sample) => sample.value)
}

/**
 * Creates the live monitor's policy planner. For a strategy whose `conversionPolicy` is not the
 * seed's `threshold`, each cycle it collects the hour's facts as the backtest does
 * (`collectHourFacts`), asks `decideConversions`, and plans the decision with
 * `planPolicyConversions`. Gas prices (from the strategy's gas source of the dust's chain) and
 * prices of the dust in the share class are kept in memory, one sample per clock hour (the last
 * seen in it; the current cycle's for the current hour): the gas percentile and the volatility are
 * taken over what the monitor has seen since it started (volatility 0 until three hours are
 * seen), so they fill up over `gasWindowHours` and `volatilityHours` after a restart.
 */
export function createPolicyPlanner(deps: { logger: Logger }): PolicyPlanner {
  const observed = new Map<string, Observed>()

  async function gasPriceOf(strategy: Strategy, scan: ScanStrategyReturnType): Promise<{ chain: string | undefined; price: bigint | undefined }> {
    const dust = scan.holdings.find((holding) => holding.custody.kind === 'onchain' && classifyToken(strategy.policy, holding.amount.currency.symbol) === 'dust')
    const chain = dust?.custody.kind === 'onchain' ? dust.custody.chain : strategy.gasPrices[0]?.chain
    const source = strategy.gasPrices.find((candidate) => candidate.chain === chain)
    if (!source) return { chain, price: undefined }
    try {
      return { chain, price: await source.fetchGasPrice() }
    } catch (error) {
      deps.logger.warn({ strategy: strategy.policy.mode, chain }, `Gas price of ${chain} failed for the dust policy: ${error instanceof Error ? error.message : String(error)}`)
      return { chain, price: undefined }
    }
  }

  return {
    async plan(strategy, scan, inFlight) {
      const conversionPolicy = strategy.conversionPolicy
      if (!conversionPolicy || conversionPolicy.name === 'threshold') return undefined
      const { snapshot, priceBook } = scan
      if (snapshot.incomplete) return { ...(await planConversions(deps, { strategy, scan, inFlight })), decided: false }
      const mode = strategy.policy.mode
      const hour = Math.floor(snapshot.timestamp / HOUR)
      const seen = observed.get(mode) ?? { gas: [], prices: new Map() }
      observed.set(mode, seen)
      const { chain, price } = await gasPriceOf(strategy, scan)
      // Without a gas price now, the policy decides as if gas were unknown (the budget alone), and the hour keeps no sample.
      const gasSamples = price === undefined ? [] : record(seen.gas, hour, price, conversionPolicy.gasWindowHours)
      const volatilities = new Map<string, bigint>()
      for (const dust of snapshot.dustTokens) {
        const token = dust.amount.currency
        const perToken = priceBook.price(token, strategy.policy.shareClass)?.perToken()
        if (!perToken || perToken.numerator <= 0n || volatilities.has(token.symbol)) continue
        const samples = seen.prices.get(token.symbol) ?? []
        seen.prices.set(token.symbol, samples)
        const series = record(samples, hour, perToken, conversionPolicy.volatilityHours + 1)
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
      const decision = decideConversions(conversionPolicy, facts)
      const planned = await planPolicyConversions(deps, { strategy, scan, inFlight, decision: decision ?? { orders: [], why: 'the policy holds' } })
      return { ...planned, decided: decision !== undefined, facts, decision }
    },
  }
}
