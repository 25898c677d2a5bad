function comparePaths(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) return a.length - b.length
  for (const [index, left] of a.entries()) {
    const right = b[index] ?? ''
    // Code-unit order, not localeCompare, so the order is the same on every machine.
    if (left !== right) return left < right ? -1 : 1
  }
  return 0
}

/** Extends `path` (of `path.length - 1` hops) in every way that reaches a target within `maxHops`, adding each path found to `paths`. */
function walk(neighbours: ReadonlyMap<string, ReadonlySet<string>>, targets: ReadonlySet<string>, maxHops: number, path: string[], paths: string[][]): void {
  // Stepping to `next` makes `path.length` hops, and going on past `next` to a target makes at least `path.length + 1`.
  for (const next of neighbours.get(path.at(-1) ?? '') ?? []) {
    if (path.includes(next)) continue
    if (targets.has(next)) {
      if (path.length <= maxHops) paths.push([...path, next])
    } else if (path.length < maxHops) {
      path.push(next)
      walk(neighbours, targets, maxHops, path, paths)
      path.pop()
    }
  }
}

/** Finds the paths from one token; the same token gives the same array every time. */
export type PathFinder = (from: string) => readonly (readonly string[])[]

/**
 * Creates a finder of every simple path (no token twice) of 1 to `maxHops` hops from a token
 * to one of `targets` over `pairs`, traded either way; a path ends at the first target it
 * reaches, never passing through one. Shorter paths come first, then in code-unit order token
 * by token. The graph is built once, and each token's paths are searched once, so a planner
 * asking for every dust token of a venue pays for the graph once.
 */
export function createPathFinder(pairs: ReadonlyArray<readonly [string, string]>, targets: ReadonlySet<string>, maxHops: number): PathFinder {
  const neighbours = new Map<string, Set<string>>()
  const link = (a: string, b: string) => {
    const set = neighbours.get(a)
    if (set === undefined) neighbours.set(a, new Set([b]))
    else set.add(b)
  }
  for (const [a, b] of pairs) {
    if (a === b) continue
    link(a, b)
    link(b, a)
  }
  const found = new Map<string, string[][]>()
  return (from) => {
    const known = found.get(from)
    if (known !== undefined) return known
    const paths: string[][] = []
    walk(neighbours, targets, maxHops, [from], paths)
    // Distinct simple paths are totally ordered by comparePaths, so the order of the walk does not matter.
    paths.sort(comparePaths)
    found.set(from, paths)
    return paths
  }
}
