import { type Address, type Hex, getAddress, hexToBigInt, isHex } from 'viem'
import type { Holding } from '../../domain/dust/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import { BaseError, SourceError } from '../../errors/index.js'
import type { BalanceSource } from '../../ports/index.js'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'

/** The merkle distributor's read and claim functions (`@uniswap/merkle-distributor`). */
export const merkleDistributorAbi = [
  { type: 'function', name: 'isClaimed', stateMutability: 'view', inputs: [{ name: 'index', type: 'uint256' }], outputs: [{ type: 'bool' }] },
  { type: 'function', name: 'token', stateMutability: 'view', inputs: [], outputs: [{ type: 'address' }] },
  { type: 'function', name: 'merkleRoot', stateMutability: 'view', inputs: [], outputs: [{ type: 'bytes32' }] },
  {
    type: 'function',
    name: 'claim',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'index', type: 'uint256' },
      { name: 'account', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'merkleProof', type: 'bytes32[]' },
    ],
    outputs: [],
  },
] as const

/** A claim of one account, ready for the distributor's `claim`. */
export type MerkleClaim = { readonly index: bigint; readonly account: Address; readonly amount: bigint; readonly proof: readonly Hex[] }

export type CreateMerkleRewardsSourceParameters = {
  /** Venue name from the config (`etherfi`). */
  name: string
  distributor: Address
  token: Currency
  account: Address
  /** The distribution's claims by account (a claims file, as `createBalanceTree` writes it). */
  claims: MerkleClaims
  batcher: EvmCallBatcher
}

/** The claims of a distribution by account: index, amount and proof, amounts and proofs in hex. */
export type MerkleClaims = {
  readonly claims: Readonly<Record<string, { readonly index: number; readonly amount: string; readonly proof: readonly string[] }>>
}

/** A rewards source that can also say how to claim what it reports. */
export type MerkleRewardsSource = BalanceSource & {
  readonly distributor: Address
  /** The account's claim, or `undefined` when the distribution has none for it. */
  readonly claim: MerkleClaim | undefined
}

/**
 * Creates a claimable-rewards source over a merkle distributor: the account's amount in the
 * claims file is claimable until the distributor's `isClaimed(index)` says it was claimed;
 * claimed tokens then show up in the wallet, never in both places.
 */
export function createMerkleRewardsSource(parameters: CreateMerkleRewardsSourceParameters): MerkleRewardsSource {
  const { name, distributor, token, batcher } = parameters
  const account = getAddress(parameters.account)
  const entry = Object.entries(parameters.claims.claims).find(([address]) => getAddress(address) === account)?.[1]
  const claim: MerkleClaim | undefined = entry ? readClaim(name, account, entry) : undefined
  return {
    name,
    source: 'claimable_rewards',
    distributor,
    claim,
    async fetchHoldings(): Promise<Holding[]> {
      if (!claim || claim.amount === 0n) return []
      let claimed: boolean
      try {
        claimed = await batcher.read({ address: distributor, abi: merkleDistributorAbi, functionName: 'isClaimed', args: [claim.index] })
      } catch (cause) {
        throw new SourceError(name, `Could not read isClaimed(${claim.index}) from the distributor ${distributor}.`, { cause })
      }
      if (claimed) return []
      return [{ amount: Amount.fromRaw(token, claim.amount), venue: name, source: 'claimable_rewards', custody: { kind: 'onchain', chain: batcher.chain } }]
    },
  }
}

/** Reads one account's entry of the claims, refusing an amount or a proof step that is not hex. */
function readClaim(name: string, account: Address, entry: MerkleClaims['claims'][string]): MerkleClaim {
  const proof = entry.proof.filter((step): step is Hex => isHex(step))
  if (!isHex(entry.amount) || proof.length !== entry.proof.length) {
    throw new BaseError(`The claims of ${name} for ${account} are not hex.`, {
      code: 'invalid_config',
      details: `Expected a 0x-prefixed hex amount and proof, found amount ${JSON.stringify(entry.amount)} and ${entry.proof.length - proof.length} proof step(s) that are not hex.`,
    })
  }
  return { index: BigInt(entry.index), account, amount: hexToBigInt(entry.amount), proof }
}
