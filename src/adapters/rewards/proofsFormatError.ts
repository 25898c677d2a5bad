import type { z } from 'zod'
import { SourceError } from '../../errors/index.js'

/** Where proofs came from and what they were expected to be, for messages. */
export type ProofsOrigin = {
  /** Venue name from the config. */
  readonly venue: string
  /** The file, or the URL without its path, query or credentials. */
  readonly where: string
}

/**
 * Words a proofs answer that does not have its format's shape: the venue, where the answer came
 * from and the first field at fault, never the answer itself.
 */
export function proofsFormatError(origin: ProofsOrigin, format: string, error: z.ZodError): SourceError {
  const issue = error.issues[0]
  const field = issue === undefined || issue.path.length === 0 ? 'the answer itself' : issue.path.map(String).join('.')
  return new SourceError(origin.venue, `The proofs of ${origin.venue} from ${origin.where} are not ${format}: ${field} is wrong (${issue?.message ?? 'invalid'}).`, {
    details: `${error.issues.length} field(s) at fault.`,
  })
}
