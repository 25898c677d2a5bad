import { CONVERSION_POLICIES, type ConversionDecision, type ConversionPolicy, type ConversionPolicyName, DEFAULT_CONVERSION_POLICY, type HourFacts } from '../../domain/policy/ConversionPolicy.js'
import { decideConversions } from '../../domain/policy/decideConversions.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import type { BacktestReplay, ReplayHour, RunSpec } from './BacktestReplay.js'
import { collectRunFacts } from './collectRunFacts.js'
import type { RunState } from './RunState.js'

/** How a run plans this hour: past the threshold check or not, and whether each sale must outweigh the risk of holding on. */
export type PlanningRequest = {
  /** Plans every dust token, whether or not the ratio exceeds dust_delta. */
  readonly ignoreThreshold: boolean
  /** Keeps only the sales whose cost the risk of holding the token until the next receipt exceeds (the cost-aware policy). */
  readonly weighRisk: boolean
} & (
  | { readonly decision?: undefined }
  | {
      /** What a conversion policy (`dust_policy`) decided: only these tokens, amounts and venue kinds are planned. */
      readonly decision: ConversionDecision
      /** The policy that decided and the facts it decided on (`planPolicyDecision` may decide again without a token it cannot sell). */
      readonly conversionPolicy: ConversionPolicy
      readonly facts: HourFacts
    }
)

const ABOVE_THRESHOLD: PlanningRequest = { ignoreThreshold: false, weighRisk: false }
/** Every dust token, whatever the ratio (and whatever it would cost to hold on). */
export const EVERYTHING: PlanningRequest = { ignoreThreshold: true, weighRisk: false }
const WORTH_SELLING: PlanningRequest = { ignoreThreshold: true, weighRisk: true }

const SHARED: ReadonlySet<string> = new Set(CONVERSION_POLICIES)

/** Whether the live monitor's conversion policies (`decideConversions`) decide for this backtest policy. */
function isConversionPolicy(policy: BacktestPolicy): policy is ConversionPolicyName & BacktestPolicy {
  return SHARED.has(policy)
}

/** The conversion policy of a run: the defaults, the run's parameters, and its dust_delta as the risk budget. */
function runConversionPolicy(spec: RunSpec & { readonly policy: ConversionPolicyName }): ConversionPolicy {
  return { ...DEFAULT_CONVERSION_POLICY, ...spec.parameters, name: spec.policy, riskBudget: spec.dustDelta }
}

/** Decides, by the run's policy, whether it plans conversions this hour and how; `undefined` when it waits. */
export function choosePlanning(replay: BacktestReplay, state: RunState, hour: ReplayHour): PlanningRequest | undefined {
  if (state.holdings.length === 0) return undefined
  const { spec } = state
  switch (spec.policy) {
    // The seed's rule stays on its own path: exactly the decisions and plans it made before dust_policy.
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
  if (!isConversionPolicy(spec.policy)) return undefined
  // The run's policy never changes: built at its first decision and kept.
  state.conversionPolicy ??= runConversionPolicy({ ...spec, policy: spec.policy })
  const policy = state.conversionPolicy
  const facts = collectRunFacts(replay, state, hour, policy)
  const decision = decideConversions(policy, facts)
  return decision ? { ignoreThreshold: true, weighRisk: false, decision, conversionPolicy: policy, facts } : undefined
}
