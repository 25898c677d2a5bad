import { type Hex, concat, keccak256 } from 'viem'

/**
 * Folds a proof into the root it proves `leaf` under: each step hashes the pair sorted, as
 * OpenZeppelin's `MerkleProof`, Merkl's `Distributor` and 1inch's drops do. A proof is current when
 * its root is the distributor's live root.
 */
export function foldMerkleProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let node = leaf.toLowerCase() as Hex
  for (const step of proof) {
    const sibling = step.toLowerCase() as Hex
    node = keccak256(node < sibling ? concat([node, sibling]) : concat([sibling, node]))
  }
  return node
}
