// Frozen reference copy of src (commit 1412531), the oracle of the fast planner's property test and bench; never imported by src.
function comparePaths(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) return a.length - b.length
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index] as string
    const right = b[index] as string
    // Code-unit order, not localeCompare, so the order is the same on every machine.
    if (left !== right) return left < right ? -1 : 1
  }
  return 0
}

/**
 * Finds every simple path (no token twice) of 1 to `maxHops` hops from `from` to a token of
 * `targets`, each pair being tradable both ways. A path ends at the first target it reaches,
 * so no target is ever an intermediate token. Shorter paths come first, then in code-unit
 * order token by token.
 */
export function findPaths(pairs: ReadonlyArray<readonly [string, string]>, from: string, targets: ReadonlySet<string>, maxHops: number): string[][] {
  const neighbours = new Map<string, Set<string>>()
  const link = (a: string, b: string) => {
    const set = neighbours.get(a) ?? new Set<string>()
    set.add(b)
    neighbours.set(a, set)
  }
  for (const [a, b] of pairs) {
    if (a === b) continue
    link(a, b)
    link(b, a)
  }

  const paths: string[][] = []
  const path = [from]
  // `path` holds `path.length - 1` hops; stepping to `next` makes it `path.length` hops, and
  // going on past `next` to a target makes it at least `path.length + 1`.
  const walk = (token: string) => {
    for (const next of neighbours.get(token) ?? []) {
      if (path.includes(next)) continue
      if (targets.has(next)) {
        if (path.length <= maxHops) paths.push([...path, next])
      } else if (path.length < maxHops) {
        path.push(next)
        walk(next)
        path.pop()
      }
    }
  }
  walk(from)
  return paths.sort(comparePaths)
}
