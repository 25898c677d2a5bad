import { SimpleMerkleTree } from '@openzeppelin/merkle-tree'
import { type Hex, keccak256, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { foldMerkleProof } from './foldMerkleProof.js'

describe('foldMerkleProof', () => {
  it("leads every leaf of OpenZeppelin's sorted-pair tree to its root, for odd and even sizes", () => {
    for (const size of [1, 2, 5, 8]) {
      const leaves = Array.from({ length: size }, (_, index) => keccak256(toHex(`leaf ${index}`)))
      const tree = SimpleMerkleTree.of(leaves)
      leaves.forEach((leaf, index) => {
        expect(foldMerkleProof(leaf, tree.getProof(index) as Hex[])).toBe(tree.root)
      })
    }
  })

  it('leads a changed amount elsewhere, and reads hex in any case', () => {
    const leaves = [keccak256(toHex('a')), keccak256(toHex('b')), keccak256(toHex('c'))]
    const tree = SimpleMerkleTree.of(leaves)
    const proof = tree.getProof(1) as Hex[]
    expect(foldMerkleProof(keccak256(toHex('B')), proof)).not.toBe(tree.root)
    expect(
      foldMerkleProof(
        leaves[1]?.toUpperCase().replace('0X', '0x') as Hex,
        proof.map((step) => step.toUpperCase().replace('0X', '0x') as Hex),
      ),
    ).toBe(tree.root)
  })
})
