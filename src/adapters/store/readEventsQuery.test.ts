import { describe, expect, it } from 'vitest'
import { checkReadParameters } from './checkReadParameters.js'
import { readEventsQuery } from './readEventsQuery.js'

const sqlite = () => '?'
const postgres = (position: number) => `$${position}`

describe('readEventsQuery', () => {
  it('reads every event after since, oldest first, with no LIMIT', () => {
    expect(readEventsQuery(checkReadParameters({}), sqlite)).toEqual({ sql: 'SELECT seq, recorded_at, payload FROM events WHERE seq > ? ORDER BY seq', values: [0] })
  })

  it('takes the first limit events of one strategy', () => {
    expect(readEventsQuery(checkReadParameters({ since: 7, limit: 100, strategyMode: 'usdt' }), postgres)).toEqual({
      sql: 'SELECT seq, recorded_at, payload FROM events WHERE seq > $1 AND strategy_mode = $2 ORDER BY seq LIMIT $3',
      values: [7, 'usdt', 100],
    })
  })

  it('takes the newest last events before a seq, newest first, and turns them back oldest first', () => {
    expect(readEventsQuery(checkReadParameters({ before: 500, last: 20, strategyMode: 'usdt' }), postgres)).toEqual({
      sql: 'SELECT * FROM (SELECT seq, recorded_at, payload FROM events WHERE seq > $1 AND seq < $2 AND strategy_mode = $3 ORDER BY seq DESC LIMIT $4) AS tail ORDER BY seq',
      values: [0, 500, 'usdt', 20],
    })
  })
})
