import type { ReadEventsParameters } from '../../ports/index.js'
import { describeValue } from './describeValue.js'
import { EventStoreError } from './EventStoreError.js'

export type CheckedReadParameters = {
  since: number
  before: number | undefined
  limit: number | undefined
  last: number | undefined
  strategyMode: string | undefined
}

function invalid(details: string): EventStoreError {
  return new EventStoreError('Cannot read the event log.', { code: 'invalid_query', details })
}

/** A count or a sequence number: an integer from 0 that a JS number holds exactly. */
function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** Checks `read`'s parameters: `since` defaults to 0, no `before` reads to the end, neither `limit` nor `last` reads every event that matches. */
export function checkReadParameters(parameters: ReadEventsParameters = {}): CheckedReadParameters {
  const since = parameters.since ?? 0
  if (!isWhole(since)) throw invalid(`Expected since to be a sequence number (an integer from 0), found ${describeValue(since)}.`)
  const { before, limit, last } = parameters
  if (before !== undefined && !isWhole(before)) throw invalid(`Expected before to be a sequence number (an integer from 0), found ${describeValue(before)}.`)
  if (limit !== undefined && !isWhole(limit)) throw invalid(`Expected limit to be an integer from 0, found ${describeValue(limit)}.`)
  if (last !== undefined && !isWhole(last)) throw invalid(`Expected last to be an integer from 0, found ${describeValue(last)}.`)
  if (limit !== undefined && last !== undefined) {
    throw invalid(`Expected limit (the oldest events) or last (the newest), not both; found limit ${limit} and last ${last}.`)
  }
  return { since, before, limit, last, strategyMode: parameters.strategyMode }
}
