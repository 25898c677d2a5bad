import { holdingRisk } from '../../domain/backtest/holdingRisk.js'
import type { DustSnapshot } from '../../domain/dust/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type { Logger } from '../../ports/index.js'
import type { Strategy } from '../Strategy.js'
import { planConversions } from '../planConversions.js'
import { planPolicyDecision } from '../planPolicyConversions.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import type { PlanningRequest } from './choosePlanning.js'
import type { RunState } from './RunState.js'
import { valueAndCost } from './valueAndCost.js'

const HOUR = 3_600_000

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** The strategy the live planner sees at an hour: the run's policy, the hour's venues and gas price, nothing to execute. */
function strategyAt(replay: BacktestReplay, state: RunState, hour: ReplayHour): Strategy {
  const { market, chain } = replay
  return {
    policy: state.policy,
    registry: replay.registry,
    natives: replay.natives,
    planning: replay.planning,
    balanceSources: [],
    priceSources: [],
    equitySource: {
      name: 'backtest',
      fetchEquity: () => Promise.reject(new Error('The backtest values equity itself.')),
    },
    venues: market.venues(hour.index),
    gasPrices: [{ chain, fetchGasPrice: async () => market.gasPriceWei(hour.index) }],
    gasPriceCaps: replay.gasPriceCaps,
    executionMode: 'dry-run',
    monitoringIntervalMs: HOUR,
  }
}

/** Whether the risk of holding the token until the next receipt outweighs what selling it now costs. */
function worthSelling(replay: BacktestReplay, hour: ReplayHour, instruction: DustConversionInstruction): boolean {
  const { horizonHours, riskMultiplier } = replay.costAware
  const { value, cost } = valueAndCost(instruction.chosen)
  const risk = holdingRisk(value, replay.market.volatility(instruction.chosen.amountIn.currency, hour.index), horizonHours, riskMultiplier)
  return !risk.lessThan(cost)
}

/**
 * Plans a run's conversions at an hour with the live planner (`planConversions`) on the hour's
 * venues, counts the tokens it left unconverted by reason (the threshold not being met aside),
 * and, for the cost-aware policy, keeps only the sales worth making. A conversion policy's
 * decision is planned as the live monitor plans it (`planPolicyDecision`).
 */
export async function planRunConversions(replay: BacktestReplay, state: RunState, hour: ReplayHour, request: PlanningRequest): Promise<readonly DustConversionInstruction[]> {
  const snapshot: DustSnapshot = { ...state.detection.snapshot, dustDelta: state.policy.dustDelta, exceedsThreshold: state.exceedsThreshold }
  const strategy = strategyAt(replay, state, hour)
  const scan = { snapshot, holdings: state.holdings, priceBook: hour.priceBook }
  const { plan } = request.decision
    ? await planPolicyDecision({ logger: silent }, { strategy, scan, decision: request.decision, conversionPolicy: request.conversionPolicy, facts: request.facts })
    : await planConversions({ logger: silent }, { strategy, scan, ignoreThreshold: request.ignoreThreshold })
  for (const skip of plan.skipped) {
    if (skip.reason !== 'below_threshold') state.skipped[skip.reason] = (state.skipped[skip.reason] ?? 0) + 1
  }
  return request.weighRisk ? plan.instructions.filter((instruction) => worthSelling(replay, hour, instruction)) : plan.instructions
}
