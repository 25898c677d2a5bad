import { detectDust } from '../../domain/dust/index.js'
import { Amount } from '../../domain/money/index.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import { RATIO_SCALE } from './BacktestRunResult.js'
import type { PlanningRequest } from './choosePlanning.js'
import { planRunConversions } from './planRunConversions.js'
import type { RunState } from './RunState.js'
import { valueAndCost } from './valueAndCost.js'

/** Every dust token, whatever the ratio: what selling all of it would take. */
const EVERYTHING: PlanningRequest = { ignoreThreshold: true, weighRisk: false }

/**
 * What it would cost a run to end flat at an hour: every dust token it holds (claimable or in
 * the wallet) planned for conversion by the live planner on the hour's venues, whatever the
 * ratio, and the fees, price impact and gas (claims included) of those routes summed, plus, at
 * the hour's price, the value of any dust no route could sell (below a minimum, no route, an
 * amount step's remainder): counted as lost, against ourselves. The run itself is left as it
 * was: nothing is filled, and its skip counts and detection stay.
 */
export async function liquidateRun(replay: BacktestReplay, state: RunState, hour: ReplayHour): Promise<Amount> {
  const zero = Amount.zero(replay.shareClass)
  if (state.holdings.length === 0) return zero
  const { snapshot } = detectDust({
    policy: state.policy,
    holdings: state.holdings,
    priceBook: hour.priceBook,
    equity: replay.market.equity(hour.index),
    timestamp: hour.at,
  })
  if (snapshot.dustTokens.length === 0) return zero
  const scaled = (snapshot.dustRatio.numerator * RATIO_SCALE) / snapshot.dustRatio.denominator
  // A copy of the run's state to plan on: the planner's skip counts go to it, not to the run.
  const probe: RunState = { ...state, skipped: {}, detection: { snapshot, scaled } }
  const instructions = await planRunConversions(replay, probe, hour, EVERYTHING)
  let cost = zero
  let sold = zero
  for (const instruction of instructions) {
    const route = valueAndCost(instruction.chosen)
    cost = cost.add(route.cost)
    sold = sold.add(route.value)
  }
  const unsold = snapshot.totalDustValue.subtract(sold)
  return unsold.isPositive() ? cost.add(unsold) : cost
}
