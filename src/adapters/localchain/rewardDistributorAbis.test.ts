import { isDeepStrictEqual } from 'node:util'
import { type Abi, type AbiFunction, toFunctionSelector, toFunctionSignature } from 'viem'
import { describe, expect, it } from 'vitest'
import { loadContractArtifact } from './loadContractArtifact.js'
import { cumulativeMerkleDropAbi, merklDistributorAbi, universalRewardsDistributorAbi } from './rewardDistributorAbis.js'

// The real contracts' signatures (issue 14) and their selectors, computed apart from viem with
// @noble/hashes' keccak_256 over the signature text; `claim(address[],…)` = 0x71ee95c0 is also what
// Etherscan shows for calls to Merkl's Distributor.
const SELECTORS: ReadonlyArray<readonly [contract: string, signature: string, selector: string]> = [
  ['MerklDistributor', 'claim(address[],address[],uint256[],bytes32[][])', '0x71ee95c0'],
  ['MerklDistributor', 'claimed(address,address)', '0x0c9cbf0e'],
  ['MerklDistributor', 'getMerkleRoot()', '0x49590657'],
  ['MerklDistributor', 'tree()', '0xfd54b228'],
  ['MerklDistributor', 'lastTree()', '0xcce80e7a'],
  ['MerklDistributor', 'endOfDisputePeriod()', '0x5cec892a'],
  ['MerklDistributor', 'disputePeriod()', '0x5bf31d4d'],
  ['MerklDistributor', 'updateTree((bytes32,bytes32))', '0xd9c98087'],
  ['MerklDistributor', 'operators(address,address)', '0x2637588e'],
  ['MerklDistributor', 'toggleOperator(address,address)', '0xbdac7ca3'],
  ['UniversalRewardsDistributor', 'claim(address,address,uint256,bytes32[])', '0xfabed412'],
  ['UniversalRewardsDistributor', 'claimed(address,address)', '0x0c9cbf0e'],
  ['UniversalRewardsDistributor', 'root()', '0xebf0c717'],
  ['UniversalRewardsDistributor', 'ipfsHash()', '0xc623674f'],
  ['UniversalRewardsDistributor', 'timelock()', '0xd33219b4'],
  ['UniversalRewardsDistributor', 'owner()', '0x8da5cb5b'],
  ['UniversalRewardsDistributor', 'pendingRoot()', '0x750588cf'],
  ['UniversalRewardsDistributor', 'isUpdater(address)', '0x4fdfb086'],
  ['UniversalRewardsDistributor', 'setRoot(bytes32,bytes32)', '0x42af83fb'],
  ['UniversalRewardsDistributor', 'submitRoot(bytes32,bytes32)', '0xd61825ef'],
  ['UniversalRewardsDistributor', 'acceptRoot()', '0xed075ec5'],
  ['UniversalRewardsDistributor', 'revokePendingRoot()', '0x4b387053'],
  ['UniversalRewardsDistributor', 'setRootUpdater(address,bool)', '0x53739410'],
  ['UniversalRewardsDistributor', 'setTimelock(uint256)', '0x1e891c0a'],
  ['CumulativeMerkleDrop', 'token()', '0xfc0c546a'],
  ['CumulativeMerkleDrop', 'merkleRoot()', '0x2eb4a7ab'],
  ['CumulativeMerkleDrop', 'cumulativeClaimed(address)', '0xa9919576'],
  ['CumulativeMerkleDrop', 'setMerkleRoot(bytes32)', '0x7cb64759'],
  ['CumulativeMerkleDrop', 'claim(address,uint256,bytes32,bytes32[])', '0x1d7d4ebc'],
]

/** An ABI item without solc's `internalType` annotations, which the hand-written fragments leave out. */
function withoutInternalTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInternalTypes)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (key === 'internalType' ? [] : [[key, withoutInternalTypes(item)]])))
}

const FRAGMENTS: ReadonlyArray<readonly [string, Abi]> = [
  ['MerklDistributor', merklDistributorAbi],
  ['UniversalRewardsDistributor', universalRewardsDistributorAbi],
  ['CumulativeMerkleDrop', cumulativeMerkleDropAbi],
]

describe('the reward distributors’ selectors', () => {
  it.each(SELECTORS)('%s %s is %s with viem', (_contract, signature, selector) => {
    expect(toFunctionSelector(signature)).toBe(selector)
  })

  it.each(SELECTORS)('%s %s is %s in the compiled artifact', (contract, signature, selector) => {
    const functions = loadContractArtifact(contract).abi.filter((item): item is AbiFunction => item.type === 'function')
    const compiled = functions.find((item) => toFunctionSignature(item) === signature)
    expect(compiled && toFunctionSelector(compiled)).toBe(selector)
  })

  it('finds Merkl’s claimed() returning (uint208 amount, uint48 timestamp, bytes32 merkleRoot)', () => {
    const claimed = loadContractArtifact('MerklDistributor').abi.find((item) => item.type === 'function' && item.name === 'claimed')
    expect(claimed?.type === 'function' ? claimed.outputs.map((output) => `${output.type} ${output.name}`) : []).toEqual(['uint208 amount', 'uint48 timestamp', 'bytes32 merkleRoot'])
  })
})

describe('the reward distributors’ `as const` ABIs', () => {
  it.each(FRAGMENTS)('%s: every fragment is in the compiled artifact as written', (contract, fragment) => {
    const compiled = loadContractArtifact(contract).abi.map(withoutInternalTypes)
    const missing = fragment.filter((item) => !compiled.some((published) => isDeepStrictEqual(published, item)))
    expect(fragment.length).toBeGreaterThan(5)
    expect(missing).toEqual([])
  })

  it.each(FRAGMENTS)('%s: every selector of the issue is in the fragment', (contract, fragment) => {
    const declared = fragment.flatMap((item) => (item.type === 'function' ? [toFunctionSignature(item)] : []))
    const expected = SELECTORS.filter(([name]) => name === contract).map(([, signature]) => signature)
    expect(expected.filter((signature) => !declared.includes(signature))).toEqual([])
  })
})
