import { join } from 'node:path'
import { type Address, type Hex, createTestClient, erc20Abi, getAddress, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DistributorKindFixture, type RewardsChain, distributorKinds, dropFixture, proofsLoaderOf, startRewardsChain, writeProofs } from '../../../test/cumulativeRewardsVenues.js'
import type { EvmFixture } from '../../../test/evmFixture.js'
import { type RewardRow, deployRewardToken, fundDistributor, rewardOwner, updateMerklTree } from '../../../test/rewardDistributors.js'
import { Amount, type Currency, createCurrency } from '../../domain/money/index.js'
import { createEvmBalanceSource } from '../evm/createEvmBalanceSource.js'
import type { EvmChain } from '../evm/createEvmChains.js'
import type { EvmTransactor } from '../evm/createEvmTransactor.js'
import { cumulativeMerkleDropAbi, universalRewardsDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import { estimateCumulativeClaimGas } from './createCumulativeClaimExecutor.js'

const other = getAddress('0x1111111111111111111111111111111111111111')
const E18 = 10n ** 18n

let evm: EvmFixture
let chain: EvmChain
let transactor: EvmTransactor
let strategy: Address
let folder: string
let node: RewardsChain

beforeAll(async () => {
  node = await startRewardsChain()
  ;({ evm, chain, transactor, folder } = node)
  // The strategy's wallet signs its own claims (Merkl lets only the account, or its operators, claim).
  strategy = transactor.account
}, 60_000)

afterAll(async () => {
  await node?.stop()
})

/** A distributor of one kind, funded with a fresh token, and the venue's source and claimer over a proofs file. */
async function setUp(fixture: DistributorKindFixture, name: string) {
  const address = await deployRewardToken(evm, { symbol: 'RWD', decimals: 18 })
  const token: Currency = createCurrency({ symbol: 'RWD', decimals: 18, chain: 'local', address })
  const distributor = await fixture.deploy(evm, address)
  await fundDistributor(evm, { token: address, to: distributor, amount: 10_000n * E18 })
  const file = join(folder, `${name}.json`)
  const loadClaims = proofsLoaderOf(fixture, { venue: name, file, account: strategy, chainId: evm.chain.chainId, distributor, token: address })
  const source = fixture.createSource({ name, chain: 'local', distributor, account: strategy, batcher: chain.batcher, loadClaims, registry: [token], token: address })
  const claimer = fixture.createClaimer({ source, transactor })
  const rows = (mine: bigint): RewardRow[] => [
    { account: other, token: address, cumulative: 5n * E18 },
    { account: strategy, token: address, cumulative: mine },
  ]
  /** Publishes a root paying the strategy `mine` in total, and writes its proofs unless told not to. */
  const publish = async (mine: bigint, options: { writeFile?: boolean } = {}) => {
    const tree = await fixture.publish(evm, distributor, rows(mine))
    if (options.writeFile !== false)
      writeProofs(file, fixture.proofs({ rows: rows(mine), tree, account: strategy, chainId: evm.chain.chainId, distributor, tokens: [{ address, symbol: 'RWD', decimals: 18 }] }))
    return tree
  }
  const writeFor = (mine: bigint) =>
    writeProofs(
      file,
      fixture.proofs({ rows: rows(mine), tree: fixture.tree(rows(mine)), account: strategy, chainId: evm.chain.chainId, distributor, tokens: [{ address, symbol: 'RWD', decimals: 18 }] }),
    )
  const balance = () => evm.client.readContract({ address, abi: erc20Abi, functionName: 'balanceOf', args: [strategy] })
  return { token, distributor, source, claimer, publish, writeFor, rows, balance }
}

const holdingsOf = (holdings: Awaited<ReturnType<ReturnType<typeof createEvmBalanceSource>['fetchHoldings']>>) =>
  holdings.map((holding) => `${holding.venue} ${holding.source} ${holding.amount.raw}${holding.held ? ` held ${holding.held.code}` : ''}`)

describe.each(distributorKinds)('a $type venue on the local node', (fixture) => {
  it('reads cumulative − claimed through the batcher: one Multicall3 call with the wallet balances once the reward token is known', async () => {
    const venue = await setUp(fixture, `${fixture.type}-read`)
    await venue.publish(1500n * E18)
    const wallet = createEvmBalanceSource({ name: 'wallet', owner: strategy, tokens: [venue.token], batcher: chain.batcher })
    const start = chain.batcher.calls()
    const first = await Promise.all([venue.source.fetchHoldings(), wallet.fetchHoldings()])
    expect(holdingsOf(first.flat())).toEqual([`${fixture.type}-read claimable_rewards ${1500n * E18}`])
    // A drop's one token is known from the start; the other kinds learn theirs from the first proofs (one more call).
    expect(chain.batcher.calls() - start).toBe(fixture.type === 'merkle_drop' ? 1 : 2)
    const before = chain.batcher.calls()
    const second = await Promise.all([venue.source.fetchHoldings(), wallet.fetchHoldings()])
    expect(holdingsOf(second.flat())).toEqual([`${fixture.type}-read claimable_rewards ${1500n * E18}`])
    // The wallet's balance, the live root and what was claimed: one eth_call.
    expect(chain.batcher.calls() - before).toBe(1)
  })

  it('claims exactly cumulative − claimed, through two root updates with a claim between them', async () => {
    const venue = await setUp(fixture, `${fixture.type}-twice`)
    await venue.publish(100n * E18)
    const heard: string[] = []
    const first = await venue.claimer.claim(Amount.fromRaw(venue.token, 100n * E18), { submitting: async (reference) => void heard.push(reference) })
    if (!first.ok) throw new Error(first.detail)
    expect(first.receipt).toMatchObject({ kind: 'claim', venue: `${fixture.type}-twice`, reference: heard[0] })
    expect(await venue.balance()).toBe(100n * E18)
    expect(await venue.source.fetchHoldings()).toEqual([])

    await venue.publish(250n * E18)
    expect(holdingsOf(await venue.source.fetchHoldings())).toEqual([`${fixture.type}-twice claimable_rewards ${150n * E18}`])
    const second = await venue.claimer.claim(Amount.fromRaw(venue.token, 150n * E18))
    expect(second.ok).toBe(true)
    expect(await venue.balance()).toBe(250n * E18)
    expect(await venue.source.fetchHoldings()).toEqual([])
    // Nothing is left: a third claim sends nothing and says why.
    const nonce = await evm.client.getTransactionCount({ address: strategy })
    expect(await venue.claimer.claim(Amount.fromRaw(venue.token, 150n * E18))).toMatchObject({
      ok: false,
      reason: 'claim_failed',
      retryable: true,
      detail: `${fixture.type}-twice has nothing left to claim of RWD for ${strategy}: ${250n * E18} base units of the cumulative ${250n * E18} are claimed already (they are in the account's wallet, and the next cycle sells them). Nothing was sent.`,
    })
    expect(await evm.client.getTransactionCount({ address: strategy })).toBe(nonce)
  })

  it('lists rewards whose proofs lag the live root as rewards_proof_stale and sends nothing, then claims once the proofs catch up', async () => {
    const venue = await setUp(fixture, `${fixture.type}-lag`)
    const old = await venue.publish(100n * E18)
    const live = await venue.publish(300n * E18, { writeFile: false })
    const [held] = await venue.source.fetchHoldings()
    expect(held?.amount.raw).toBe(100n * E18)
    expect(held?.held).toEqual({
      code: 'rewards_proof_stale',
      detail: `${fixture.type}-lag: the proofs of RWD are for root ${old.root}, the distributor's live root is ${live.root}; nothing is claimed until the proofs catch up.`,
    })
    const nonce = await evm.client.getTransactionCount({ address: strategy })
    const stale = await venue.claimer.claim(Amount.fromRaw(venue.token, 100n * E18))
    expect(stale).toMatchObject({ ok: false, reason: 'claim_proof_stale', retryable: true })
    expect(stale.ok ? '' : stale.detail).toContain(`are for root ${old.root}`)
    expect(await evm.client.getTransactionCount({ address: strategy })).toBe(nonce)

    venue.writeFor(300n * E18)
    expect(holdingsOf(await venue.source.fetchHoldings())).toEqual([`${fixture.type}-lag claimable_rewards ${300n * E18}`])
    expect((await venue.claimer.claim(Amount.fromRaw(venue.token, 300n * E18))).ok).toBe(true)
    expect(await venue.balance()).toBe(300n * E18)
  })

  it('ends a claim that reverts because the root was replaced while it was in flight as a retryable failure, and the next run claims the new cumulative once', async () => {
    const venue = await setUp(fixture, `${fixture.type}-flight`)
    await venue.publish(300n * E18)
    const testClient = createTestClient({ mode: 'hardhat', transport: http(evm.chain.rpcUrl, { retryCount: 0 }) })
    const owner = rewardOwner(evm)
    const next = fixture.tree(venue.rows(400n * E18))
    let replace: () => Promise<void>
    if (fixture.type === 'merkl') {
      // Merkl's new tree goes live when its dispute period ends: the claim's block is the first after it.
      const end = await updateMerklTree(evm, { distributor: venue.distributor, root: next.root, live: false })
      replace = () => testClient.setNextBlockTimestamp({ timestamp: end })
    } else {
      // The owner's new root, paying more for priority, is mined before the claim in the same block.
      replace = async () => {
        const fees = { maxPriorityFeePerGas: 50_000_000_000n, maxFeePerGas: 100_000_000_000n }
        if (fixture.type === 'morpho_urd')
          await owner.wallet.writeContract({ address: venue.distributor, abi: universalRewardsDistributorAbi, functionName: 'setRoot', args: [next.root, `0x${'00'.repeat(32)}`], ...fees } as never)
        else await owner.wallet.writeContract({ address: venue.distributor, abi: cumulativeMerkleDropAbi, functionName: 'setMerkleRoot', args: [next.root], ...fees } as never)
      }
    }
    await testClient.setAutomine(false)
    let claimHash: Hex | undefined
    let inFlight: ReturnType<typeof venue.claimer.claim>
    try {
      inFlight = venue.claimer.claim(Amount.fromRaw(venue.token, 300n * E18), { submitting: async (reference) => void (claimHash = reference as Hex) })
      // Wait until the node holds the claim, then replace the root and mine one block.
      for (;;) {
        const known = claimHash === undefined ? undefined : await evm.client.getTransaction({ hash: claimHash }).catch(() => undefined)
        if (known) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await replace()
      await testClient.mine({ blocks: 1 })
    } finally {
      await testClient.setAutomine(true)
    }
    const result = await inFlight
    expect(result).toMatchObject({ ok: false, reason: 'claim_reverted', retryable: true })
    expect(result.ok ? '' : result.detail).toContain(`(${claimHash}) reverted on local`)
    const receipt = await evm.client.getTransactionReceipt({ hash: claimHash as Hex })
    expect(receipt.status).toBe('reverted')
    expect(await venue.balance()).toBe(0n)

    venue.writeFor(400n * E18)
    expect((await venue.claimer.claim(Amount.fromRaw(venue.token, 300n * E18))).ok).toBe(true)
    expect(await venue.balance()).toBe(400n * E18)
    expect(await venue.source.fetchHoldings()).toEqual([])
  })

  it('estimates the gas of the first claimable reward from the last scan, and nothing once a scan finds all claimed', async () => {
    const venue = await setUp(fixture, `${fixture.type}-gas`)
    await venue.publish(7n * E18)
    const gas = await estimateCumulativeClaimGas({ source: venue.source, client: evm.client, from: strategy })
    expect(gas).toBeGreaterThan(21_000n)
    expect((await venue.claimer.claim(Amount.fromRaw(venue.token, 7n * E18))).ok).toBe(true)
    // The estimate uses what the last scan read: the next scan finds nothing left.
    expect(await venue.source.fetchHoldings()).toEqual([])
    expect(await estimateCumulativeClaimGas({ source: venue.source, client: evm.client, from: strategy })).toBeUndefined()
  })
})

describe('a merkle_drop venue whose token is not the drop token', () => {
  it('fails its scan, naming the token the drop pays', async () => {
    const venue = await setUp(dropFixture, 'drop-mistaken')
    await venue.publish(5n * E18)
    const other = await deployRewardToken(evm, { symbol: 'OTHER', decimals: 18 })
    const loadClaims = proofsLoaderOf(dropFixture, {
      venue: 'drop-mistaken',
      file: join(folder, 'drop-mistaken.json'),
      account: strategy,
      chainId: evm.chain.chainId,
      distributor: venue.distributor,
      token: other,
    })
    const mistaken = dropFixture.createSource({
      name: 'drop-mistaken',
      chain: 'local',
      distributor: venue.distributor,
      account: strategy,
      batcher: chain.batcher,
      loadClaims,
      registry: [],
      token: other,
    })
    await expect(mistaken.fetchHoldings()).rejects.toThrow(`drop-mistaken: the Cumulative Merkle Drop ${venue.distributor} drops ${venue.token.address}, not the configured token ${other}.`)
  })
})
