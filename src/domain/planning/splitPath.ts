/** Splits a path into its hops, in order: each item paired with the next (`[A, B, C]` gives `[A, B]`, `[B, C]`). */
export function splitPath<T>(path: readonly T[]): Array<readonly [T, T]> {
  const hops: Array<readonly [T, T]> = []
  // Indexes below `path.length`, so each item is a T (which may itself include undefined).
  for (let index = 1; index < path.length; index += 1) hops.push([path[index - 1] as T, path[index] as T])
  return hops
}
