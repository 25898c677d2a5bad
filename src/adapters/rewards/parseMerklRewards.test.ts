import { readFileSync } from 'node:fs'
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree'
import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { MERKL_DISTRIBUTOR, merklDistributor } from './createMerklRewardsSource.js'
import { foldMerkleProof } from './foldMerkleProof.js'
import { parseMerklRewards } from './parseMerklRewards.js'

const sample: unknown = JSON.parse(readFileSync(new URL('../../../test/payloads/merkl/rewards-chain-1.json', import.meta.url), 'utf8'))
const user = getAddress('0x4F2BF7469Bc38d1aE779b1F4affC588f35E60973')
const origin = { venue: 'merkl', where: 'https://api.merkl.xyz' }

describe('parseMerklRewards', () => {
  it("reads the account's cumulative amount, proof and token of each reward on the chain", () => {
    const claims = parseMerklRewards({ ...origin, value: sample, account: user, chainId: 1 })
    expect(claims.map((claim) => [claim.token, claim.amount, claim.symbol, claim.decimals, claim.proof.length])).toEqual([
      ['0x58D97B57BB95320F9a05dC918Aef65434969c2B2', 1843207391205472317842n, 'MORPHO', 18, 2],
      ['0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 912345678n, 'USDC', 6, 2],
    ])
    // Each proof leads to the answer's root under Merkl's leaf, as OpenZeppelin's verifier agrees.
    const root = '0xb019ce687ff58180925e3e5029fa23ffbaf4943748f9d99cc9434d83c3c9fa13'
    const distributor = merklDistributor(MERKL_DISTRIBUTOR)
    for (const claim of claims) {
      const leaf = distributor.leaf(user, claim.token, claim.amount)
      expect(foldMerkleProof(leaf, claim.proof)).toBe(root)
      expect(SimpleMerkleTree.verify(root, leaf, [...claim.proof])).toBe(true)
    }
  })

  it('keeps nothing of another chain or another recipient', () => {
    expect(parseMerklRewards({ ...origin, value: sample, account: user, chainId: 8453 })).toEqual([])
    expect(parseMerklRewards({ ...origin, value: sample, account: '0x0ec553110e53122d1226646670a8475D4C8E6F04', chainId: 1 })).toEqual([])
  })

  it('refuses an answer of another shape, naming the venue, where it came from and the field', () => {
    const broken = structuredClone(sample) as Array<{ rewards: Array<{ amount: string }> }>
    const reward = broken[0]?.rewards[1]
    if (reward) reward.amount = '912.5'
    expect(() => parseMerklRewards({ ...origin, value: broken, account: user, chainId: 1 })).toThrow(
      "The proofs of merkl from https://api.merkl.xyz are not Merkl's rewards answer (a list of { chain, rewards }): 0.rewards.1.amount is wrong (a whole number of base units written in decimal).",
    )
    expect(() => parseMerklRewards({ ...origin, value: { rewards: [] }, account: user, chainId: 1 })).toThrow('the answer itself is wrong')
  })

  it('refuses two rewards of one token for the account', () => {
    const doubled = structuredClone(sample) as Array<{ rewards: unknown[] }>
    const first = doubled[0]
    if (first) first.rewards.push(first.rewards[0])
    expect(() => parseMerklRewards({ ...origin, value: doubled, account: user, chainId: 1 })).toThrow(
      `name the reward 0x58D97B57BB95320F9a05dC918Aef65434969c2B2 twice for ${user}; expected one cumulative amount per token.`,
    )
  })
})
