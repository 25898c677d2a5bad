/**
 * The HTTP status of every error code this project answers with: the one place where codes
 * become statuses. Codes are stable across versions; clients match on them, not on messages.
 */
export const ERROR_STATUS = {
  // The request is wrong.
  invalid_query: 400,
  invalid_params: 400,
  invalid_request: 400,
  usage: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_strategy: 404,
  no_snapshot_yet: 404,
  execution_disabled: 409,
  strategy_locked: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // Something this service depends on is down.
  source_failed: 502,
  venue_failed: 502,
  store_unavailable: 503,
  // This service is wrong.
  invalid_config: 500,
  invalid_amount: 500,
  currency_mismatch: 500,
  internal_error: 500,
} as const satisfies Record<string, number>

export type HttpErrorCode = keyof typeof ERROR_STATUS

/** Tells the HTTP status of an error code; a code with no status of its own is an internal error (500). */
export function errorStatus(code: string): number {
  return Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as HttpErrorCode] : 500
}
