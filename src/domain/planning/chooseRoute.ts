import type { RouteCandidate } from './ConversionPlan.js'

export type RoutePreference = {
  /** `dust_conversion_venue`. */
  readonly venue?: string | undefined
  /** `dust_conversion_path`; it applies to the token it starts with. */
  readonly path?: readonly string[] | undefined
}

export type ChooseRouteReturnType = { chosen: RouteCandidate; reason: string } | undefined

function describe(candidate: RouteCandidate): string {
  return `${candidate.venue} ${candidate.path.join('→')}`
}

function matchesPreference(candidate: RouteCandidate, preference: RoutePreference): boolean {
  if (preference.venue !== undefined && candidate.venue !== preference.venue) return false
  const path = preference.path
  if (path && path[0] === candidate.path[0]) {
    return path.length === candidate.path.length && path.every((symbol, index) => symbol === candidate.path[index])
  }
  return preference.venue !== undefined
}

function byNetOutput(a: RouteCandidate, b: RouteCandidate): number {
  const order = b.netOutput.compare(a.netOutput)
  if (order !== 0) return order
  if (a.path.length !== b.path.length) return a.path.length - b.path.length
  return describe(a) < describe(b) ? -1 : describe(a) > describe(b) ? 1 : 0
}

/**
 * Picks the route with the best net output. The configured venue and path are preferences:
 * the preferred route is taken when nothing nets more, and otherwise the reason says by how
 * much the winner beats it. Returns `undefined` when no route can be used.
 */
export function chooseRoute(candidates: readonly RouteCandidate[], preference: RoutePreference): ChooseRouteReturnType {
  // The usable routes, best first: a stable insertion sort by net output, as `sort` would order
  // them; a token has a handful of routes, and this makes no closure.
  const usable: RouteCandidate[] = []
  for (const candidate of candidates) {
    if (candidate.rejection !== undefined) continue
    let at = usable.length
    for (let previous = usable[at - 1]; previous !== undefined && byNetOutput(previous, candidate) > 0; previous = usable[at - 1]) at -= 1
    usable.splice(at, 0, candidate)
  }
  const best = usable[0]
  if (!best) return undefined
  // A preferred path speaks only of the token it starts with.
  const hasPreference = preference.venue !== undefined || preference.path?.[0] === best.path[0]
  let preferred: RouteCandidate | undefined
  for (const candidate of usable) {
    if (matchesPreference(candidate, preference)) {
      preferred = candidate
      break
    }
  }
  const net = best.netOutput.toString()
  if (!hasPreference) {
    return { chosen: best, reason: `${describe(best)} nets the most (${net}) of ${usable.length} usable route${usable.length === 1 ? '' : 's'}.` }
  }
  if (preferred && preferred.netOutput.compare(best.netOutput) >= 0) {
    return { chosen: preferred, reason: `Preferred route ${describe(preferred)} nets ${preferred.netOutput.toString()}; no route nets more.` }
  }
  if (preferred) {
    const more = best.netOutput.subtract(preferred.netOutput)
    return {
      chosen: best,
      reason: `${describe(best)} nets ${net}, ${more.toString()} more than the preferred ${describe(preferred)} (${preferred.netOutput.toString()}).`,
    }
  }
  const blocked = candidates.find((candidate) => matchesPreference(candidate, preference) && candidate.rejection)
  const why = blocked?.rejection ? ` (${blocked.rejection.reason}: ${blocked.rejection.detail})` : ' (no such route is offered)'
  return { chosen: best, reason: `${describe(best)} nets ${net}; the preferred route cannot be used${why}.` }
}
