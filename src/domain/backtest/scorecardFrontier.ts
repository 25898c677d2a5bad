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
  // The lowest cost at a strictly lower risk than the current group's.
  let best: Amount | undefined
  let index = 0
  while (index < sorted.length) {
    const head = sorted[index] as FrontierPoint
    let end = index
    while (end < sorted.length && (sorted[end] as FrontierPoint).riskBps.equals(head.riskBps)) end += 1
    // The group's lowest cost is its first; only the points at that cost can be efficient, and only below every cheaper risk.
    if (best === undefined || head.cost.lessThan(best)) {
      for (let at = index; at < end && (sorted[at] as FrontierPoint).cost.equals(head.cost); at += 1) efficient.add(sorted[at] as FrontierPoint)
      best = head.cost
    }
    index = end
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
