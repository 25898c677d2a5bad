/**
 * Every error code this project raises or answers with, in the order {@link ERROR_CODE_MEANINGS}
 * documents them. Codes are stable across versions: exit codes, HTTP statuses and clients
 * match on them, never on messages.
 */
export const ERROR_CODES = [
  'internal_error',
  'usage',
  'interrupted',
  'invalid_config',
  'invalid_parameter',
  'invalid_amount',
  'currency_mismatch',
  'file_refused',
  'missing_artifact',
  'compile_failed',
  'source_failed',
  'all_sources_failed',
  'multicall_missing',
  'circuit_open',
  'venue_failed',
  'strategy_locked',
  'invalid_event',
  'event_store_failed',
  'event_store_closed',
  'event_store_lock_lost',
  'event_store_schema_too_new',
  'invalid_query',
  'invalid_params',
  'invalid_request',
  'unauthorized',
  'not_found',
  'unknown_strategy',
  'no_snapshot_yet',
  'method_not_allowed',
  'execution_disabled',
  'payload_too_large',
  'unsupported_media_type',
  'event_store_unavailable',
  'source_unavailable',
  'venue_unavailable',
] as const

/** A machine-readable error code: one of {@link ERROR_CODE_MEANINGS}. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** What each error code means. The HTTP API's codes and their statuses are listed in `errorStatus` (the HTTP edge). */
export const ERROR_CODE_MEANINGS = {
  internal_error: 'A bug or an error no other code names; the log has the cause.',
  usage: 'A command was used in a way it refuses (live execution without `--execute`, say).',
  interrupted: 'The work was interrupted by a signal.',
  invalid_config: 'A configuration file, or a setting given in code, is missing, unreadable or invalid.',
  invalid_parameter: 'A parameter given in code is out of its range.',
  invalid_amount: 'A decimal string or number cannot be read exactly as an amount.',
  currency_mismatch: 'Two amounts or prices of different currencies were combined.',
  file_refused: 'A file was refused before or while it was read (outside its folders, too large, not UTF-8 text).',
  missing_artifact: 'A compiled contract artifact is missing or malformed.',
  compile_failed: 'solc could not compile the contracts in contracts/ (a development script).',
  source_failed: 'A balance, price or equity source did not answer.',
  all_sources_failed: "None of a strategy's balance sources answered.",
  multicall_missing: 'The chain has no Multicall3 contract at its address.',
  circuit_open: 'A source is paused after failing again and again.',
  venue_failed: 'A conversion venue could not quote or execute.',
  strategy_locked: "Another process holds the strategy's one-executor lock.",
  invalid_event: 'The event store refused an event that does not have the shape of its type.',
  event_store_failed: 'A statement of the event store failed.',
  event_store_closed: 'The event store was used after it was closed.',
  event_store_lock_lost: "A strategy's lock was lost with the event store's connection.",
  event_store_schema_too_new: 'The event store was written by a newer version of this program.',
  invalid_query: 'A query parameter is invalid (HTTP 400; also the event store refusing a read).',
  invalid_params: 'A path parameter is invalid (HTTP 400).',
  invalid_request: 'The request is malformed (HTTP 400).',
  unauthorized: 'The bearer token is missing or wrong (HTTP 401).',
  not_found: 'No such route (HTTP 404).',
  unknown_strategy: 'No strategy of that mode (HTTP 404).',
  no_snapshot_yet: "The strategy's first cycle has not finished (HTTP 404).",
  method_not_allowed: 'The route does not take that method (HTTP 405).',
  execution_disabled: 'The strategy does not execute conversions here (HTTP 409).',
  payload_too_large: 'The request body is over the limit (HTTP 413).',
  unsupported_media_type: 'The request body is not JSON (HTTP 415).',
  event_store_unavailable: 'The event store cannot be opened, reached or read now (HTTP 503).',
  source_unavailable: 'A source the answer needs did not answer (HTTP 503).',
  venue_unavailable: 'A venue the answer needs did not answer (HTTP 503).',
} as const satisfies Record<ErrorCode, string>

/** Tells whether a string is one of this project's error codes. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODE_MEANINGS, value)
}
