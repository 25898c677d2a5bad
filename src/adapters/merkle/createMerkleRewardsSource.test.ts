import { type Address, getAddress, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, npmArtifact, startEvmFixture } from '../../../test/evmFixture.js'
import { createCurrency } from '../../domain/money/index.js'
import { createEvmBalanceSource } from '../evm/createEvmBalanceSource.js'
import { createEvmChains } from '../evm/createEvmChains.js'
import { createBalanceTree } from './createBalanceTree.js'
import { createMerkleRewardsSource, merkleDistributorAbi } from './createMerkleRewardsSource.js'

const testToken = npmArtifact('@uniswap/merkle-distributor/build/TestERC20.json')
const distributorArtifact = npmArtifact('@uniswap/merkle-distributor/build/MerkleDistributor.json')

const strategy = getAddress('0x5757575757575757575757575757575757575757')
const others = [getAddress('0x1111111111111111111111111111111111111111'), getAddress('0x2222222222222222222222222222222222222222')]

describe('merkle rewards on the real @uniswap/merkle-distributor', () => {
  let evm: EvmFixture
  let eigen: Address
  let distributor: Address
  const tree = createBalanceTree([
    { account: others[0] as Address, amount: parseEther('10') },
    { account: strategy, amount: parseEther('1500') },
    { account: others[1] as Address, amount: 3n },
  ])

  beforeAll(async () => {
    evm = await startEvmFixture()
    eigen = await evm.deploy(testToken, ['Eigen', 'EIGEN', 0n])
    distributor = await evm.deploy(distributorArtifact, [eigen, tree.root])
    const hash = await evm.wallet.writeContract({ address: eigen, abi: testToken.abi, functionName: 'setBalance', args: [distributor, parseEther('1510') + 3n] } as never)
    await evm.client.waitForTransactionReceipt({ hash })
  }, 60_000)

  afterAll(async () => {
    await evm?.stop()
  })

  it('writes a claims file the distributor accepts: root, index, amount and proof per account', async () => {
    const claims = tree.claimsFile()
    expect(claims.merkleRoot).toBe(await evm.client.readContract({ address: distributor, abi: merkleDistributorAbi, functionName: 'merkleRoot' }))
    expect(claims.tokenTotal).toBe(`0x${(parseEther('1510') + 3n).toString(16)}`)
    expect(claims.claims[strategy]).toMatchObject({ index: 1, amount: `0x${parseEther('1500').toString(16)}` })
    // Every proof verifies on chain: the contract's claim would revert on a wrong one, so simulate each.
    for (const [account, claim] of Object.entries(claims.claims)) {
      await evm.client.simulateContract({
        address: distributor,
        abi: merkleDistributorAbi,
        functionName: 'claim',
        args: [BigInt(claim.index), account as Address, BigInt(claim.amount), claim.proof],
        account: evm.deployer,
      })
    }
  })

  it('reports unclaimed rewards as claimable, and after the claim only the wallet holds them, never both', async () => {
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    const token = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: eigen })
    const rewards = createMerkleRewardsSource({ name: 'etherfi', distributor, token, account: strategy, claims: tree.claimsFile(), batcher: chain.batcher })
    const wallet = createEvmBalanceSource({ name: 'wallet', owner: strategy, tokens: [token], batcher: chain.batcher })

    const before = await Promise.all([rewards.fetchHoldings(), wallet.fetchHoldings()])
    expect(before.flat().map((holding) => `${holding.venue} ${holding.source} ${holding.amount.toString()}`)).toEqual(['etherfi claimable_rewards 1500 EIGEN'])
    expect(chain.batcher.calls()).toBe(1)

    const claim = rewards.claim
    if (!claim) throw new Error('the strategy has a claim')
    const hash = await evm.wallet.writeContract({
      address: distributor,
      abi: merkleDistributorAbi,
      functionName: 'claim',
      args: [claim.index, claim.account, claim.amount, [...claim.proof]],
    } as never)
    await evm.client.waitForTransactionReceipt({ hash })

    const after = await Promise.all([rewards.fetchHoldings(), wallet.fetchHoldings()])
    expect(after.flat().map((holding) => `${holding.venue} ${holding.source} ${holding.amount.toString()}`)).toEqual(['wallet wallet_balance 1500 EIGEN'])
  })

  it('reports nothing for an account the distribution does not name', async () => {
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    const token = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: eigen })
    const stranger = createMerkleRewardsSource({ name: 'etherfi', distributor, token, account: '0x000000000000000000000000000000000000bEEF', claims: tree.claimsFile(), batcher: chain.batcher })
    expect(stranger.claim).toBeUndefined()
    expect(await stranger.fetchHoldings()).toEqual([])
  })

  it('refuses claims whose amount or proof is not hex, naming the venue and the account', () => {
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    const token = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: eigen })
    const build = (entry: { index: number; amount: string; proof: string[] }) => () =>
      createMerkleRewardsSource({ name: 'etherfi', distributor, token, account: strategy, claims: { claims: { [strategy]: entry } }, batcher: chain.batcher })
    expect(build({ index: 0, amount: '1500', proof: [] })).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        shortMessage: `The claims of etherfi for ${getAddress(strategy)} are not hex.`,
        details: 'Expected a 0x-prefixed hex amount and proof, found amount "1500" and 0 proof step(s) that are not hex.',
      }),
    )
    expect(build({ index: 0, amount: '0x05', proof: ['0x01', 'zz'] })).toThrow(
      expect.objectContaining({ details: 'Expected a 0x-prefixed hex amount and proof, found amount "0x05" and 1 proof step(s) that are not hex.' }),
    )
  })
})

describe('createBalanceTree', () => {
  it('refuses an empty distribution', () => {
    expect(() => createBalanceTree([])).toThrow('A distribution needs at least one account.')
  })

  it('gives a single account the leaf as root and an empty proof', () => {
    const single = createBalanceTree([{ account: strategy, amount: 5n }])
    expect(single.proof(0)).toEqual([])
    expect(single.claimsFile().claims[strategy]?.proof).toEqual([])
  })
})
