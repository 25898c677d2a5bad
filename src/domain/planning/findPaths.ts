import { createPathFinder } from './createPathFinder.js'

/**
 * Finds every simple path (no token twice) of 1 to `maxHops` hops from `from` to a token of
 * `targets`, over `pairs` traded either way. A path ends at the first target it reaches: it
 * never passes through one on its way to another. Shorter paths come first, then in code-unit
 * order token by token. To search from many tokens over one graph, use {@link createPathFinder}.
 */
export function findPaths(pairs: ReadonlyArray<readonly [string, string]>, from: string, targets: ReadonlySet<string>, maxHops: number): string[][] {
  return createPathFinder(pairs, targets, maxHops)(from).map((path) => [...path])
}
