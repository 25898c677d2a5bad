import { type Address, getAddress } from 'viem'
import { z } from 'zod'
import { SourceError } from '../../errors/index.js'
import type { RewardClaim } from './RewardClaim.js'
import { baseUnits, hash32, hexAddress, proofSteps } from './proofFields.js'
import { type ProofsOrigin, proofsFormatError } from './proofsFormatError.js'

const dropClaimsSchema = z.strictObject({
  merkleRoot: hash32,
  claims: z.record(hexAddress, z.strictObject({ amount: baseUnits, proof: proofSteps })),
})

export type ParseMerkleDropClaimsParameters = ProofsOrigin & {
  /** The claims file, parsed JSON. */
  value: unknown
  account: Address
  /** The drop's token (a registry token). */
  token: Address
}

/**
 * Reads a cumulative drop's claims file: `{ "merkleRoot": "0x…", "claims": { "<account>": {
 * "amount": "<cumulative base units>", "proof": ["0x…"] } } }`. Returns the account's claim, or
 * none when the file does not name it. Throws `SourceError` naming the first field at fault.
 */
export function parseMerkleDropClaims(parameters: ParseMerkleDropClaimsParameters): RewardClaim[] {
  const parsed = dropClaimsSchema.safeParse(parameters.value)
  if (!parsed.success) throw proofsFormatError(parameters, 'a cumulative drop claims file ({ merkleRoot, claims })', parsed.error)
  const account = getAddress(parameters.account)
  const entries = Object.entries(parsed.data.claims).filter(([address]) => getAddress(address) === account)
  if (entries.length > 1) {
    throw new SourceError(parameters.venue, `The proofs of ${parameters.venue} from ${parameters.where} name ${account} ${entries.length} times (in different cases); expected once.`)
  }
  const entry = entries[0]?.[1]
  return entry === undefined ? [] : [{ token: getAddress(parameters.token), amount: BigInt(entry.amount), proof: entry.proof }]
}
