import { BaseError, type BaseErrorParameters } from '../../errors/index.js'

/**
 * Is raised by the event stores. Codes: `invalid_event` (nothing of the batch was written),
 * `invalid_query`, `event_store_schema_too_new`, `event_store_closed`, `event_store_unavailable`
 * (cannot open or connect), `event_store_lock_lost`, `event_store_failed` (a statement failed).
 */
export class EventStoreError extends BaseError {
  override name = 'EventStoreError' as const
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { code: 'event_store_failed', ...parameters })
  }
}

/** Builds the error every method of a closed store throws. */
export function closedStoreError(where: string): EventStoreError {
  return new EventStoreError(`The event store at ${where} is closed.`, { code: 'event_store_closed' })
}
