import type { Address } from 'viem'
import type { Holding } from '../../domain/dust/index.js'
import { Amount } from '../../domain/money/index.js'
import type { BalanceSource } from '../../ports/index.js'
import type { CumulativeDistributor } from './RewardClaim.js'
import { type ReadRewardsStateParameters, type RewardEntry, type RewardsReadMemory, type RewardsState, readRewardsState } from './readRewardsState.js'

/** What `readRewardsState` reads each scan, under the venue's `name`; the source keeps the memory between scans. */
export type CreateCumulativeRewardsSourceParameters = Omit<ReadRewardsStateParameters, 'venue' | 'memory'> & {
  /** Venue name from the config. */
  name: string
  /** Reward tokens known before the first scan (a drop's one token): their reads join the first scan's batch. */
  knownTokens?: readonly Address[] | undefined
}

/** A claimable-rewards source over a cumulative distributor, which its claimer reads again before claiming. */
export type CumulativeRewardsSource = BalanceSource & {
  readonly distributor: CumulativeDistributor
  readonly account: Address
  /** Reads the proofs, the live root and what was claimed, now. */
  readState(): Promise<RewardsState>
  /** What the last read found, if any (the claim gas estimate of a plan uses the scan's read). */
  latestState(): RewardsState | undefined
}

/** Says why a reward is listed and not claimed, or nothing when it can be claimed. */
function heldOf(name: string, chain: string, state: RewardsState, entry: RewardEntry): Holding['held'] {
  if (!entry.registered) {
    const { symbol, address } = entry.currency
    return {
      code: 'unverified_token',
      detail: `${name} owes ${symbol} (${address}), a token that is not in the registry on ${chain}; it is listed, never valued, claimed or sold.`,
    }
  }
  if (!entry.current) {
    return {
      code: 'rewards_proof_stale',
      detail: `${name}: the proofs of ${entry.currency.symbol} are for root ${entry.proofRoot}, the distributor's live root is ${state.liveRoot}; nothing is claimed until the proofs catch up.`,
    }
  }
  return undefined
}

/**
 * Creates the claimable-rewards source of a cumulative merkle distributor: each scan reads the
 * proofs again and, through the chain's batcher, the live root and what was claimed; it reports
 * cumulative − claimed per token, in base units. Rewards whose proof does not lead to the live
 * root are listed `rewards_proof_stale`, rewards in a token the registry lacks `unverified_token`:
 * neither is valued nor planned. Nothing left to claim is no holding.
 */
export function createCumulativeRewardsSource(parameters: CreateCumulativeRewardsSourceParameters): CumulativeRewardsSource {
  const { name, chain, distributor, account, batcher } = parameters
  const memory: RewardsReadMemory = { tokens: new Set(parameters.knownTokens), metadata: new Map() }
  let latest: RewardsState | undefined
  const readState = async () => {
    latest = await readRewardsState({ venue: name, chain, distributor, account, batcher, loadClaims: parameters.loadClaims, registry: parameters.registry, memory })
    return latest
  }
  return {
    name,
    source: 'claimable_rewards',
    distributor,
    account,
    readState,
    latestState: () => latest,
    async fetchHoldings(): Promise<Holding[]> {
      const state = await readState()
      return state.entries
        .filter((entry) => entry.claimable > 0n)
        .map((entry) => {
          const held = heldOf(name, chain, state, entry)
          const holding: Holding = { amount: Amount.fromRaw(entry.currency, entry.claimable), venue: name, source: 'claimable_rewards', custody: { kind: 'onchain', chain } }
          return held === undefined ? holding : { ...holding, held }
        })
    },
  }
}
