import { readFileSync } from 'node:fs'
import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { universalRewardsDistributor } from './createUrdRewardsSource.js'
import { foldMerkleProof } from './foldMerkleProof.js'
import { parseMorphoDistributions } from './parseMorphoDistributions.js'

const sample: unknown = JSON.parse(readFileSync(new URL('../../../test/payloads/morpho/distributions.json', import.meta.url), 'utf8'))
const user = getAddress('0x4F2BF7469Bc38d1aE779b1F4affC588f35E60973')
const urd = getAddress('0x330eefa8a787552DC5cAd3C3cA644844B1E61Ddb')
const origin = { venue: 'morpho', where: 'https://rewards.morpho.org' }

describe('parseMorphoDistributions', () => {
  it("reads the account's cumulative claimable amount and proof of each distribution of the venue's URD", () => {
    const claims = parseMorphoDistributions({ ...origin, value: sample, account: user, chainId: 1, distributor: urd })
    expect(claims.map((claim) => [claim.token, claim.amount, claim.symbol, claim.proof.length])).toEqual([
      ['0x58D97B57BB95320F9a05dC918Aef65434969c2B2', 1843207391205472317842n, undefined, 3],
      ['0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 912345678n, undefined, 2],
    ])
    const root = '0xfec2815e29c3744ac138f0b20cb790532ac19a9cb0c3fc79abea949c2341254a'
    const distributor = universalRewardsDistributor(urd)
    for (const claim of claims) {
      expect(foldMerkleProof(distributor.leaf(user, claim.token, claim.amount), claim.proof)).toBe(root)
      expect(StandardMerkleTree.verify(root, ['address', 'address', 'uint256'], [user, claim.token, claim.amount], [...claim.proof])).toBe(true)
    }
  })

  it('keeps nothing of another URD, another chain or another user', () => {
    expect(parseMorphoDistributions({ ...origin, value: sample, account: user, chainId: 1, distributor: '0x678dDC1d07eaa166521325394cDEb1E4c086DF43' })).toEqual([])
    expect(parseMorphoDistributions({ ...origin, value: sample, account: user, chainId: 8453, distributor: urd })).toEqual([])
    expect(parseMorphoDistributions({ ...origin, value: sample, account: '0x0ec553110e53122d1226646670a8475D4C8E6F04', chainId: 1, distributor: urd })).toEqual([])
  })

  it('refuses an answer of another shape, naming the field', () => {
    const broken = structuredClone(sample) as { data: Array<{ proof: string[] }> }
    const first = broken.data[0]
    if (first) first.proof = ['0x1234']
    expect(() => parseMorphoDistributions({ ...origin, value: broken, account: user, chainId: 1, distributor: urd })).toThrow(
      "The proofs of morpho from https://rewards.morpho.org are not the Morpho rewards API's distributions answer ({ data: [...] }): data.0.proof.0 is wrong (a 0x-prefixed 32-byte hex value).",
    )
    expect(() => parseMorphoDistributions({ ...origin, value: [], account: user, chainId: 1, distributor: urd })).toThrow('the answer itself is wrong')
  })
})
