import { join } from 'node:path'
import { type Address, decodeFunctionData, getAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RewardsChain, dropFixture, proofsLoaderOf, startRewardsChain, writeProofs } from '../../../test/cumulativeRewardsVenues.js'
import { buildDropTree, deployRewardToken, fundDistributor } from '../../../test/rewardDistributors.js'
import { createCurrency } from '../../domain/money/index.js'
import { cumulativeMerkleDropAbi } from '../localchain/rewardDistributorAbis.js'
import { foldMerkleProof } from './foldMerkleProof.js'
import { createMerkleDropRewardsSource, cumulativeMerkleDrop } from './createMerkleDropRewardsSource.js'

const E18 = 10n ** 18n
const ACCOUNT = getAddress('0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c')
const OTHER = getAddress('0x1111111111111111111111111111111111111111')
const DROP = getAddress('0x2222222222222222222222222222222222222222')
const TOKEN = getAddress('0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83')

describe('cumulativeMerkleDrop', () => {
  const drop = cumulativeMerkleDrop(DROP, TOKEN)

  it("hashes the 1inch drop's leaves, whatever the token: keccak256(abi.encodePacked(account, cumulativeAmount))", () => {
    const rows = [
      { account: ACCOUNT, cumulative: 2_500n * E18 },
      { account: OTHER, cumulative: 1n },
    ]
    const tree = buildDropTree(rows)
    expect(foldMerkleProof(drop.leaf(ACCOUNT, TOKEN, 2_500n * E18), tree.proofs[0] ?? [])).toBe(tree.root)
    expect(drop.leaf(ACCOUNT, OTHER, 1n)).toBe(drop.leaf(ACCOUNT, TOKEN, 1n))
    expect([drop.label, drop.address]).toEqual(['Cumulative Merkle Drop', DROP])
  })

  it('encodes a claim as claim(account, cumulativeAmount, expectedMerkleRoot, proof)', () => {
    const root = `0x${'cd'.repeat(32)}` as const
    const step = `0x${'ab'.repeat(32)}` as const
    const data = drop.claimData({ token: TOKEN, account: ACCOUNT, amount: 7n * E18, root, proof: [step] })
    expect(decodeFunctionData({ abi: cumulativeMerkleDropAbi, data })).toEqual({ functionName: 'claim', args: [ACCOUNT, 7n * E18, root, [step]] })
  })
})

describe('createMerkleDropRewardsSource on the local CumulativeMerkleDrop', () => {
  let node: RewardsChain
  let token: Address
  let drop: Address
  let strategy: Address

  beforeAll(async () => {
    node = await startRewardsChain()
    strategy = getAddress(node.transactor.account)
    token = await deployRewardToken(node.evm, { symbol: 'INCH', decimals: 18 })
    drop = await dropFixture.deploy(node.evm, token)
    await fundDistributor(node.evm, { token, to: drop, amount: 1_000n * E18 })
  }, 120_000)

  afterAll(async () => {
    await node?.stop()
  })

  it("reads the account's unclaimed drop as a claimable reward of the registry token, in one Multicall3 call from the first scan", async () => {
    const rows = [
      { account: OTHER, token, cumulative: 5n * E18 },
      { account: strategy, token, cumulative: 1_234_500_000_000_000_000n },
    ]
    const tree = await dropFixture.publish(node.evm, drop, rows)
    const file = join(node.folder, 'drop.json')
    writeProofs(file, dropFixture.proofs({ rows, tree, account: strategy, chainId: node.evm.chain.chainId, distributor: drop, tokens: [] }))
    const source = createMerkleDropRewardsSource({
      name: 'inch_drop',
      chain: 'local',
      distributor: drop,
      // The configured token in lower case: the drop's token() answers it checksummed.
      token: token.toLowerCase() as Address,
      account: strategy,
      batcher: node.chain.batcher,
      loadClaims: proofsLoaderOf(dropFixture, { venue: 'inch_drop', file, account: strategy, chainId: node.evm.chain.chainId, distributor: drop, token }),
      registry: [createCurrency({ symbol: 'INCH', decimals: 18, chain: 'local', address: token })],
    })
    const before = node.chain.batcher.calls()
    const holdings = await source.fetchHoldings()
    expect(holdings.map((holding) => [holding.venue, holding.source, holding.amount.toString(), holding.held])).toEqual([['inch_drop', 'claimable_rewards', '1.2345 INCH', undefined]])
    expect(node.chain.batcher.calls() - before).toBe(1)
    expect(source.latestState()?.liveRoot).toBe(tree.root)
    expect([source.distributor.label, source.distributor.address, source.account]).toEqual(['Cumulative Merkle Drop', drop, strategy])
  })

  it("checks the drop's token() against the configured token, answering what is wrong", async () => {
    const other = await deployRewardToken(node.evm, { symbol: 'OTHER', decimals: 18 })
    expect(await cumulativeMerkleDrop(drop, token).check?.(node.chain.batcher)).toBeUndefined()
    expect(await cumulativeMerkleDrop(drop, other.toLowerCase() as Address).check?.(node.chain.batcher)).toBe(`the Cumulative Merkle Drop ${drop} drops ${token}, not the configured token ${other}.`)
  })
})
