import { Amount } from '../../domain/money/index.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import { EVERYTHING } from './choosePlanning.js'
import type { DustDetector } from './createDustDetector.js'
import { planRunConversions } from './planRunConversions.js'
import type { RunState } from './RunState.js'
import { valueAndCost } from './valueAndCost.js'

/**
 * What it would cost a run to end flat at an hour: every dust token it holds (claimable or in
 * the wallet) planned for conversion by the live planner on the hour's venues, whatever the
 * ratio, and the fees, price impact and gas (claims included) of those routes summed, plus, at
 * the hour's price, the value of any dust no route could sell (below a minimum, no route, an
 * amount step's remainder): counted as lost, against ourselves. The dust is detected by the
 * replay's own detector, as a conversion at that hour would be. The run itself is left as it
 * was: nothing is filled, and its skip counts, detection and verdict stay.
 */
export async function liquidateRun(replay: BacktestReplay, detect: DustDetector, state: RunState, hour: ReplayHour): Promise<Amount> {
  const zero = Amount.zero(replay.shareClass)
  if (state.holdings.length === 0) return zero
  // A copy of the run to detect and plan on: the detection, the verdict and the skip counts go to it, not to the run.
  const probe: RunState = { ...state, skipped: {} }
  detect(probe, hour)
  const { snapshot } = probe.detection
  if (snapshot.dustTokens.length === 0) return zero
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
