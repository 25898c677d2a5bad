import type { Amount, Fraction } from '../money/index.js'

/** One run on the cost-risk plane: its policy, the parameter it ran with, its conversion cost and ex-ante risk in bps of equity. */
export type FrontierPoint = {
  readonly policy: string
  /** The parameter the run was given, as text (`dust_delta=0.002`, say). */
  readonly parameter: string
  readonly cost: Amount
  readonly riskBps: Fraction
}

/** A point with whether any other point beats it: no more risk and no more cost, and less of one. */
export type RankedFrontierPoint = FrontierPoint & { readonly efficient: boolean }

/** One policy's points, joined in order of risk. */
export type FrontierLine = { readonly policy: string; readonly points: readonly RankedFrontierPoint[] }

const byRiskThenCost = (a: FrontierPoint, b: FrontierPoint) => a.riskBps.compare(b.riskBps) || a.cost.compare(b.cost)

/** The points no other point dominates (no more risk, no more cost, less of one): one sweep in order of risk, then cost. */
function efficientPoints(points: readonly FrontierPoint[]): Set<FrontierPoint> {
  const sorted = [...points].sort(byRiskThenCost)
  const efficient = new Set<FrontierPoint>()
  // The lowest cost at a strictly lower risk than the current group's (the points of one risk).
  let best: Amount | undefined
  // The current group: its risk, its lowest cost (its first point's), and whether that cost is under `best`.
  let group: { risk: Fraction; cost: Amount; efficient: boolean } | undefined
  for (const point of sorted) {
    if (group === undefined || !point.riskBps.equals(group.risk)) {
      if (group !== undefined && (best === undefined || group.cost.lessThan(best))) best = group.cost
      group = { risk: point.riskBps, cost: point.cost, efficient: best === undefined || point.cost.lessThan(best) }
    }
    // Only the points at the group's lowest cost can be efficient, and only below every cheaper risk.
    if (group.efficient && point.cost.equals(group.cost)) efficient.add(point)
  }
  return efficient
}

/**
 * Lays runs out as the frontier plot draws them: one line per policy (in the order the policies
 * first appear), its points sorted by risk, then cost, then parameter; each point marked
 * `efficient` when no run of any policy dominates it. Realised P&L plays no part.
 */
export function scorecardFrontier(points: readonly FrontierPoint[]): FrontierLine[] {
  const efficient = efficientPoints(points)
  const byPolicy = new Map<string, RankedFrontierPoint[]>()
  for (const point of points) {
    const ranked: RankedFrontierPoint = { ...point, efficient: efficient.has(point) }
    const line = byPolicy.get(point.policy) ?? []
    line.push(ranked)
    byPolicy.set(point.policy, line)
  }
  return [...byPolicy].map(([policy, line]) => ({
    policy,
    points: line.sort((a, b) => byRiskThenCost(a, b) || (a.parameter < b.parameter ? -1 : a.parameter > b.parameter ? 1 : 0)),
  }))
}
