import type { CheckedReadParameters } from './checkReadParameters.js'

/** A read of the log as SQL: the text, with a placeholder per value, and the values in order. */
export type ReadEventsQuery = { sql: string; values: Array<number | string> }

/**
 * Writes `read`'s query for a dialect's placeholders (`?` for SQLite, `$1` for PostgreSQL).
 * Events come oldest first: the first `limit` after `since`, or the newest `last` before
 * `before`, taken newest first by the primary key or `events_by_strategy` and turned back.
 * With neither, every event that matches: no LIMIT.
 */
export function readEventsQuery(parameters: CheckedReadParameters, placeholder: (position: number) => string): ReadEventsQuery {
  const values: Array<number | string> = []
  const next = (value: number | string) => {
    values.push(value)
    return placeholder(values.length)
  }
  const conditions = [`seq > ${next(parameters.since)}`]
  if (parameters.before !== undefined) conditions.push(`seq < ${next(parameters.before)}`)
  if (parameters.strategyMode !== undefined) conditions.push(`strategy_mode = ${next(parameters.strategyMode)}`)
  const select = `SELECT seq, recorded_at, payload FROM events WHERE ${conditions.join(' AND ')}`
  if (parameters.last !== undefined) return { sql: `SELECT * FROM (${select} ORDER BY seq DESC LIMIT ${next(parameters.last)}) AS tail ORDER BY seq`, values }
  if (parameters.limit !== undefined) return { sql: `${select} ORDER BY seq LIMIT ${next(parameters.limit)}`, values }
  return { sql: `${select} ORDER BY seq`, values }
}
