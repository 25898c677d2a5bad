import { SimpleMerkleTree, StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { type Address, BaseError, ContractFunctionRevertedError, type Hex, createTestClient, encodeAbiParameters, encodePacked, getAddress, http, keccak256, zeroHash } from 'viem'
import { type LocalDeployer, createLocalDeployer } from '../src/adapters/localchain/createLocalDeployer.js'
import { demoTokenAbi } from '../src/adapters/localchain/demoAbis.js'
import { loadContractArtifact } from '../src/adapters/localchain/loadContractArtifact.js'
import { cumulativeMerkleDropAbi, merklDistributorAbi, universalRewardsDistributorAbi } from '../src/adapters/localchain/rewardDistributorAbis.js'
import type { LocalChain } from '../src/adapters/localchain/startLocalChain.js'

/** One leaf of a cumulative distribution: everything `account` has earned of `token` so far. */
export type RewardRow = { account: Address; token: Address; cumulative: bigint }

/** A distribution's root, and the proof of each row in the order the rows were given. */
export type DistributorTree = { root: Hex; proofs: Hex[][] }

/** What the helpers need of a local node: its RPC URL, chain id and funded accounts (an `EvmFixture` or a `DemoChain`). */
export type RewardChain = { chain: LocalChain }

function proofsOf(tree: { root: string; getProof(index: number): string[] }, count: number): DistributorTree {
  return { root: tree.root as Hex, proofs: Array.from({ length: count }, (_, index) => tree.getProof(index) as Hex[]) }
}

/** Builds a Merkl tree: leaves `keccak256(abi.encode(user, token, amount))`, pairs hashed sorted. */
export function buildMerklTree(rows: readonly RewardRow[]): DistributorTree {
  const leaves = rows.map((row) => keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'address' }, { type: 'uint256' }], [row.account, row.token, row.cumulative])))
  return proofsOf(SimpleMerkleTree.of(leaves), rows.length)
}

/** Builds a Morpho URD tree: OpenZeppelin `StandardMerkleTree` leaves of `(account, reward, claimable)`. */
export function buildUrdTree(rows: readonly RewardRow[]): DistributorTree {
  const tree = StandardMerkleTree.of(
    rows.map((row) => [row.account, row.token, row.cumulative.toString()]),
    ['address', 'address', 'uint256'],
  )
  return proofsOf(tree, rows.length)
}

/** Builds a 1inch cumulative drop tree: leaves `keccak256(abi.encodePacked(account, cumulativeAmount))`, pairs hashed sorted. */
export function buildDropTree(rows: readonly Pick<RewardRow, 'account' | 'cumulative'>[]): DistributorTree {
  const leaves = rows.map((row) => keccak256(encodePacked(['address', 'uint256'], [row.account, row.cumulative])))
  return proofsOf(SimpleMerkleTree.of(leaves), rows.length)
}

/** Returns a deployer for the node's first account, which deploys, owns and updates every distributor. */
export function rewardOwner(evm: RewardChain): LocalDeployer {
  const privateKey = evm.chain.accounts[0]
  if (privateKey === undefined) throw new Error('The local node has no funded account.')
  return createLocalDeployer({ rpcUrl: evm.chain.rpcUrl, chainId: evm.chain.chainId, privateKey: privateKey as Hex })
}

/**
 * Mines a block `seconds` (at least one) after the latest one; exactly, by setting the next block's
 * timestamp, because the node's clock may run ahead of the wall clock.
 */
export async function advanceTime(evm: RewardChain, seconds: bigint): Promise<void> {
  const testClient = createTestClient({ mode: 'hardhat', transport: http(evm.chain.rpcUrl, { retryCount: 0 }) })
  const latest = await rewardOwner(evm).client.getBlock()
  await testClient.setNextBlockTimestamp({ timestamp: latest.timestamp + (seconds > 0n ? seconds : 1n) })
  await testClient.mine({ blocks: 1 })
}

/** Mines a block at `timestamp`, or one second after the latest block when that is later. */
export async function advanceTimeTo(evm: RewardChain, timestamp: bigint): Promise<void> {
  const latest = await rewardOwner(evm).client.getBlock()
  await advanceTime(evm, timestamp - latest.timestamp)
}

/** Deploys a `DemoToken` reward token (owner-mintable) and returns its checksummed address. */
export async function deployRewardToken(evm: RewardChain, parameters: { name?: string; symbol: string; decimals: number }): Promise<Address> {
  return getAddress(await rewardOwner(evm).deploy(loadContractArtifact('DemoToken'), [parameters.name ?? parameters.symbol, parameters.symbol, parameters.decimals]))
}

/** Mints `amount` of a `DemoToken` to `to` (a distributor, to fund it). */
export async function fundDistributor(evm: RewardChain, parameters: { token: Address; to: Address; amount: bigint }): Promise<void> {
  await rewardOwner(evm).write(parameters.token, demoTokenAbi, 'mint', [parameters.to, parameters.amount])
}

/**
 * Deploys `MerklDistributor` with the first account as governor and trusted updater; the dispute
 * period is `disputePeriod` seconds (one-second epochs).
 */
export async function deployMerklDistributor(evm: RewardChain, parameters: { disputePeriod: bigint }): Promise<Address> {
  const owner = rewardOwner(evm)
  return getAddress(await owner.deploy(loadContractArtifact('MerklDistributor'), [owner.address, parameters.disputePeriod, 1]))
}

/**
 * Replaces the Merkl tree with `root` and, unless `live` is false, moves the clock past the end of
 * its dispute period so that `getMerkleRoot()` answers it. Returns the end of the dispute period.
 */
export async function updateMerklTree(evm: RewardChain, parameters: { distributor: Address; root: Hex; ipfsHash?: Hex; live?: boolean }): Promise<bigint> {
  const owner = rewardOwner(evm)
  await owner.write(parameters.distributor, merklDistributorAbi, 'updateTree', [{ merkleRoot: parameters.root, ipfsHash: parameters.ipfsHash ?? zeroHash }])
  const end = BigInt(await owner.client.readContract({ address: parameters.distributor, abi: merklDistributorAbi, functionName: 'endOfDisputePeriod' }))
  if (parameters.live !== false) await advanceTimeTo(evm, end)
  return end
}

/** Deploys `UniversalRewardsDistributor` owned by the first account, with no root and a timelock of `timelock` seconds. */
export async function deployUniversalRewardsDistributor(evm: RewardChain, parameters: { timelock: bigint }): Promise<Address> {
  const owner = rewardOwner(evm)
  return getAddress(await owner.deploy(loadContractArtifact('UniversalRewardsDistributor'), [owner.address, parameters.timelock, zeroHash, zeroHash]))
}

/** Sets the URD's root at once (`setRoot`, as its owner, bypassing the timelock). */
export async function setUrdRoot(evm: RewardChain, parameters: { distributor: Address; root: Hex; ipfsHash?: Hex }): Promise<void> {
  await rewardOwner(evm).write(parameters.distributor, universalRewardsDistributorAbi, 'setRoot', [parameters.root, parameters.ipfsHash ?? zeroHash])
}

/** Submits `root` as the URD's pending root (`submitRoot`); it may be accepted once the timelock has passed. */
export async function submitUrdRoot(evm: RewardChain, parameters: { distributor: Address; root: Hex; ipfsHash?: Hex }): Promise<void> {
  await rewardOwner(evm).write(parameters.distributor, universalRewardsDistributorAbi, 'submitRoot', [parameters.root, parameters.ipfsHash ?? zeroHash])
}

/** Moves the clock to the pending root's `validAt` and accepts it (`acceptRoot`). */
export async function acceptUrdRoot(evm: RewardChain, parameters: { distributor: Address }): Promise<void> {
  const owner = rewardOwner(evm)
  const [, , validAt] = await owner.client.readContract({ address: parameters.distributor, abi: universalRewardsDistributorAbi, functionName: 'pendingRoot' })
  await advanceTimeTo(evm, validAt)
  await owner.write(parameters.distributor, universalRewardsDistributorAbi, 'acceptRoot', [])
}

/** Deploys a `CumulativeMerkleDrop` of `token`, owned by the first account. */
export async function deployCumulativeMerkleDrop(evm: RewardChain, parameters: { token: Address }): Promise<Address> {
  return getAddress(await rewardOwner(evm).deploy(loadContractArtifact('CumulativeMerkleDrop'), [parameters.token]))
}

/** Replaces the drop's root (`setMerkleRoot`, as its owner) and returns the transaction's hash. */
export async function setDropRoot(evm: RewardChain, parameters: { distributor: Address; root: Hex }): Promise<Hex> {
  return rewardOwner(evm).write(parameters.distributor, cumulativeMerkleDropAbi, 'setMerkleRoot', [parameters.root])
}

/**
 * Awaits a contract call that must revert and returns why: the custom error's name (`InvalidProof`)
 * or the revert string (`claimable too low`). Throws when the call succeeds or fails otherwise.
 */
export async function revertOf(call: Promise<unknown>): Promise<string> {
  try {
    await call
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((cause) => cause instanceof ContractFunctionRevertedError) : undefined
    if (reverted instanceof ContractFunctionRevertedError && reverted.data !== undefined) {
      return reverted.data.errorName === 'Error' ? String(reverted.data.args?.[0]) : reverted.data.errorName
    }
    throw error
  }
  throw new Error('Expected the contract call to revert, but it succeeded.')
}
