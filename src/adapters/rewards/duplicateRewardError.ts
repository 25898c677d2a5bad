import { SourceError } from '../../errors/index.js'
import type { ProofsOrigin } from './proofsFormatError.js'

/** Words proofs that give one account two cumulative amounts of one token: which is right cannot be told. */
export function duplicateRewardError(origin: ProofsOrigin, token: string, account: string): SourceError {
  return new SourceError(origin.venue, `The proofs of ${origin.venue} from ${origin.where} name the reward ${token} twice for ${account}; expected one cumulative amount per token.`)
}
