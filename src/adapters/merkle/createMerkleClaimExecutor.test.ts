import { type Address, getAddress, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, npmArtifact, startEvmFixture } from '../../../test/evmFixture.js'
import { Amount, type Currency, createCurrency } from '../../domain/money/index.js'
import { type EvmChain, createEvmChains } from '../evm/createEvmChains.js'
import { type EvmTransactor, createEvmTransactor } from '../evm/createEvmTransactor.js'
import { createBalanceTree } from './createBalanceTree.js'
import { createMerkleClaimExecutor, estimateMerkleClaimGas } from './createMerkleClaimExecutor.js'
import { type MerkleRewardsSource, createMerkleRewardsSource, merkleDistributorAbi } from './createMerkleRewardsSource.js'

const testToken = npmArtifact('@uniswap/merkle-distributor/build/TestERC20.json')
const distributorArtifact = npmArtifact('@uniswap/merkle-distributor/build/MerkleDistributor.json')

const strategy = getAddress('0x5757575757575757575757575757575757575757')
const stranger = getAddress('0x000000000000000000000000000000000000bEEF')
// Six accounts: the tree has an odd layer and pairs hashed in both orders.
const entries = [
  { account: getAddress('0x1111111111111111111111111111111111111111'), amount: parseEther('10') },
  { account: strategy, amount: parseEther('1500') },
  { account: getAddress('0x2222222222222222222222222222222222222222'), amount: 3n },
  { account: getAddress('0x3333333333333333333333333333333333333333'), amount: 7n },
  { account: getAddress('0x4444444444444444444444444444444444444444'), amount: parseEther('2') },
  { account: getAddress('0x6666666666666666666666666666666666666666'), amount: 1n },
]

describe('createMerkleClaimExecutor on the real @uniswap/merkle-distributor', () => {
  const tree = createBalanceTree(entries)
  let evm: EvmFixture
  let chain: EvmChain
  let transactor: EvmTransactor
  let eigen: Currency
  let distributor: Address
  const sourceFor = (account: Address): MerkleRewardsSource => createMerkleRewardsSource({ name: 'etherfi', distributor, token: eigen, account, claims: tree.claimsFile(), batcher: chain.batcher })

  beforeAll(async () => {
    evm = await startEvmFixture()
    const token = await evm.deploy(testToken, ['Eigen', 'EIGEN', 0n])
    distributor = await evm.deploy(distributorArtifact, [token, tree.root])
    const total = entries.reduce((sum, entry) => sum + entry.amount, 0n)
    const hash = await evm.wallet.writeContract({ address: token, abi: testToken.abi, functionName: 'setBalance', args: [distributor, total] } as never)
    await evm.client.waitForTransactionReceipt({ hash })
    eigen = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: token })
    chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    // Anyone may send a claim: the node's second account sends the strategy's.
    const sender = evm.chain.accounts[1]
    if (sender === undefined) throw new Error('the node has no second account')
    transactor = createEvmTransactor({ chain, account: privateKeyToAccount(sender), native: createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' }) })
  }, 60_000)

  afterAll(async () => {
    await evm?.stop()
  })

  it('gives every account a proof the distributor accepts, whatever the order of the pairs', async () => {
    // Seven accounts 0x1111…, 0x2222…, …: a tree whose upper layers hold pairs with the greater hash on the left.
    const seven = Array.from({ length: 7 }, (_, index) => ({ account: getAddress(`0x${(0x1111 * (index + 1)).toString(16).padStart(40, '0')}`), amount: BigInt(index + 1) }))
    for (const distribution of [entries, seven]) {
      const each = createBalanceTree(distribution)
      const deployed = await evm.deploy(distributorArtifact, [eigen.address, each.root])
      const total = distribution.reduce((sum, entry) => sum + entry.amount, 0n)
      await evm.client.waitForTransactionReceipt({ hash: await evm.wallet.writeContract({ address: eigen.address, abi: testToken.abi, functionName: 'setBalance', args: [deployed, total] } as never) })
      for (const [index, entry] of distribution.entries()) {
        const verified = await evm.client.simulateContract({
          address: deployed,
          abi: merkleDistributorAbi,
          functionName: 'claim',
          args: [BigInt(index), entry.account, entry.amount, each.proof(index)],
          account: evm.deployer,
        })
        expect(verified.request.functionName).toBe('claim')
      }
    }
  })

  it('refuses a proof for an index the distribution does not have', () => {
    expect(() => tree.proof(entries.length)).toThrow(`No account at index ${entries.length}.`)
  })

  it('answers claim_failed, sending nothing, for an account without a claim and for an amount that is not the whole claim', async () => {
    const executor = createMerkleClaimExecutor({ source: sourceFor(stranger), transactor })
    expect(await executor.claim(Amount.fromRaw(eigen, 1n))).toEqual({ ok: false, reason: 'claim_failed', detail: `etherfi has no claim for ${transactor.account}.`, retryable: false })
    const partial = createMerkleClaimExecutor({ source: sourceFor(strategy), transactor })
    expect(await partial.claim(Amount.fromRaw(eigen, parseEther('1000')))).toEqual({
      ok: false,
      reason: 'claim_failed',
      detail: `etherfi pays ${parseEther('1500')} base units, but the plan claims ${parseEther('1000')}.`,
      retryable: false,
    })
    expect(await evm.client.getTransactionCount({ address: transactor.account })).toBe(0)
  })

  it('estimates the gas of a claim only when there is one', async () => {
    expect(await estimateMerkleClaimGas({ source: sourceFor(stranger), client: evm.client, from: transactor.account })).toBeUndefined()
    const gas = await estimateMerkleClaimGas({ source: sourceFor(strategy), client: evm.client, from: transactor.account })
    expect(gas).toBeGreaterThan(21_000n)
  })

  it('claims the whole amount, tells the journal the hash first, then a second claim fails its simulation', async () => {
    const source = sourceFor(strategy)
    const executor = createMerkleClaimExecutor({ source, transactor })
    const heard: string[] = []
    const claimed = await executor.claim(Amount.fromRaw(eigen, parseEther('1500')), { submitting: async (reference) => void heard.push(reference) })
    if (!claimed.ok) throw new Error(claimed.detail)
    expect(claimed.receipt).toMatchObject({ kind: 'claim', venue: 'etherfi' })
    expect(heard).toEqual([claimed.receipt.reference])
    expect(await source.fetchHoldings()).toEqual([])
    const again = await executor.claim(Amount.fromRaw(eigen, parseEther('1500')))
    expect(again).toMatchObject({ ok: false, reason: 'claim_simulation_failed', retryable: false })
    expect(again.ok ? '' : again.detail).toContain('MerkleDistributor: Drop already claimed.')
  })
})
