/**
 * Every reason a conversion fails, in the order {@link CONVERSION_FAILURE_REASON_MEANINGS} documents
 * them: the `reason` of a `dust_conversion_failed` event and of a failed execution outcome.
 */
export const CONVERSION_FAILURE_REASONS = [
  'outcome_unknown',
  'interrupted',
  'no_executor',
  'execution_error',
  'no_sale',
  'no_signer',
  'venue_unavailable',
  'venue_failed',
  'venue_error',
  'account_unavailable',
  'claim_failed',
  'claim_simulation_failed',
  'claim_reverted',
  'transfer_failed',
  'transfer_reverted',
  'approval_reverted',
  'swap_simulation_failed',
  'swap_reverted',
  'simulation_failed',
  'send_failed',
  'reverted',
  'slippage',
  'insufficient_funds',
  'no_route',
  'insufficient_liquidity',
  'below_amount_step',
  'unknown_token',
  'invalid_client_order_id',
  'sale_incomplete',
  'order_canceled',
  'order_expired',
  'order_rejected',
  'rate_limited',
  'request_timeout',
  'exchange_maintenance',
  'exchange_unavailable',
  'invalid_nonce',
  'network_error',
  'bad_response',
  'operation_failed',
  'order_not_found',
  'invalid_order',
  'permission_denied',
  'authentication_failed',
  'bad_symbol',
  'bad_request',
  'not_supported',
  'operation_rejected',
  'exchange_error',
] as const

/** Says, for machines, why a conversion failed: one of {@link CONVERSION_FAILURE_REASON_MEANINGS}. */
export type ConversionFailureReason = (typeof CONVERSION_FAILURE_REASONS)[number]

/** What each conversion failure reason means. Codes are stable across versions. */
export const CONVERSION_FAILURE_REASON_MEANINGS = {
  outcome_unknown: "A step left the process (a transaction broadcast, an order placed) but its venue's answer never came: no outcome, the conversion stays open until recovery's lookup settles it.",
  interrupted: 'The process stopped while the conversion was open; recovery found nothing in flight, or only what it expired.',
  no_executor: 'The strategy has no execution manager that can carry the instruction out.',
  execution_error: 'The execution manager threw instead of answering.',
  no_sale: 'The instruction has no swap or sale step.',
  no_signer: 'The venue has no signer: it quotes only.',
  venue_unavailable: 'No executor is configured for a step of the instruction (claim, transfer, swap or sale).',
  venue_failed: 'The venue, or the account that sells on it, is not configured (paper execution).',
  venue_error: 'The venue failed with an error of its own that no other reason names.',
  account_unavailable: 'The exchange account that sells is not available.',
  claim_failed: 'The rewards could not be claimed (no claim for the account, or another amount than planned).',
  claim_simulation_failed: 'The claim transaction would fail on chain; nothing was sent.',
  claim_reverted: 'The claim transaction was mined and reverted.',
  transfer_failed: 'The tokens could not be moved to the exchange (no deposit address, or a native coin).',
  transfer_reverted: 'The transfer to the exchange was mined and reverted.',
  approval_reverted: 'The approval transaction was mined and reverted.',
  swap_simulation_failed: 'The swap transaction would fail on chain; nothing was sent.',
  swap_reverted: 'The swap transaction was mined and reverted.',
  simulation_failed: 'A transaction (an approval, say) would fail on chain; nothing was sent.',
  send_failed: 'The transaction could not be signed or sent; nothing was sent.',
  reverted: 'A transaction was mined and reverted (the reason of the chain itself, before a step names it).',
  slippage: 'The swap or sale would give, or gave, less than its floor (`min_output`).',
  insufficient_funds: 'The account holds less than the amount to sell.',
  no_route: 'The venue has no market or pool for a hop of the path.',
  insufficient_liquidity: 'The book or pool cannot absorb the amount.',
  below_amount_step: "Rounding to the venue's amount step leaves nothing to sell.",
  unknown_token: 'The pool does not hold one of the tokens of the hop.',
  invalid_client_order_id: 'A client order id the exchange would refuse (1 to 36 letters, digits or ".:/_-").',
  sale_incomplete: "An order closed and the next hop's order was never placed: the sale stopped halfway.",
  order_canceled: 'An order of the sale was canceled.',
  order_expired: 'An order of the sale expired.',
  order_rejected: 'An order of the sale was rejected.',
  rate_limited: 'The exchange rate-limited the requests (ccxt RateLimitExceeded, DDoSProtection); worth retrying.',
  request_timeout: 'The exchange did not answer in time (ccxt RequestTimeout); worth retrying.',
  exchange_maintenance: 'The exchange is under maintenance (ccxt OnMaintenance); worth retrying.',
  exchange_unavailable: 'The exchange is not available (ccxt ExchangeNotAvailable); worth retrying.',
  invalid_nonce: 'The exchange refused the request nonce (ccxt InvalidNonce); worth retrying.',
  network_error: 'The network failed between here and the exchange (ccxt NetworkError); worth retrying.',
  bad_response: 'The exchange answered something unreadable (ccxt BadResponse).',
  operation_failed: 'The exchange failed the operation (ccxt OperationFailed); worth retrying.',
  order_not_found: 'The exchange has no such order (ccxt OrderNotFound).',
  invalid_order: 'The exchange refused the order (ccxt InvalidOrder).',
  permission_denied: 'The API key may not do this (ccxt PermissionDenied).',
  authentication_failed: 'The exchange refused the credentials (ccxt AuthenticationError).',
  bad_symbol: 'The exchange does not know the market (ccxt BadSymbol).',
  bad_request: 'The exchange refused the request (ccxt BadRequest).',
  not_supported: 'The exchange does not support the operation (ccxt NotSupported).',
  operation_rejected: 'The exchange rejected the operation (ccxt OperationRejected).',
  exchange_error: 'The exchange failed with an error ccxt does not name more precisely (ccxt ExchangeError).',
} as const satisfies Record<ConversionFailureReason, string>

/** Tells whether a string is one of the documented conversion failure reasons. */
export function isConversionFailureReason(value: string): value is ConversionFailureReason {
  return Object.hasOwn(CONVERSION_FAILURE_REASON_MEANINGS, value)
}

/**
 * Reads the reason an execution manager gave for a failure. A reason this list does not
 * document becomes `venue_error`, the venue's own word kept at the head of the detail, so
 * that no event carries an undocumented reason and nothing the venue said is lost.
 */
export function readConversionFailure(reason: string, detail: string): { readonly reason: ConversionFailureReason; readonly detail: string } {
  return isConversionFailureReason(reason) ? { reason, detail } : { reason: 'venue_error', detail: `${reason}: ${detail}` }
}
