import { type Address, type Hex, erc20Abi, getAddress, parseEther, parseEventLogs, zeroHash } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import {
  type DistributorTree,
  type RewardRow,
  acceptUrdRoot,
  advanceTimeTo,
  buildUrdTree,
  deployRewardToken,
  deployUniversalRewardsDistributor,
  fundDistributor,
  revertOf,
  setUrdRoot,
  submitUrdRoot,
} from '../../../test/rewardDistributors.js'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { universalRewardsDistributorAbi } from './rewardDistributorAbis.js'

const TIMELOCK = 86_400n
const FUNDING = parseEther('1000')
const account = getAddress('0x5757575757575757575757575757575757575757')

describe('UniversalRewardsDistributor on a local chain', () => {
  let evm: EvmFixture
  let token: Address
  let other: Address
  let distributor: Address
  // Anyone may claim for an account: the node's second account sends every claim.
  let sender: LocalDeployer
  let firstRows: RewardRow[]
  let secondRows: RewardRow[]
  let first: DistributorTree
  let second: DistributorTree

  const balanceOf = (holder: Address) => evm.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [holder] })
  const read = <const functionName extends 'root' | 'pendingRoot' | 'timelock' | 'owner'>(functionName: functionName) =>
    evm.client.readContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName })
  const claimArgs = (rows: RewardRow[], tree: DistributorTree, index: number): [Address, Address, bigint, Hex[]] => {
    const row = rows[index]
    const proof = tree.proofs[index]
    if (row === undefined || proof === undefined) throw new Error(`No row ${index}.`)
    return [row.account, row.token, row.cumulative, proof]
  }
  const simulateClaim = (args: [Address, Address, bigint, Hex[]]) =>
    evm.client.simulateContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'claim', args, account: sender.address })

  beforeAll(async () => {
    evm = await startEvmFixture()
    const privateKey = evm.chain.accounts[1]
    if (privateKey === undefined) throw new Error('The local node has no second account.')
    sender = createLocalDeployer({ rpcUrl: evm.chain.rpcUrl, chainId: evm.chain.chainId, privateKey: privateKey as Hex })
    token = await deployRewardToken(evm, { symbol: 'MORPHO', decimals: 18 })
    other = await deployRewardToken(evm, { symbol: 'USDC', decimals: 6 })
    distributor = await deployUniversalRewardsDistributor(evm, { timelock: TIMELOCK })
    await fundDistributor(evm, { token, to: distributor, amount: FUNDING })
    await fundDistributor(evm, { token: other, to: distributor, amount: 1_000_000_000n })
    // Two reward tokens for the same account, and other accounts: the leaf binds the token too.
    firstRows = [
      { account, token, cumulative: parseEther('100') },
      { account, token: other, cumulative: 5_000_000n },
      { account: getAddress('0x1111111111111111111111111111111111111111'), token, cumulative: 1n },
      { account: getAddress('0x2222222222222222222222222222222222222222'), token, cumulative: 2n },
      { account: getAddress('0x3333333333333333333333333333333333333333'), token: other, cumulative: 3n },
    ]
    secondRows = firstRows.map((row, index) => (index === 0 ? { ...row, cumulative: parseEther('250') } : { ...row, cumulative: row.cumulative * 2n }))
    first = buildUrdTree(firstRows)
    second = buildUrdTree(secondRows)
  }, 60_000)

  afterAll(async () => evm?.stop())

  it('refuses claims while no root is set', async () => {
    expect(await read('root')).toBe(zeroHash)
    expect(await read('timelock')).toBe(TIMELOCK)
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 0)))).toBe('root is not set')
  })

  it('takes a root set by its owner at once, bypassing the timelock, and refuses setRoot from anyone else', async () => {
    expect(
      await revertOf(evm.client.simulateContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'setRoot', args: [first.root, zeroHash], account: sender.address })),
    ).toBe('caller has not the updater role')
    await setUrdRoot(evm, { distributor, root: first.root })
    expect(await read('root')).toBe(first.root)
  })

  it('pays the account when anyone claims for it, and answers the amount paid', async () => {
    const { result } = await simulateClaim(claimArgs(firstRows, first, 0))
    expect(result).toBe(parseEther('100'))
    const hash = await sender.write(distributor, universalRewardsDistributorAbi, 'claim', claimArgs(firstRows, first, 0))
    const receipt = await evm.client.getTransactionReceipt({ hash })
    expect(parseEventLogs({ abi: universalRewardsDistributorAbi, logs: receipt.logs, eventName: 'Claimed' }).map((log) => log.args)).toEqual([{ account, reward: token, amount: parseEther('100') }])
    expect(await balanceOf(account)).toBe(parseEther('100'))
    expect(await balanceOf(sender.address)).toBe(0n)
    expect(await balanceOf(distributor)).toBe(FUNDING - parseEther('100'))
    expect(await evm.client.readContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'claimed', args: [account, token] })).toBe(parseEther('100'))
    expect(await evm.client.readContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'claimed', args: [account, other] })).toBe(0n)
  })

  it('refuses a second claim of the same leaf (claimable too low)', async () => {
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 0)))).toBe('claimable too low')
    expect(await balanceOf(account)).toBe(parseEther('100'))
  })

  it('keeps a submitted root pending until its timelock has passed', async () => {
    await submitUrdRoot(evm, { distributor, root: second.root })
    const submittedAt = (await evm.client.getBlock()).timestamp
    expect(await read('pendingRoot')).toEqual([second.root, zeroHash, submittedAt + TIMELOCK])
    expect(await read('root')).toBe(first.root)
    expect(await revertOf(evm.client.simulateContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'acceptRoot', account: sender.address }))).toBe(
      'timelock is not expired',
    )
    expect(await revertOf(simulateClaim(claimArgs(secondRows, second, 0)))).toBe('invalid proof or expired')

    // An hour before validAt: a wide margin, since a call runs at the node's clock, which moves on with the wall clock.
    await advanceTimeTo(evm, submittedAt + TIMELOCK - 3600n)
    expect(await revertOf(evm.client.simulateContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'acceptRoot', account: sender.address }))).toBe(
      'timelock is not expired',
    )
    await acceptUrdRoot(evm, { distributor })
    expect(await read('root')).toBe(second.root)
    expect(await read('pendingRoot')).toEqual([zeroHash, zeroHash, 0n])
  })

  it('refuses a proof of the replaced root (invalid proof or expired)', async () => {
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 0)))).toBe('invalid proof or expired')
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 1)))).toBe('invalid proof or expired')
  })

  it('pays only the difference on the second root, and the other token in full', async () => {
    await sender.write(distributor, universalRewardsDistributorAbi, 'claim', claimArgs(secondRows, second, 0))
    await sender.write(distributor, universalRewardsDistributorAbi, 'claim', claimArgs(secondRows, second, 1))
    expect(await balanceOf(account)).toBe(parseEther('250'))
    expect(await balanceOf(distributor)).toBe(FUNDING - parseEther('250'))
    expect(await evm.client.readContract({ address: other, abi: erc20Abi, functionName: 'balanceOf', args: [account] })).toBe(10_000_000n)
    expect(await evm.client.readContract({ address: distributor, abi: universalRewardsDistributorAbi, functionName: 'claimed', args: [account, token] })).toBe(parseEther('250'))
  })
})
