import { type Address, type Hex, getAddress } from 'viem'
import { type Currency, createCurrency } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import { readTokenMetadata } from '../evm/readTokenMetadata.js'
import { sanitizeTokenSymbol } from '../evm/sanitizeTokenSymbol.js'
import type { CumulativeDistributor, RewardClaim } from './RewardClaim.js'
import { foldMerkleProof } from './foldMerkleProof.js'

/** One reward of the account as the distributor stands now. */
export type RewardEntry = {
  readonly claim: RewardClaim
  readonly currency: Currency
  /** Whether the token is in the registry (by chain and address); a currency built from the proofs otherwise. */
  readonly registered: boolean
  /** What the account has claimed of it so far, cumulatively. */
  readonly claimed: bigint
  /** The cumulative amount less what was claimed; 0 or less when nothing is left. */
  readonly claimable: bigint
  /** The root the proof leads to. */
  readonly proofRoot: Hex
  /** Whether that root is the live root: only then can the claim go through. */
  readonly current: boolean
}

/** The account's rewards in one distributor, read together. */
export type RewardsState = { readonly liveRoot: Hex; readonly entries: readonly RewardEntry[] }

/**
 * Reads what was learnt in earlier reads (the tokens of the proofs and their metadata), so that the
 * next read queues every distributor read in the tick the scan starts in: one Multicall3 call with
 * the wallet balances once the reward tokens are known.
 */
export type RewardsReadMemory = { readonly tokens: Set<Address>; readonly metadata: Map<Address, { symbol: string; decimals: number }> }

export type ReadRewardsStateParameters = {
  venue: string
  /** Chain name from the config. */
  chain: string
  distributor: CumulativeDistributor
  account: Address
  batcher: EvmCallBatcher
  loadClaims: () => Promise<RewardClaim[]>
  /** The registry's tokens; a reward is matched to one by chain and address, never by symbol. */
  registry: readonly Currency[]
  memory: RewardsReadMemory
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

/** Holds a promise's outcome so that a read started before a failure elsewhere never rejects unheard. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  )
}

function readValue<T>(venue: string, what: string, result: Settled<T>): T {
  if (result.ok) return result.value
  throw new SourceError(venue, `Could not read ${what} for ${venue}.`, { cause: result.error, details: result.error instanceof Error ? result.error.message : String(result.error) })
}

/**
 * Reads an account's rewards in a cumulative distributor: loads the proofs again and reads the live
 * root and what was claimed of each token (through the chain's batcher). The reads of tokens
 * learnt earlier are queued at once, before the proofs arrive, so that they join the wallet
 * balances' Multicall3 call; a token new to the proofs is read in a second call. A proof is
 * current when it leads to the live root. Throws `SourceError` when the proofs or a read fail.
 */
export async function readRewardsState(parameters: ReadRewardsStateParameters): Promise<RewardsState> {
  const { venue, chain, distributor, account, batcher, memory } = parameters
  const root = settle(distributor.readRoot(batcher))
  const check = distributor.check === undefined ? undefined : settle(distributor.check(batcher))
  const claimedReads = new Map<Address, Promise<Settled<bigint>>>()
  const claimedOf = (token: Address) => {
    let read = claimedReads.get(token)
    if (read === undefined) {
      read = settle(distributor.readClaimed(batcher, account, token))
      claimedReads.set(token, read)
    }
    return read
  }
  for (const token of memory.tokens) void claimedOf(token)
  const claims = await parameters.loadClaims()
  const registered = (token: Address) => parameters.registry.find((currency) => currency.chain === chain && currency.address !== undefined && getAddress(currency.address) === token)
  const metadataOf = (claim: RewardClaim) => {
    const known = memory.metadata.get(claim.token)
    if (known !== undefined) return Promise.resolve(known)
    if (claim.symbol !== undefined && claim.decimals !== undefined) return Promise.resolve({ symbol: claim.symbol, decimals: claim.decimals })
    // Proofs without metadata (Morpho's): the token says what it is, in the same batch, read as
    // discovery reads a hostile token (bytes32 or huge symbols, decimals out of range); decimals
    // that cannot be used leave the amount in base units.
    return readTokenMetadata({ batcher, address: claim.token }).then(({ symbol, decimals }) => ({ symbol, decimals: decimals ?? 0 }))
  }
  const reads = claims.map((claim) => ({ claim, claimed: claimedOf(claim.token), currency: registered(claim.token), metadata: registered(claim.token) ? undefined : metadataOf(claim) }))
  const liveRoot = readValue(venue, `the live root of the ${distributor.label} ${distributor.address}`, await root)
  const problem = check === undefined ? undefined : readValue(venue, `the ${distributor.label} ${distributor.address}`, await check)
  if (problem !== undefined) throw new SourceError(venue, `${venue}: ${problem}`)
  const entries: RewardEntry[] = []
  for (const read of reads) {
    const { claim } = read
    const claimed = readValue(venue, `what ${account} claimed of ${claim.token} from the ${distributor.label} ${distributor.address}`, await read.claimed)
    let currency = read.currency
    if (currency === undefined) {
      const metadata = await (read.metadata ?? metadataOf(claim))
      memory.metadata.set(claim.token, metadata)
      currency = createCurrency({ symbol: sanitizeTokenSymbol(metadata.symbol ?? ''), decimals: metadata.decimals, chain, address: claim.token })
    }
    const proofRoot = foldMerkleProof(distributor.leaf(account, claim.token, claim.amount), claim.proof)
    entries.push({ claim, currency, registered: read.currency !== undefined, claimed, claimable: claim.amount - claimed, proofRoot, current: proofRoot === liveRoot.toLowerCase() })
  }
  memory.tokens.clear()
  for (const claim of claims) memory.tokens.add(claim.token)
  return { liveRoot, entries }
}
