import type { DustTokenSettings } from '../domain/dust/index.js'
import type { Amount } from '../domain/money/index.js'
import type { DustConversionInstruction, SkippedConversion } from '../domain/planning/ConversionPlan.js'
import type { ConversionDecision, ConversionOrder } from '../domain/policy/ConversionPolicy.js'
import type { DustWarningRaised } from '../domain/events.js'
import type { Logger } from '../ports/index.js'
import { type PlanConversionsParameters, type PlanConversionsReturnType, planConversions } from './planConversions.js'

export type PlanPolicyConversionsParameters = Pick<PlanConversionsParameters, 'strategy' | 'scan' | 'inFlight'> & {
  /** What the strategy's conversion policy decided this hour (`decideConversions`). */
  readonly decision: ConversionDecision
}

/** The orders that share one restriction of venue kinds, keyed by it. */
function byVenueKinds(orders: readonly ConversionOrder[]): Map<string, ConversionOrder[]> {
  const groups = new Map<string, ConversionOrder[]>()
  for (const order of orders) {
    const key = order.venueKinds ? [...order.venueKinds].sort().join('+') : ''
    groups.set(key, [...(groups.get(key) ?? []), order])
  }
  return groups
}

/**
 * Plans what a conversion policy decided with the live planner (`planConversions`), past the
 * threshold check: only the tokens ordered, each capped at the amount ordered (a partial
 * conversion sells at most that in each custody), on the venue kinds it is restricted to. The
 * dust tokens not ordered are reported as `below_threshold`: the policy holds them this hour.
 * The live monitor and the backtest both plan a policy's decision through here.
 */
export async function planPolicyConversions(deps: { logger: Logger }, parameters: PlanPolicyConversionsParameters): Promise<PlanConversionsReturnType> {
  const { strategy, scan, decision } = parameters
  const { policy } = strategy
  const ordered = new Set(decision.orders.map((order) => order.token))
  const instructions: DustConversionInstruction[] = []
  const skipped: SkippedConversion[] = []
  const warnings: DustWarningRaised[] = []
  for (const [key, orders] of byVenueKinds(decision.orders)) {
    const kinds = key === '' ? undefined : new Set(key.split('+'))
    const tokenSettings = new Map<string, DustTokenSettings>(policy.tokenSettings)
    for (const order of orders) {
      const settings = policy.tokenSettings.get(order.token)
      tokenSettings.set(order.token, { convert: settings?.convert ?? true, maxSellPerRun: settings?.maxSellPerRun ? settings.maxSellPerRun.min(order.amount) : order.amount })
    }
    const tokens = new Set(orders.map((order) => order.token))
    const planned = await planConversions(deps, {
      strategy: { ...strategy, policy: { ...policy, tokenSettings }, venues: kinds ? strategy.venues.filter((venue) => kinds.has(venue.kind)) : strategy.venues },
      scan: { ...scan, holdings: scan.holdings.filter((holding) => tokens.has(holding.amount.currency.symbol)) },
      inFlight: parameters.inFlight,
      ignoreThreshold: true,
    })
    instructions.push(...planned.plan.instructions)
    skipped.push(...planned.plan.skipped)
    warnings.push(...planned.warnings)
  }
  const held = new Map<string, Amount>()
  for (const dust of scan.snapshot.dustTokens) {
    const symbol = dust.amount.currency.symbol
    if (!ordered.has(symbol)) held.set(symbol, held.get(symbol)?.add(dust.amount) ?? dust.amount)
  }
  for (const [symbol, amount] of held) {
    skipped.push({ token: symbol, amount, reason: 'below_threshold', detail: `The dust policy of ${policy.mode} holds ${symbol} this hour.` })
  }
  return { plan: { snapshot: scan.snapshot, instructions, skipped }, warnings }
}
