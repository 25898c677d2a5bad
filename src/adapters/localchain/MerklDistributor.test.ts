import { type Address, type Hex, erc20Abi, getAddress, parseEther, parseEventLogs, zeroHash } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import {
  type DistributorTree,
  type RewardRow,
  advanceTimeTo,
  buildMerklTree,
  deployMerklDistributor,
  deployRewardToken,
  fundDistributor,
  revertOf,
  updateMerklTree,
} from '../../../test/rewardDistributors.js'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { merklDistributorAbi } from './rewardDistributorAbis.js'

const DISPUTE_PERIOD = 3600n

/** `claim(users, tokens, amounts, proofs)`'s arguments. */
type ClaimArgs = [users: Address[], tokens: Address[], amounts: bigint[], proofs: Hex[][]]
const FUNDING = parseEther('1000')

describe('MerklDistributor on a local chain', () => {
  let evm: EvmFixture
  let token: Address
  let distributor: Address
  // The node's accounts 1 to 3: two users with rewards, and a stranger whom one of them then approves as its operator.
  let user: LocalDeployer
  let delegator: LocalDeployer
  let stranger: LocalDeployer
  let first: DistributorTree
  let second: DistributorTree
  let firstRows: RewardRow[]
  let secondRows: RewardRow[]

  const signer = (index: number): LocalDeployer => {
    const privateKey = evm.chain.accounts[index]
    if (privateKey === undefined) throw new Error(`The local node has no account ${index}.`)
    return createLocalDeployer({ rpcUrl: evm.chain.rpcUrl, chainId: evm.chain.chainId, privateKey: privateKey as Hex })
  }
  const balanceOf = (account: Address) => evm.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [account] })
  const liveRoot = () => evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'getMerkleRoot' })
  /** The arguments of a one-leaf claim of `rows[index]` with its proof in `tree`. */
  const claimArgs = (rows: RewardRow[], tree: DistributorTree, index: number): ClaimArgs => {
    const row = rows[index]
    const proof = tree.proofs[index]
    if (row === undefined || proof === undefined) throw new Error(`No row ${index}.`)
    return [[row.account], [row.token], [row.cumulative], [proof]]
  }
  const simulateClaim = (sender: LocalDeployer, args: ClaimArgs) =>
    evm.client.simulateContract({ address: distributor, abi: merklDistributorAbi, functionName: 'claim', args, account: sender.address })

  beforeAll(async () => {
    evm = await startEvmFixture()
    user = signer(1)
    delegator = signer(2)
    stranger = signer(3)
    token = await deployRewardToken(evm, { symbol: 'MRKL', decimals: 18 })
    distributor = await deployMerklDistributor(evm, { disputePeriod: DISPUTE_PERIOD })
    await fundDistributor(evm, { token, to: distributor, amount: FUNDING })
    // Five leaves: an odd layer, and pairs hashed in both orders.
    const padding = [getAddress('0x1111111111111111111111111111111111111111'), getAddress('0x2222222222222222222222222222222222222222'), getAddress('0x3333333333333333333333333333333333333333')]
    firstRows = [
      { account: user.address, token, cumulative: parseEther('100') },
      { account: delegator.address, token, cumulative: parseEther('10') },
      ...padding.map((account, index) => ({ account, token, cumulative: BigInt(index + 1) })),
    ]
    secondRows = [
      { account: user.address, token, cumulative: parseEther('250') },
      { account: delegator.address, token, cumulative: parseEther('40') },
      ...padding.map((account, index) => ({ account, token, cumulative: BigInt(index + 2) })),
    ]
    first = buildMerklTree(firstRows)
    second = buildMerklTree(secondRows)
  }, 60_000)

  afterAll(async () => evm?.stop())

  it('answers the previous root until the first tree’s dispute period ends, and refuses claims against no root', async () => {
    const end = await updateMerklTree(evm, { distributor, root: first.root, live: false })
    const updatedAt = (await evm.client.getBlock()).timestamp
    expect(end).toBe(updatedAt + DISPUTE_PERIOD)
    expect(await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'tree' })).toEqual([first.root, zeroHash])
    expect(await liveRoot()).toBe(zeroHash)
    expect(await revertOf(simulateClaim(user, claimArgs(firstRows, first, 0)))).toBe('InvalidUninitializedRoot')

    await advanceTimeTo(evm, end)
    expect(await liveRoot()).toBe(first.root)
  })

  it('pays a user its cumulative amount and records it with the live root', async () => {
    const hash = await user.write(distributor, merklDistributorAbi, 'claim', claimArgs(firstRows, first, 0))
    const receipt = await evm.client.getTransactionReceipt({ hash })
    const block = await evm.client.getBlock({ blockNumber: receipt.blockNumber })
    expect(await balanceOf(user.address)).toBe(parseEther('100'))
    expect(await balanceOf(distributor)).toBe(FUNDING - parseEther('100'))
    expect(await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'claimed', args: [user.address, token] })).toEqual([
      parseEther('100'),
      Number(block.timestamp),
      first.root,
    ])
    const [claimed] = parseEventLogs({ abi: merklDistributorAbi, logs: receipt.logs, eventName: 'Claimed' })
    expect(claimed?.args).toEqual({ user: user.address, token, amount: parseEther('100') })
  })

  it('pays nothing more when the same leaf is claimed twice', async () => {
    const hash = await user.write(distributor, merklDistributorAbi, 'claim', claimArgs(firstRows, first, 0))
    const receipt = await evm.client.getTransactionReceipt({ hash })
    expect(parseEventLogs({ abi: merklDistributorAbi, logs: receipt.logs, eventName: 'Claimed' }).map((log) => log.args.amount)).toEqual([0n])
    expect(await balanceOf(user.address)).toBe(parseEther('100'))
    expect(await balanceOf(distributor)).toBe(FUNDING - parseEther('100'))
  })

  it('keeps the first root live while the second tree is in its dispute period', async () => {
    const end = await updateMerklTree(evm, { distributor, root: second.root, live: false })
    expect(await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'lastTree' })).toEqual([first.root, zeroHash])
    expect(await liveRoot()).toBe(first.root)
    expect(await revertOf(simulateClaim(user, claimArgs(secondRows, second, 0)))).toBe('InvalidProof')
    // The replaced root's proofs still hold until the new tree goes live.
    expect((await simulateClaim(delegator, claimArgs(firstRows, first, 1))).request.functionName).toBe('claim')

    await advanceTimeTo(evm, end)
    expect(await liveRoot()).toBe(second.root)
  })

  it('refuses a proof of the replaced root once the new tree is live', async () => {
    expect(await revertOf(simulateClaim(user, claimArgs(firstRows, first, 0)))).toBe('InvalidProof')
  })

  it('pays only the difference on the second root', async () => {
    await user.write(distributor, merklDistributorAbi, 'claim', claimArgs(secondRows, second, 0))
    expect(await balanceOf(user.address)).toBe(parseEther('250'))
    expect(await balanceOf(distributor)).toBe(FUNDING - parseEther('250'))
    const [amount, , root] = await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'claimed', args: [user.address, token] })
    expect([amount, root]).toEqual([parseEther('250'), second.root])
  })

  it('refuses a stranger who claims for a user (NotWhitelisted), and lets only the user approve an operator', async () => {
    expect(await revertOf(simulateClaim(stranger, claimArgs(secondRows, second, 1)))).toBe('NotWhitelisted')
    expect(
      await revertOf(
        evm.client.simulateContract({ address: distributor, abi: merklDistributorAbi, functionName: 'toggleOperator', args: [delegator.address, stranger.address], account: stranger.address }),
      ),
    ).toBe('NotTrusted')
    expect(await balanceOf(delegator.address)).toBe(0n)
  })

  it('lets an operator the user approved claim for it, the tokens going to the user', async () => {
    const hash = await delegator.write(distributor, merklDistributorAbi, 'toggleOperator', [delegator.address, stranger.address])
    const receipt = await evm.client.getTransactionReceipt({ hash })
    expect(parseEventLogs({ abi: merklDistributorAbi, logs: receipt.logs, eventName: 'OperatorToggled' }).map((log) => log.args)).toEqual([
      { user: delegator.address, operator: stranger.address, isWhitelisted: true },
    ])
    expect(await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'operators', args: [delegator.address, stranger.address] })).toBe(1n)
    // The approval is the delegator's alone: another user still may not claim for it.
    expect(await revertOf(simulateClaim(user, claimArgs(secondRows, second, 1)))).toBe('NotWhitelisted')

    await stranger.write(distributor, merklDistributorAbi, 'claim', claimArgs(secondRows, second, 1))
    expect(await balanceOf(delegator.address)).toBe(parseEther('40'))
    expect(await balanceOf(stranger.address)).toBe(0n)
    expect(await balanceOf(distributor)).toBe(FUNDING - parseEther('290'))
  })

  it('refuses arrays of different lengths (InvalidLengths)', async () => {
    const [users, tokens, amounts] = claimArgs(secondRows, second, 0)
    expect(await revertOf(simulateClaim(user, [users, tokens, amounts, []]))).toBe('InvalidLengths')
    expect(await revertOf(simulateClaim(user, [[], [], [], []]))).toBe('InvalidLengths')
  })

  it('answers its dispute period, in one-second epochs', async () => {
    expect(await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'disputePeriod' })).toBe(Number(DISPUTE_PERIOD))
    expect(await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'getEpochDuration' })).toBe(1)
    expect(
      await evm.client.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'canUpdateMerkleRoot', args: [privateKeyToAccount(evm.chain.accounts[0] as Hex).address] }),
    ).toBe(1n)
  })
})
