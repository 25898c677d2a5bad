import { type Hex, concat, isHex, keccak256 } from 'viem'

/** The same hex value in lower case, so that two nodes compare by value. */
function lowerCase(value: Hex): Hex {
  const lower = value.toLowerCase()
  // A hex value in lower case is still one; the check only tells the compiler so.
  return isHex(lower) ? lower : value
}

/**
 * Folds a proof into the root it proves `leaf` under: each step hashes the pair sorted, as
 * OpenZeppelin's `MerkleProof`, Merkl's `Distributor` and 1inch's drops do. A proof is current when
 * its root is the distributor's live root.
 */
export function foldMerkleProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let node = lowerCase(leaf)
  for (const step of proof) {
    const sibling = lowerCase(step)
    node = keccak256(node < sibling ? concat([node, sibling]) : concat([sibling, node]))
  }
  return node
}
