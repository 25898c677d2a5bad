import { join } from 'node:path'
import { type Address, erc20Abi, getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { merklFixture, proofsLoaderOf, type RewardsChain, startRewardsChain, writeProofs } from '../../../test/cumulativeRewardsVenues.js'
import type { EvmFixture } from '../../../test/evmFixture.js'
import { type RewardRow, advanceTimeTo, buildMerklTree, deployRewardToken, fundDistributor, updateMerklTree } from '../../../test/rewardDistributors.js'
import { createLocalDeployer } from '../localchain/createLocalDeployer.js'
import { merklDistributorAbi } from '../localchain/rewardDistributorAbis.js'
import { Amount, type Currency, createCurrency } from '../../domain/money/index.js'
import type { EvmChain } from '../evm/createEvmChains.js'
import type { EvmTransactor } from '../evm/createEvmTransactor.js'
import { createMerklClaimExecutor } from './createMerklClaimExecutor.js'
import { createMerklRewardsSource } from './createMerklRewardsSource.js'

const E18 = 10n ** 18n

describe('Merkl rewards on the local MerklDistributor', () => {
  let evm: EvmFixture
  let chain: EvmChain
  let signer: EvmTransactor
  let folder: string
  let node: RewardsChain

  beforeAll(async () => {
    node = await startRewardsChain()
    ;({ evm, chain, folder } = node)
    signer = node.transactor
  }, 60_000)

  afterAll(async () => {
    await node?.stop()
  })

  /** A funded distributor paying `account` in a registry token and, optionally, in a token the registry lacks. */
  async function setUp(name: string, account: Address) {
    const address = await deployRewardToken(evm, { symbol: 'MORPHO', decimals: 18 })
    const stray = await deployRewardToken(evm, { symbol: 'WEIRD', decimals: 6 })
    const token: Currency = createCurrency({ symbol: 'MORPHO', decimals: 18, chain: 'local', address })
    const distributor = await merklFixture.deploy(evm, address)
    await fundDistributor(evm, { token: address, to: distributor, amount: 1000n * E18 })
    await fundDistributor(evm, { token: stray, to: distributor, amount: 10n ** 12n })
    const file = join(folder, `${name}.json`)
    const loadClaims = proofsLoaderOf(merklFixture, { venue: name, file, account, chainId: evm.chain.chainId, distributor, token: address })
    const source = createMerklRewardsSource({ name, chain: 'local', distributor, account, batcher: chain.batcher, loadClaims, registry: [token] })
    const rows = (mine: bigint): RewardRow[] => [
      { account, token: address, cumulative: mine },
      { account, token: stray, cumulative: 2_500_000n },
    ]
    const tokens = [
      { address, symbol: 'MORPHO', decimals: 18 },
      // Merkl's answer names the symbol; it is only a label, cleaned of anything but letters, digits, ".", "_" and "-".
      { address: stray, symbol: 'W€IRD <TOKEN>', decimals: 6 },
    ]
    const write = (mine: bigint) => writeProofs(file, merklFixture.proofs({ rows: rows(mine), tree: buildMerklTree(rows(mine)), account, chainId: evm.chain.chainId, distributor, tokens }))
    return { token, stray, distributor, source, rows, write }
  }

  it('lists a reward in a token the registry lacks as unverified_token, with a currency built from the proofs', async () => {
    const strategy = signer.account
    const venue = await setUp('merkl-stray', strategy)
    await updateMerklTree(evm, { distributor: venue.distributor, root: buildMerklTree(venue.rows(40n * E18)).root })
    venue.write(40n * E18)
    const holdings = await venue.source.fetchHoldings()
    expect(holdings.map((holding) => [holding.amount.currency.symbol, holding.amount.currency.decimals, holding.amount.raw, holding.held?.code])).toEqual([
      ['MORPHO', 18, 40n * E18, undefined],
      ['WIRDTOKEN', 6, 2_500_000n, 'unverified_token'],
    ])
    expect(holdings[1]?.held?.detail).toBe(`merkl-stray owes WIRDTOKEN (${venue.stray}), a token that is not in the registry on local; it is listed, never valued, claimed or sold.`)
  })

  it('lists the proofs of a tree still in its dispute period as stale: getMerkleRoot() answers the previous tree until it ends', async () => {
    const strategy = signer.account
    const venue = await setUp('merkl-dispute', strategy)
    const first = buildMerklTree(venue.rows(10n * E18))
    await updateMerklTree(evm, { distributor: venue.distributor, root: first.root })
    const next = buildMerklTree(venue.rows(30n * E18))
    const end = await updateMerklTree(evm, { distributor: venue.distributor, root: next.root, live: false })
    // Merkl's API already serves the new tree's proofs.
    venue.write(30n * E18)
    const [pending] = await venue.source.fetchHoldings()
    expect(pending?.held).toMatchObject({ code: 'rewards_proof_stale' })
    expect(pending?.held?.detail).toContain(`are for root ${next.root}, the distributor's live root is ${first.root};`)
    await advanceTimeTo(evm, end)
    const [live] = await venue.source.fetchHoldings()
    expect([live?.amount.raw, live?.held]).toEqual([30n * E18, undefined])
  })

  it('refuses, before sending, a signer that is neither the account nor an operator it approved; claims once the account approves it', async () => {
    const key = evm.chain.accounts[2]
    if (key === undefined) throw new Error('the node has no third account')
    const account = getAddress(privateKeyToAccount(key).address)
    const venue = await setUp('merkl-operator', account)
    await updateMerklTree(evm, { distributor: venue.distributor, root: buildMerklTree(venue.rows(12n * E18)).root })
    venue.write(12n * E18)
    const claimer = createMerklClaimExecutor({ source: venue.source, transactor: signer })
    const nonce = await evm.client.getTransactionCount({ address: signer.account })
    expect(await claimer.claim(Amount.fromRaw(venue.token, 12n * E18))).toEqual({
      ok: false,
      reason: 'claim_failed',
      detail: `The signer ${signer.account} may not claim merkl-operator's Merkl rewards for ${account}: operators(${account}, ${signer.account}) is 0. Sign with ${account}, or have it call toggleOperator(${account}, ${signer.account}) on ${venue.distributor}. Nothing was sent.`,
      retryable: false,
    })
    expect(await evm.client.getTransactionCount({ address: signer.account })).toBe(nonce)

    const wallet = createLocalDeployer({ rpcUrl: evm.chain.rpcUrl, chainId: evm.chain.chainId, privateKey: key })
    await wallet.write(venue.distributor, merklDistributorAbi, 'toggleOperator', [account, signer.account])
    const claimed = await claimer.claim(Amount.fromRaw(venue.token, 12n * E18))
    expect(claimed.ok).toBe(true)
    // The tokens go to the account, whoever sends the claim.
    expect(await evm.client.readContract({ address: venue.token.address as Address, abi: erc20Abi, functionName: 'balanceOf', args: [account] })).toBe(12n * E18)
  })
})
