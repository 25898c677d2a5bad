import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Address, erc20Abi, getAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proofsLoaderOf, urdFixture, type RewardsChain, startRewardsChain, writeProofs } from '../../../test/cumulativeRewardsVenues.js'
import type { EvmFixture } from '../../../test/evmFixture.js'
import {
  type RewardRow,
  acceptUrdRoot,
  buildUrdTree,
  deployRewardToken,
  deployUniversalRewardsDistributor,
  fundDistributor,
  rewardOwner,
  setUrdRoot,
  submitUrdRoot,
} from '../../../test/rewardDistributors.js'
import { universalRewardsDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import { Amount, type Currency, createCurrency } from '../../domain/money/index.js'
import type { EvmChain } from '../evm/createEvmChains.js'
import type { EvmTransactor } from '../evm/createEvmTransactor.js'
import { createCumulativeClaimExecutor } from './createCumulativeClaimExecutor.js'
import { createUrdRewardsSource } from './createUrdRewardsSource.js'

const E18 = 10n ** 18n

describe('Morpho URD rewards on the local UniversalRewardsDistributor', () => {
  let evm: EvmFixture
  let chain: EvmChain
  let transactor: EvmTransactor
  let strategy: Address
  let folder: string
  let node: RewardsChain

  beforeAll(async () => {
    node = await startRewardsChain()
    ;({ evm, chain, transactor, folder } = node)
    strategy = getAddress(transactor.account)
  }, 60_000)

  afterAll(async () => {
    await node?.stop()
  })

  async function setUp(name: string) {
    const address = await deployRewardToken(evm, { symbol: 'MORPHO', decimals: 18 })
    const stray = await deployRewardToken(evm, { name: 'Stray', symbol: 'STRAY$', decimals: 8 })
    const token: Currency = createCurrency({ symbol: 'MORPHO', decimals: 18, chain: 'local', address })
    const distributor = await urdFixture.deploy(evm, address)
    await fundDistributor(evm, { token: address, to: distributor, amount: 1000n * E18 })
    await fundDistributor(evm, { token: stray, to: distributor, amount: 10n ** 12n })
    const file = join(folder, `${name}.json`)
    const loadClaims = proofsLoaderOf(urdFixture, { venue: name, file, account: strategy, chainId: evm.chain.chainId, distributor, token: address })
    const source = createUrdRewardsSource({ name, chain: 'local', distributor, account: strategy, batcher: chain.batcher, loadClaims, registry: [token] })
    const rows: RewardRow[] = [
      { account: strategy, token: address, cumulative: 80n * E18 },
      { account: strategy, token: stray, cumulative: 123_456_789n },
    ]
    const tree = await urdFixture.publish(evm, distributor, rows)
    writeProofs(file, urdFixture.proofs({ rows, tree, account: strategy, chainId: evm.chain.chainId, distributor, tokens: [] }))
    return { token, stray, distributor, source, rows, tree, file }
  }

  it("reads the symbol and decimals of a reward token the registry lacks from the token itself (Morpho's answer names neither)", async () => {
    const venue = await setUp('urd-stray')
    const holdings = await venue.source.fetchHoldings()
    expect(holdings.map((holding) => [holding.amount.currency.symbol, holding.amount.currency.decimals, holding.amount.raw, holding.held?.code])).toEqual([
      ['MORPHO', 18, 80n * E18, undefined],
      ['STRAY', 8, 123_456_789n, 'unverified_token'],
    ])
  })

  it('lists the proofs of a submitted root as stale until it is accepted after its timelock', async () => {
    const address = await deployRewardToken(evm, { symbol: 'MORPHO', decimals: 18 })
    const token: Currency = createCurrency({ symbol: 'MORPHO', decimals: 18, chain: 'local', address })
    const distributor = await deployUniversalRewardsDistributor(evm, { timelock: 86_400n })
    await fundDistributor(evm, { token: address, to: distributor, amount: 100n * E18 })
    const rows = (mine: bigint): RewardRow[] => [
      { account: strategy, token: address, cumulative: mine },
      { account: getAddress('0x1111111111111111111111111111111111111111'), token: address, cumulative: 1n },
    ]
    const first = buildUrdTree(rows(10n * E18))
    await setUrdRoot(evm, { distributor, root: first.root })
    const next = buildUrdTree(rows(25n * E18))
    await submitUrdRoot(evm, { distributor, root: next.root })
    const file = join(folder, 'urd-timelock.json')
    // Morpho's API serves the submitted root's proofs already.
    writeProofs(file, urdFixture.proofs({ rows: rows(25n * E18), tree: next, account: strategy, chainId: evm.chain.chainId, distributor, tokens: [] }))
    const loadClaims = proofsLoaderOf(urdFixture, { venue: 'urd-timelock', file, account: strategy, chainId: evm.chain.chainId, distributor, token: address })
    const source = createUrdRewardsSource({ name: 'urd-timelock', chain: 'local', distributor, account: strategy, batcher: chain.batcher, loadClaims, registry: [token] })
    const [pending] = await source.fetchHoldings()
    expect([pending?.amount.raw, pending?.held?.code]).toEqual([25n * E18, 'rewards_proof_stale'])
    expect(pending?.held?.detail).toContain(`are for root ${next.root}, the distributor's live root is ${first.root};`)
    await acceptUrdRoot(evm, { distributor })
    const [live] = await source.fetchHoldings()
    expect([live?.amount.raw, live?.held]).toEqual([25n * E18, undefined])
  })

  it('fails retryable and sends nothing when someone else claimed for the account first (anyone may, on a URD)', async () => {
    const venue = await setUp('urd-anyone')
    const proof = venue.tree.proofs[0] ?? []
    await rewardOwner(evm).write(venue.distributor, universalRewardsDistributorAbi, 'claim', [strategy, venue.token.address as Address, 80n * E18, proof])
    expect(await evm.client.readContract({ address: venue.token.address as Address, abi: erc20Abi, functionName: 'balanceOf', args: [strategy] })).toBe(80n * E18)
    const nonce = await evm.client.getTransactionCount({ address: strategy })
    const result = await createCumulativeClaimExecutor({ source: venue.source, transactor }).claim(Amount.fromRaw(venue.token, 80n * E18))
    expect(result).toMatchObject({ ok: false, reason: 'claim_failed', retryable: true })
    expect(result.ok ? '' : result.detail).toContain("are claimed already (they are in the account's wallet, and the next cycle sells them). Nothing was sent.")
    expect(await evm.client.getTransactionCount({ address: strategy })).toBe(nonce)
  })

  it('fails the scan with a SourceError naming the venue, the file and the field when the proofs are malformed, and the claim sends nothing', async () => {
    const venue = await setUp('urd-broken')
    writeFileSync(venue.file, JSON.stringify({ data: [{ user: strategy, asset: { address: venue.token.address, chain_id: 31337 } }] }))
    await expect(venue.source.fetchHoldings()).rejects.toThrow(
      `The proofs of urd-broken from ${venue.file} are not the Morpho rewards API's distributions answer ({ data: [...] }): data.0.distributor is wrong`,
    )
    const result = await createCumulativeClaimExecutor({ source: venue.source, transactor }).claim(Amount.fromRaw(venue.token, 80n * E18))
    expect(result).toMatchObject({ ok: false, reason: 'claim_failed', retryable: true })
    expect(result.ok ? '' : result.detail).toMatch(/^urd-broken could not be read again before claiming: The proofs of urd-broken .* Nothing was sent\.$/)
  })
})
