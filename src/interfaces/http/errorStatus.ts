import type { ErrorCode } from '../../errors/index.js'

/**
 * The HTTP status of every error code the API answers with: the one place where codes become
 * statuses, keyed by members of the `ErrorCode` union. Codes are stable across versions; clients match on them, not on messages. Each is
 * listed, with when it is sent, in the README's HTTP API section.
 */
export const ERROR_STATUS = {
  // The request is wrong.
  invalid_query: 400,
  invalid_params: 400,
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_strategy: 404,
  no_snapshot_yet: 404,
  method_not_allowed: 405,
  execution_disabled: 409,
  strategy_locked: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // This service is wrong.
  internal_error: 500,
  // Something this service depends on is down: try again later.
  event_store_unavailable: 503,
  source_unavailable: 503,
  venue_unavailable: 503,
} as const satisfies { readonly [code in ErrorCode]?: number }

/** A code the API answers with: the error codes that have an HTTP status. */
export type HttpErrorCode = keyof typeof ERROR_STATUS

/** Tells whether a code is one the API answers with. */
export function isHttpErrorCode(value: string): value is HttpErrorCode {
  return Object.hasOwn(ERROR_STATUS, value)
}

/** Tells the HTTP status of an error code; a code the API does not answer with is an internal error (500). */
export function errorStatus(value: string): number {
  return isHttpErrorCode(value) ? ERROR_STATUS[value] : 500
}
