import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type EvmChain, createEvmChains } from '../src/adapters/evm/createEvmChains.js'
import { createEvmTransactor } from '../src/adapters/evm/createEvmTransactor.js'
import { createCurrency } from '../src/domain/money/index.js'
import { type EvmFixture, startEvmFixture } from './evmFixture.js'
import type { EvmTransactor } from '../src/adapters/evm/createEvmTransactor.js'
import type { EvmCallBatcher } from '../src/adapters/evm/createEvmCallBatcher.js'
import type { RewardClaim } from '../src/adapters/rewards/RewardClaim.js'
import { createCumulativeClaimExecutor } from '../src/adapters/rewards/createCumulativeClaimExecutor.js'
import type { CumulativeRewardsSource } from '../src/adapters/rewards/createCumulativeRewardsSource.js'
import { createMerkleDropRewardsSource } from '../src/adapters/rewards/createMerkleDropRewardsSource.js'
import { createMerklClaimExecutor } from '../src/adapters/rewards/createMerklClaimExecutor.js'
import { createMerklRewardsSource } from '../src/adapters/rewards/createMerklRewardsSource.js'
import { createProofsLoader } from '../src/adapters/rewards/createProofsLoader.js'
import { createUrdRewardsSource } from '../src/adapters/rewards/createUrdRewardsSource.js'
import { parseMerkleDropClaims } from '../src/adapters/rewards/parseMerkleDropClaims.js'
import { parseMerklRewards } from '../src/adapters/rewards/parseMerklRewards.js'
import { parseMorphoDistributions } from '../src/adapters/rewards/parseMorphoDistributions.js'
import type { Currency } from '../src/domain/money/index.js'
import type { ClaimExecutor } from '../src/ports/index.js'
import {
  type DistributorTree,
  type RewardChain,
  type RewardRow,
  buildDropTree,
  buildMerklTree,
  buildUrdTree,
  deployCumulativeMerkleDrop,
  deployMerklDistributor,
  deployUniversalRewardsDistributor,
  setDropRoot,
  setUrdRoot,
  updateMerklTree,
} from './rewardDistributors.js'

/** A token of a distribution's rows, with what the proofs say of it (Merkl's answer names symbol and decimals). */
export type RewardToken = { address: Address; symbol: string; decimals: number }

/** The rows of one root: every account's cumulative amount of each token. */
export type Distribution = readonly RewardRow[]

/**
 * What a test does with one kind of cumulative distributor on a local node: deploy it, make a
 * root live, write the proofs of an account in the kind's format, and build its source and claimer.
 */
export type DistributorKindFixture = {
  readonly type: 'merkl' | 'morpho_urd' | 'merkle_drop'
  deploy(evm: RewardChain, token: Address): Promise<Address>
  /** Makes the distribution's root the live one, and returns its tree. */
  publish(evm: RewardChain, distributor: Address, rows: Distribution): Promise<DistributorTree>
  /** Builds the tree of a distribution without publishing it. */
  tree(rows: Distribution): DistributorTree
  /** The account's proofs in the kind's format (Merkl's API answer, Morpho's distributions, the drop file). */
  proofs(parameters: { rows: Distribution; tree: DistributorTree; account: Address; chainId: number; distributor: Address; tokens: readonly RewardToken[] }): unknown
  parse(origin: { venue: string; where: string }, value: unknown, context: { account: Address; chainId: number; distributor: Address; token: Address }): RewardClaim[]
  createSource(parameters: {
    name: string
    chain: string
    distributor: Address
    account: Address
    batcher: EvmCallBatcher
    loadClaims: () => Promise<RewardClaim[]>
    registry: readonly Currency[]
    /** The reward token (a drop's one token). */
    token: Address
  }): CumulativeRewardsSource
  createClaimer(parameters: { source: CumulativeRewardsSource; transactor: EvmTransactor }): ClaimExecutor
}

const accountRows = (rows: Distribution, account: Address) => rows.flatMap((row, index) => (row.account.toLowerCase() === account.toLowerCase() ? [{ row, index }] : []))

export const merklFixture: DistributorKindFixture = {
  type: 'merkl',
  deploy: (evm) => deployMerklDistributor(evm, { disputePeriod: 3600n }),
  async publish(evm, distributor, rows) {
    const tree = buildMerklTree(rows)
    await updateMerklTree(evm, { distributor, root: tree.root })
    return tree
  },
  tree: buildMerklTree,
  proofs: ({ rows, tree, account, chainId, tokens }) => [
    {
      chain: { id: chainId, name: 'Hardhat' },
      rewards: accountRows(rows, account).map(({ row, index }) => {
        const token = tokens.find((candidate) => candidate.address === row.token)
        return {
          root: tree.root,
          recipient: account,
          amount: row.cumulative.toString(),
          claimed: '0',
          pending: '0',
          proofs: tree.proofs[index],
          token: { address: row.token, chainId, symbol: token?.symbol ?? 'X', decimals: token?.decimals ?? 18 },
        }
      }),
    },
  ],
  parse: (origin, value, { account, chainId }) => parseMerklRewards({ ...origin, value, account, chainId }),
  createSource: createMerklRewardsSource,
  createClaimer: createMerklClaimExecutor,
}

export const urdFixture: DistributorKindFixture = {
  type: 'morpho_urd',
  deploy: (evm) => deployUniversalRewardsDistributor(evm, { timelock: 0n }),
  async publish(evm, distributor, rows) {
    const tree = buildUrdTree(rows)
    await setUrdRoot(evm, { distributor, root: tree.root })
    return tree
  },
  tree: buildUrdTree,
  proofs: ({ rows, tree, account, chainId, distributor }) => ({
    data: accountRows(rows, account).map(({ row, index }) => ({
      user: account,
      asset: { id: `${row.token}-${chainId}`, address: row.token, chain_id: chainId },
      distributor: { id: `${distributor}-${chainId}`, address: distributor, chain_id: chainId },
      claimable: row.cumulative.toString(),
      proof: tree.proofs[index],
    })),
  }),
  parse: (origin, value, { account, chainId, distributor }) => parseMorphoDistributions({ ...origin, value, account, chainId, distributor }),
  createSource: createUrdRewardsSource,
  createClaimer: createCumulativeClaimExecutor,
}

export const dropFixture: DistributorKindFixture = {
  type: 'merkle_drop',
  deploy: (evm, token) => deployCumulativeMerkleDrop(evm, { token }),
  async publish(evm, distributor, rows) {
    const tree = buildDropTree(rows)
    await setDropRoot(evm, { distributor, root: tree.root })
    return tree
  },
  tree: buildDropTree,
  proofs: ({ rows, tree, account }) => ({
    merkleRoot: tree.root,
    claims: Object.fromEntries(accountRows(rows, account).map(({ row, index }) => [account, { amount: row.cumulative.toString(), proof: tree.proofs[index] }])),
  }),
  parse: (origin, value, { account, token }) => parseMerkleDropClaims({ ...origin, value, account, token }),
  createSource: createMerkleDropRewardsSource,
  createClaimer: createCumulativeClaimExecutor,
}

/** The three kinds, for `describe.each`. */
export const distributorKinds = [merklFixture, urdFixture, dropFixture] as const

/** Writes proofs as JSON, where the venue's loader reads them every cycle. */
export function writeProofs(file: string, proofs: unknown): void {
  writeFileSync(file, JSON.stringify(proofs))
}

/** The loader of a proofs file for a kind, as the venue builders make it. */
export function proofsLoaderOf(
  fixture: DistributorKindFixture,
  parameters: { venue: string; file: string; account: Address; chainId: number; distributor: Address; token: Address },
): () => Promise<RewardClaim[]> {
  const { venue, file, account, chainId, distributor, token } = parameters
  return createProofsLoader({ venue, location: { file }, account, chainId, parse: (origin, value) => fixture.parse(origin, value, { account, chainId, distributor, token }) })
}

/** A local node for reward tests: the chain's reader, the strategy wallet's transactor (the node's second account) and a folder for proofs files. */
export type RewardsChain = { evm: EvmFixture; chain: EvmChain; transactor: EvmTransactor; folder: string; stop(): Promise<void> }

/** Starts a local node with Multicall3, a signing strategy wallet and a temporary folder for proofs. */
export async function startRewardsChain(): Promise<RewardsChain> {
  const evm = await startEvmFixture()
  const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
  const key = evm.chain.accounts[1]
  if (key === undefined) throw new Error('The local node has no second account.')
  const transactor = createEvmTransactor({ chain, account: privateKeyToAccount(key), native: createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' }) })
  const folder = mkdtempSync(join(tmpdir(), 'rewards-'))
  return {
    evm,
    chain,
    transactor,
    folder,
    async stop() {
      rmSync(folder, { recursive: true, force: true })
      await evm.stop()
    },
  }
}
