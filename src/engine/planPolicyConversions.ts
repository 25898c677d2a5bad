import { type DustTokenSettings, classifyToken } from '../domain/dust/index.js'
import type { Amount } from '../domain/money/index.js'
import type { DustConversionInstruction, SkippedConversion } from '../domain/planning/ConversionPlan.js'
import type { ConversionDecision, ConversionOrder, ConversionPolicy, HourFacts } from '../domain/policy/ConversionPolicy.js'
import { decideConversions } from '../domain/policy/decideConversions.js'
import type { DustWarningRaised } from '../domain/events.js'
import type { ConversionVenue, Logger } from '../ports/index.js'
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

/** Why a token the policy does not order this hour is not converted: its own setting or price first, else the policy's hold. */
function heldReason(parameters: PlanPolicyConversionsParameters, symbol: string, amount: Amount): SkippedConversion {
  const { strategy, scan } = parameters
  const { policy } = strategy
  if (policy.tokenSettings.get(symbol)?.convert === false) return { token: symbol, amount, reason: 'disabled', detail: `${symbol} has convert: false in dust_tokens.` }
  if (!scan.priceBook.price(amount.currency, policy.shareClass)) {
    return { token: symbol, amount, reason: 'unpriced', detail: `${symbol} has no price in ${policy.shareClass.symbol}; it is not converted until it has one.` }
  }
  return { token: symbol, amount, reason: 'below_threshold', detail: `The dust policy of ${policy.mode} holds ${symbol} this hour.` }
}

/**
 * The venues an order restricted to `kinds` is planned on. When the strategy has no venue of those
 * kinds at all (a `venue_size` sale sent to a CEX by a strategy that trades on a DEX only), the
 * restriction cannot be kept and the dust is over the budget: it is planned on every venue.
 */
function venuesOf(venues: readonly ConversionVenue[], kinds: ReadonlySet<string> | undefined): readonly ConversionVenue[] {
  if (kinds === undefined) return venues
  const allowed = venues.filter((venue) => kinds.has(venue.kind))
  return allowed.length > 0 ? allowed : venues
}

/**
 * Plans what a conversion policy decided with the live planner (`planConversions`), past the
 * threshold check: only the tokens ordered, each capped at the amount ordered (a partial
 * conversion sells at most that in each custody), on the venue kinds it is restricted to (every
 * venue when the strategy has none of those kinds). The dust tokens not ordered are reported with
 * their own reason when they have one (`disabled`, `unpriced`), as `below_threshold` otherwise:
 * the policy holds them this hour. The live monitor and the backtest both plan a policy's
 * decision through here (by way of `planPolicyDecision`).
 */
export async function planPolicyConversions(deps: { logger: Logger }, parameters: PlanPolicyConversionsParameters): Promise<PlanConversionsReturnType> {
  const { strategy, scan, decision } = parameters
  const { policy } = strategy
  const ordered = new Set(decision.orders.map((order) => order.token))
  const instructions: DustConversionInstruction[] = []
  const skipped: SkippedConversion[] = []
  const warnings: DustWarningRaised[] = []
  for (const [key, orders] of byVenueKinds(decision.orders)) {
    const kinds = key === '' ? undefined : new Set<string>(key.split('+'))
    const tokenSettings = new Map<string, DustTokenSettings>(policy.tokenSettings)
    for (const order of orders) {
      const settings = policy.tokenSettings.get(order.token)
      tokenSettings.set(order.token, { convert: settings?.convert ?? true, maxSellPerRun: settings?.maxSellPerRun ? settings.maxSellPerRun.min(order.amount) : order.amount })
    }
    const tokens = new Set(orders.map((order) => order.token))
    const venues = venuesOf(strategy.venues, kinds)
    const planned = await planConversions(deps, {
      strategy: { ...strategy, policy: { ...policy, tokenSettings }, venues },
      scan: { ...scan, holdings: scan.holdings.filter((holding) => tokens.has(holding.amount.currency.symbol)) },
      inFlight: parameters.inFlight,
      ignoreThreshold: true,
    })
    instructions.push(...planned.plan.instructions)
    const restricted = venues !== strategy.venues ? ` (the dust policy sends this sale to ${[...(kinds ?? [])].sort().join(' or ')} venues only: ${venues.map((venue) => venue.name).join(', ')})` : ''
    for (const skip of planned.plan.skipped) {
      skipped.push(restricted && (skip.reason === 'no_route' || skip.reason === 'custody_unreachable') ? { ...skip, detail: `${skip.detail}${restricted}` } : skip)
    }
    warnings.push(...planned.warnings)
  }
  const held = new Map<string, Amount>()
  for (const holding of scan.holdings) {
    const symbol = holding.amount.currency.symbol
    if (ordered.has(symbol) || !holding.amount.isPositive() || classifyToken(policy, symbol) !== 'dust') continue
    held.set(symbol, held.get(symbol)?.add(holding.amount) ?? holding.amount)
  }
  for (const [symbol, amount] of held) skipped.push(heldReason(parameters, symbol, amount))
  return { plan: { snapshot: scan.snapshot, instructions, skipped }, warnings }
}

export type PlanPolicyDecisionParameters = PlanPolicyConversionsParameters & {
  readonly conversionPolicy: ConversionPolicy
  /** The facts `decision` was made on (`collectHourFacts`). */
  readonly facts: HourFacts
}

export type PlanPolicyDecisionReturnType = PlanConversionsReturnType & {
  /** The decision planned: the one given, or, under `riskiest_first`, the one that passes over the tokens that could not be sold. */
  readonly decision: ConversionDecision
}

/**
 * Plans a policy's decision (`planPolicyConversions`); under `riskiest_first`, a token ordered that
 * the planner cannot sell now (no route, under a venue's minimum, a conversion in flight, …) is
 * passed over, and the decision is taken again without it, so that the next tokens in rank bring
 * the dust down instead of the policy stalling over its budget. The tokens passed over keep the
 * planner's reason, and every round's warnings are kept. The live monitor and the backtest both
 * plan through here.
 */
export async function planPolicyDecision(deps: { logger: Logger }, parameters: PlanPolicyDecisionParameters): Promise<PlanPolicyDecisionReturnType> {
  const { conversionPolicy, facts } = parameters
  let decision = parameters.decision
  let planned = await planPolicyConversions(deps, parameters)
  if (conversionPolicy.name !== 'riskiest_first') return { ...planned, decision }
  const unsellable = new Set<string>()
  const reasons = new Map<string, SkippedConversion[]>()
  // Every round's warnings are kept (a venue that failed to quote a token passed over is still said), each once.
  const warnings = new Map<string, DustWarningRaised>()
  const keep = (round: readonly DustWarningRaised[]) => {
    for (const warning of round) warnings.set(JSON.stringify([warning.code, warning.venue, warning.token, warning.message]), warning)
  }
  // Each round passes over at least one more token, so there are at most as many rounds as tokens.
  for (;;) {
    keep(planned.warnings)
    const sold = new Set(planned.plan.instructions.map((instruction) => instruction.token))
    const unsold = decision.orders.filter((order) => !sold.has(order.token)).map((order) => order.token)
    if (unsold.length === 0) break
    for (const token of unsold) {
      unsellable.add(token)
      reasons.set(
        token,
        planned.plan.skipped.filter((skip) => skip.token === token),
      )
    }
    const next = decideConversions(conversionPolicy, facts, unsellable)
    if (next === undefined) break
    decision = next
    planned = await planPolicyConversions(deps, { ...parameters, decision })
  }
  if (unsellable.size === 0) return { ...planned, decision }
  // The tokens passed over are reported with the reason the planner gave when they were ordered, not as held by the policy.
  const skipped: SkippedConversion[] = []
  for (const skip of planned.plan.skipped) {
    const own = unsellable.has(skip.token) ? reasons.get(skip.token) : undefined
    if (own === undefined) skipped.push(skip)
    else if (own.length > 0) {
      skipped.push(...own)
      reasons.set(skip.token, [])
    }
  }
  return { plan: { ...planned.plan, skipped }, warnings: [...warnings.values()], decision }
}
