import { type Address, getAddress } from 'viem'
import { z } from 'zod'
import type { RewardClaim } from './RewardClaim.js'
import { duplicateRewardError } from './duplicateRewardError.js'
import { baseUnits, hexAddress, proofSteps } from './proofFields.js'
import { type ProofsOrigin, proofsFormatError } from './proofsFormatError.js'

const morphoDistributionSchema = z.object({
  user: hexAddress,
  asset: z.object({ address: hexAddress, chain_id: z.number().int() }),
  distributor: z.object({ address: hexAddress, chain_id: z.number().int() }),
  claimable: baseUnits,
  proof: proofSteps,
})

const morphoAnswerSchema = z.object({ data: z.array(morphoDistributionSchema) })

export type ParseMorphoDistributionsParameters = ProofsOrigin & {
  /** The answer of `GET /v1/users/{account}/distributions`, parsed JSON. */
  value: unknown
  account: Address
  chainId: number
  /** The URD of the venue: distributions of other URDs and chains are left out. */
  distributor: Address
}

/**
 * Reads the Morpho rewards API's distributions answer (`data`: per distribution its `user`,
 * `asset`, `distributor`, cumulative `claimable` and `proof`; `tx_data` is not used, the claim is
 * encoded here). Keeps the account's distributions of the venue's URD on its chain. Throws
 * `SourceError` naming the first field at fault.
 */
export function parseMorphoDistributions(parameters: ParseMorphoDistributionsParameters): RewardClaim[] {
  const parsed = morphoAnswerSchema.safeParse(parameters.value)
  if (!parsed.success) throw proofsFormatError(parameters, "the Morpho rewards API's distributions answer ({ data: [...] })", parsed.error)
  const account = getAddress(parameters.account)
  const distributor = getAddress(parameters.distributor)
  const claims: RewardClaim[] = []
  for (const entry of parsed.data.data) {
    if (entry.distributor.chain_id !== parameters.chainId || getAddress(entry.distributor.address) !== distributor || getAddress(entry.user) !== account) continue
    const token = getAddress(entry.asset.address)
    if (claims.some((claim) => claim.token === token)) {
      throw duplicateRewardError(parameters, token, account)
    }
    claims.push({ token, amount: BigInt(entry.claimable), proof: entry.proof })
  }
  return claims
}
