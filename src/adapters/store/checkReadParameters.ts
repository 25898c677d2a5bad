import type { ReadEventsParameters } from '../../ports/index.js'
import { describeValue } from './describeValue.js'
import { EventStoreError } from './EventStoreError.js'

/** Checks `read`'s parameters: `since` defaults to 0, no `limit` reads to the end. */
export function checkReadParameters(parameters: ReadEventsParameters = {}): { since: number; limit: number | undefined; strategyMode: string | undefined } {
  const since = parameters.since ?? 0
  if (!Number.isSafeInteger(since) || since < 0)
    throw new EventStoreError('Cannot read the event log.', { code: 'invalid_query', details: `Expected since to be a sequence number (an integer from 0), found ${describeValue(since)}.` })
  if (parameters.limit !== undefined && (!Number.isSafeInteger(parameters.limit) || parameters.limit < 0)) {
    throw new EventStoreError('Cannot read the event log.', { code: 'invalid_query', details: `Expected limit to be an integer from 0, found ${describeValue(parameters.limit)}.` })
  }
  return { since, limit: parameters.limit, strategyMode: parameters.strategyMode }
}
