/** Splits a path into its hops, in order: each item paired with the next (`[A, B, C]` gives `[A, B]`, `[B, C]`). */
export function splitPath<T>(path: readonly T[]): Array<readonly [T, T]> {
  const hops: Array<readonly [T, T]> = []
  // A box, not `T | undefined`: T itself may include undefined.
  let previous: { readonly item: T } | undefined
  for (const item of path) {
    if (previous) hops.push([previous.item, item])
    previous = { item }
  }
  return hops
}
