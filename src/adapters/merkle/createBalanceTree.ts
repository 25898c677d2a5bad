import { type Address, type Hex, encodePacked, getAddress, keccak256, toHex } from 'viem'

/** One account's reward in a distribution: base units of the distributed token. */
export type BalanceEntry = { readonly account: Address; readonly amount: bigint }

/** The claims file of a distribution, in the form Uniswap's merkle-distributor tooling writes. */
export type ClaimsFile = {
  merkleRoot: Hex
  /** Sum of every amount, hex. */
  tokenTotal: Hex
  claims: Record<Address, { index: number; amount: Hex; proof: Hex[] }>
}

/** Hashes one leaf: `keccak256(abi.encodePacked(uint256 index, address account, uint256 amount))`, as the distributor checks. */
export function leafOf(index: bigint, account: Address, amount: bigint): Hex {
  return keccak256(encodePacked(['uint256', 'address', 'uint256'], [index, account, amount]))
}

function combine(a: Hex, b: Hex): Hex {
  // Pairs are hashed in sorted order, as OpenZeppelin's MerkleProof (used by the distributor) expects.
  return a.toLowerCase() < b.toLowerCase() ? keccak256(`${a}${b.slice(2)}`) : keccak256(`${b}${a.slice(2)}`)
}

/**
 * Creates the merkle tree of a reward distribution, compatible with the
 * `@uniswap/merkle-distributor` contract: leaves sorted, sorted-pair hashing, an odd node
 * carried up. Accounts get indices in the order given.
 */
export function createBalanceTree(entries: readonly BalanceEntry[]): { root: Hex; proof(index: number): Hex[]; claimsFile(): ClaimsFile } {
  const leaves = entries.map((entry, index) => leafOf(BigInt(index), getAddress(entry.account), entry.amount))
  const sorted = [...new Set(leaves)].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
  const layers: Hex[][] = [sorted]
  let top = sorted
  while (top.length > 1) {
    const next: Hex[] = []
    for (const [i, left] of top.entries()) {
      if (i % 2 === 1) continue
      const right = top[i + 1]
      next.push(right === undefined ? left : combine(left, right))
    }
    layers.push(next)
    top = next
  }
  // An empty distribution has no leaf, hence no root.
  const [root] = top
  if (root === undefined) throw new Error('A distribution needs at least one account.')
  const proof = (index: number): Hex[] => {
    const leaf = leaves[index]
    let position = leaf === undefined ? -1 : sorted.indexOf(leaf)
    if (position < 0) throw new Error(`No account at index ${index}.`)
    const path: Hex[] = []
    for (const layer of layers.slice(0, -1)) {
      const pair = position % 2 === 0 ? layer[position + 1] : layer[position - 1]
      if (pair !== undefined) path.push(pair)
      position = Math.floor(position / 2)
    }
    return path
  }
  return {
    root,
    proof,
    claimsFile: () => ({
      merkleRoot: root,
      tokenTotal: toHex(entries.reduce((sum, entry) => sum + entry.amount, 0n)),
      claims: Object.fromEntries(entries.map((entry, index) => [getAddress(entry.account), { index, amount: toHex(entry.amount), proof: proof(index) }])),
    }),
  }
}
