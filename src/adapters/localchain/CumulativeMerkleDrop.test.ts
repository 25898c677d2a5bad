import { type Address, type Hex, erc20Abi, getAddress, parseEventLogs, parseUnits, zeroHash } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { type DistributorTree, type RewardRow, buildDropTree, deployCumulativeMerkleDrop, deployRewardToken, fundDistributor, revertOf, setDropRoot } from '../../../test/rewardDistributors.js'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { cumulativeMerkleDropAbi } from './rewardDistributorAbis.js'

const FUNDING = parseUnits('1000', 18)
const account = getAddress('0x5757575757575757575757575757575757575757')

/** `claim(account, cumulativeAmount, expectedMerkleRoot, merkleProof)`'s arguments. */
type ClaimArgs = [account: Address, cumulativeAmount: bigint, expectedMerkleRoot: Hex, merkleProof: Hex[]]

describe('CumulativeMerkleDrop on a local chain', () => {
  let evm: EvmFixture
  let token: Address
  let drop: Address
  // Anyone may claim for an account: the node's second account sends every claim.
  let sender: LocalDeployer
  let firstRows: RewardRow[]
  let secondRows: RewardRow[]
  let first: DistributorTree
  let second: DistributorTree

  const balanceOf = (holder: Address) => evm.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [holder] })
  const claimArgs = (rows: RewardRow[], tree: DistributorTree, index: number, expectedMerkleRoot: Hex = tree.root): ClaimArgs => {
    const row = rows[index]
    const proof = tree.proofs[index]
    if (row === undefined || proof === undefined) throw new Error(`No row ${index}.`)
    return [row.account, row.cumulative, expectedMerkleRoot, proof]
  }
  const simulateClaim = (args: ClaimArgs) => evm.client.simulateContract({ address: drop, abi: cumulativeMerkleDropAbi, functionName: 'claim', args, account: sender.address })

  beforeAll(async () => {
    evm = await startEvmFixture()
    const privateKey = evm.chain.accounts[1]
    if (privateKey === undefined) throw new Error('The local node has no second account.')
    sender = createLocalDeployer({ rpcUrl: evm.chain.rpcUrl, chainId: evm.chain.chainId, privateKey: privateKey as Hex })
    token = await deployRewardToken(evm, { symbol: '1INCH', decimals: 18 })
    drop = await deployCumulativeMerkleDrop(evm, { token })
    await fundDistributor(evm, { token, to: drop, amount: FUNDING })
    firstRows = [
      { account, token, cumulative: parseUnits('100', 18) },
      { account: getAddress('0x1111111111111111111111111111111111111111'), token, cumulative: 1n },
      { account: getAddress('0x2222222222222222222222222222222222222222'), token, cumulative: 2n },
      { account: getAddress('0x3333333333333333333333333333333333333333'), token, cumulative: 3n },
      { account: getAddress('0x4444444444444444444444444444444444444444'), token, cumulative: 4n },
    ]
    secondRows = firstRows.map((row, index) => ({ ...row, cumulative: index === 0 ? parseUnits('250', 18) : row.cumulative * 2n }))
    first = buildDropTree(firstRows)
    second = buildDropTree(secondRows)
  }, 60_000)

  afterAll(async () => evm?.stop())

  it('answers its token, and lets only its owner set the root', async () => {
    expect(await evm.client.readContract({ address: drop, abi: cumulativeMerkleDropAbi, functionName: 'token' })).toBe(token)
    expect(await revertOf(evm.client.simulateContract({ address: drop, abi: cumulativeMerkleDropAbi, functionName: 'setMerkleRoot', args: [first.root], account: sender.address }))).toBe(
      'Ownable: caller is not the owner',
    )
    await setDropRoot(evm, { distributor: drop, root: first.root })
    expect(await evm.client.readContract({ address: drop, abi: cumulativeMerkleDropAbi, functionName: 'merkleRoot' })).toBe(first.root)
  })

  it('pays the account its cumulative amount when anyone claims for it', async () => {
    const hash = await sender.write(drop, cumulativeMerkleDropAbi, 'claim', claimArgs(firstRows, first, 0))
    const receipt = await evm.client.getTransactionReceipt({ hash })
    expect(parseEventLogs({ abi: cumulativeMerkleDropAbi, logs: receipt.logs, eventName: 'Claimed' }).map((log) => log.args)).toEqual([{ account, amount: parseUnits('100', 18) }])
    expect(await balanceOf(account)).toBe(parseUnits('100', 18))
    expect(await balanceOf(sender.address)).toBe(0n)
    expect(await balanceOf(drop)).toBe(FUNDING - parseUnits('100', 18))
    expect(await evm.client.readContract({ address: drop, abi: cumulativeMerkleDropAbi, functionName: 'cumulativeClaimed', args: [account] })).toBe(parseUnits('100', 18))
  })

  it('refuses a second claim of the same leaf (NothingToClaim) and a proof that does not match (InvalidProof)', async () => {
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 0)))).toBe('NothingToClaim')
    const [, , root, proof] = claimArgs(firstRows, first, 0)
    expect(await revertOf(simulateClaim([account, parseUnits('101', 18), root, proof]))).toBe('InvalidProof')
    expect(await balanceOf(account)).toBe(parseUnits('100', 18))
  })

  it('refuses a claim that expects the replaced root (MerkleRootWasUpdated), even with the proof of the new one', async () => {
    const hash = await setDropRoot(evm, { distributor: drop, root: second.root })
    const receipt = await evm.client.getTransactionReceipt({ hash })
    expect(parseEventLogs({ abi: cumulativeMerkleDropAbi, logs: receipt.logs, eventName: 'MerkelRootUpdated' }).map((log) => log.args)).toEqual([
      { oldMerkleRoot: first.root, newMerkleRoot: second.root },
    ])
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 0)))).toBe('MerkleRootWasUpdated')
    expect(await revertOf(simulateClaim(claimArgs(secondRows, second, 0, first.root)))).toBe('MerkleRootWasUpdated')
    // The old leaf against the new root is no proof at all.
    expect(await revertOf(simulateClaim(claimArgs(firstRows, first, 0, second.root)))).toBe('InvalidProof')
  })

  it('pays only the difference on the second root', async () => {
    await sender.write(drop, cumulativeMerkleDropAbi, 'claim', claimArgs(secondRows, second, 0))
    expect(await balanceOf(account)).toBe(parseUnits('250', 18))
    expect(await balanceOf(drop)).toBe(FUNDING - parseUnits('250', 18))
    expect(await revertOf(simulateClaim(claimArgs(secondRows, second, 0)))).toBe('NothingToClaim')
  })

  it('refuses every claim while the root is zero', async () => {
    await setDropRoot(evm, { distributor: drop, root: zeroHash })
    expect(await revertOf(simulateClaim(claimArgs(secondRows, second, 1, zeroHash)))).toBe('InvalidProof')
  })
})
