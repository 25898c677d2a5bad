import { type Address, getAddress } from 'viem'
import { z } from 'zod'
import type { RewardClaim } from './RewardClaim.js'
import { duplicateRewardError } from './duplicateRewardError.js'
import { baseUnits, hash32, hexAddress, proofSteps } from './proofFields.js'
import { type ProofsOrigin, proofsFormatError } from './proofsFormatError.js'

// Only the fields the claim needs are checked; Merkl's answer carries more (prices, breakdowns, icons).
const merklRewardSchema = z.object({
  root: hash32,
  recipient: hexAddress,
  amount: baseUnits,
  proofs: proofSteps,
  token: z.object({ address: hexAddress, symbol: z.string().max(200), decimals: z.number().int().min(0).max(36) }),
})

const merklAnswerSchema = z.array(z.object({ chain: z.object({ id: z.number().int() }), rewards: z.array(merklRewardSchema) }))

export type ParseMerklRewardsParameters = ProofsOrigin & {
  /** The answer of `GET /v4/users/{account}/rewards?chainId={chainId}`, parsed JSON. */
  value: unknown
  account: Address
  chainId: number
}

/**
 * Reads Merkl's API v4 rewards answer: a list of chains, each with its `rewards` (`root`,
 * `recipient`, cumulative `amount`, `claimed`, `pending`, `proofs`, `token`). Keeps the rewards of
 * `chainId` whose recipient is `account`; `claimed` and `pending` are Merkl's view, the distributor
 * is asked instead. Throws `SourceError` naming the first field at fault.
 */
export function parseMerklRewards(parameters: ParseMerklRewardsParameters): RewardClaim[] {
  const parsed = merklAnswerSchema.safeParse(parameters.value)
  if (!parsed.success) throw proofsFormatError(parameters, "Merkl's rewards answer (a list of { chain, rewards })", parsed.error)
  const account = getAddress(parameters.account)
  const claims: RewardClaim[] = []
  for (const chain of parsed.data) {
    if (chain.chain.id !== parameters.chainId) continue
    for (const reward of chain.rewards) {
      if (getAddress(reward.recipient) !== account) continue
      const token = getAddress(reward.token.address)
      if (claims.some((claim) => claim.token === token)) {
        throw duplicateRewardError(parameters, token, account)
      }
      claims.push({ token, amount: BigInt(reward.amount), proof: reward.proofs, symbol: reward.token.symbol, decimals: reward.token.decimals })
    }
  }
  return claims
}
