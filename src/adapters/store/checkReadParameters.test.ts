import { describe, expect, it } from 'vitest'
import { checkReadParameters } from './checkReadParameters.js'
import { EventStoreError } from './EventStoreError.js'

describe('checkReadParameters', () => {
  it('reads from sequence 0 to the end when given nothing', () => {
    const everything = { since: 0, before: undefined, limit: undefined, last: undefined, strategyMode: undefined }
    expect(checkReadParameters()).toEqual(everything)
    expect(checkReadParameters({})).toEqual(everything)
  })

  it('passes a valid since, limit and strategy mode through', () => {
    expect(checkReadParameters({ since: 42, limit: 0, strategyMode: 'usdt_eth_staking_hedged_simple' })).toEqual({
      since: 42,
      before: undefined,
      limit: 0,
      last: undefined,
      strategyMode: 'usdt_eth_staking_hedged_simple',
    })
    expect(checkReadParameters({ before: 9, last: 3 })).toEqual({ since: 0, before: 9, limit: undefined, last: 3, strategyMode: undefined })
  })

  it('refuses a negative or fractional since as an invalid query', () => {
    const error = catchError(() => checkReadParameters({ since: -1 }))
    expect(error).toBeInstanceOf(EventStoreError)
    expect(error).toMatchObject({
      code: 'invalid_query',
      shortMessage: 'Cannot read the event log.',
      details: 'Expected since to be a sequence number (an integer from 0), found number -1.',
    })
    expect(() => checkReadParameters({ since: 1.5 })).toThrow('Expected since to be a sequence number (an integer from 0), found number 1.5.')
  })

  it('refuses a limit that is not an integer from 0', () => {
    expect(catchError(() => checkReadParameters({ limit: -3 }))).toMatchObject({ code: 'invalid_query', details: 'Expected limit to be an integer from 0, found number -3.' })
    expect(() => checkReadParameters({ limit: Number.POSITIVE_INFINITY })).toThrow('Expected limit to be an integer from 0, found number Infinity.')
  })

  it('refuses a before or last that is not an integer from 0, and limit with last', () => {
    expect(catchError(() => checkReadParameters({ before: 1.5 }))).toMatchObject({ code: 'invalid_query', details: 'Expected before to be a sequence number (an integer from 0), found number 1.5.' })
    expect(catchError(() => checkReadParameters({ last: -1 }))).toMatchObject({ code: 'invalid_query', details: 'Expected last to be an integer from 0, found number -1.' })
    expect(catchError(() => checkReadParameters({ limit: 5, last: 0 }))).toMatchObject({
      code: 'invalid_query',
      details: 'Expected limit (the oldest events) or last (the newest), not both; found limit 5 and last 0.',
    })
  })
})

function catchError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('Expected the call to throw.')
}
