import type { ErrorCode } from './ErrorCode.js'

/** Fields every error of this project carries. */
export type BaseErrorParameters = {
  /** Longer explanation: what was expected, what was found, where. */
  details?: string | undefined
  /** The error that led to this one. */
  cause?: unknown
  /** Machine-readable code, stable across versions (mapped to exit codes and HTTP statuses at the edges). */
  code?: ErrorCode | undefined
}

/**
 * Is the base of every error this project raises.
 *
 * `shortMessage` is one sentence for people; `details` says what was expected and found.
 * The `name` of each subclass is a literal so it survives minification and is matched on.
 */
export class BaseError extends Error {
  override name = 'BaseError'
  readonly shortMessage: string
  readonly details: string | undefined
  readonly code: ErrorCode

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const message = parameters.details ? `${shortMessage}\n${parameters.details}` : shortMessage
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.shortMessage = shortMessage
    this.details = parameters.details
    this.code = parameters.code ?? 'internal_error'
  }
}
