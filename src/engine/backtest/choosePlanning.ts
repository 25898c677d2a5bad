import type { ReplayHour } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/** How a run plans this hour: past the threshold check or not, and whether each sale must outweigh the risk of holding on. */
export type PlanningRequest = {
  /** Plans every dust token, whether or not the ratio exceeds dust_delta. */
  readonly ignoreThreshold: boolean
  /** Keeps only the sales whose cost the risk of holding the token until the next receipt exceeds (the cost-aware policy). */
  readonly weighRisk: boolean
}

const ABOVE_THRESHOLD: PlanningRequest = { ignoreThreshold: false, weighRisk: false }
const EVERYTHING: PlanningRequest = { ignoreThreshold: true, weighRisk: false }
const WORTH_SELLING: PlanningRequest = { ignoreThreshold: true, weighRisk: true }

/** Decides, by the run's policy, whether it plans conversions this hour and how; `undefined` when it waits. */
export function choosePlanning(state: RunState, hour: ReplayHour): PlanningRequest | undefined {
  if (state.holdings.length === 0) return undefined
  switch (state.spec.policy) {
    case 'threshold':
      return state.exceedsThreshold ? ABOVE_THRESHOLD : undefined
    case 'every_receipt':
      return hour.credited ? EVERYTHING : undefined
    case 'weekly':
      return hour.monday ? EVERYTHING : undefined
    case 'cost_aware':
      if (state.exceedsThreshold) return ABOVE_THRESHOLD
      return hour.credited ? WORTH_SELLING : undefined
  }
}
