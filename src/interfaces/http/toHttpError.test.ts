import { describe, expect, it } from 'vitest'
import { EventStoreError } from '../../adapters/store/index.js'
import { BaseError, HttpError, SourceError, VenueError } from '../../errors/index.js'
import { toHttpError } from './toHttpError.js'

const LATER = 'Try again later; the server log has the cause.'
const INTERNAL = { code: 'internal_error', status: 500, message: 'Internal server error; the server log has the details.' }

/** A fastify refusal as fastify builds it: an FST_ code and a 4xx status. */
function fastifyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode })
}

describe('toHttpError', () => {
  it.each([
    [
      'an HttpError, as written',
      new HttpError('unknown_strategy', 'No strategy "x".', { details: 'Expected one of: a.' }),
      { code: 'unknown_strategy', status: 404, message: 'No strategy "x".\nExpected one of: a.' },
    ],
    ['an HttpError whose code the API does not answer with', new HttpError('usage', 'Whatever.'), INTERNAL],
    [
      "the engine's strategy_locked, as written",
      new BaseError('Another process is executing strategy a; this one does not convert it.', { code: 'strategy_locked' }),
      { code: 'strategy_locked', status: 409, message: 'Another process is executing strategy a; this one does not convert it.' },
    ],
    [
      'a store that cannot connect',
      new EventStoreError('Cannot open the PostgreSQL event store at postgres://db:5432/dust.', { code: 'event_store_unavailable', details: 'connect ECONNREFUSED 10.0.0.7:5432' }),
      { code: 'event_store_unavailable', status: 503, message: `The event store is unavailable. ${LATER}` },
    ],
    [
      'a failed statement',
      new EventStoreError('Cannot append to the SQLite event store at /var/lib/dust/events.db.', { details: 'SQLITE_IOERR' }),
      { code: 'event_store_unavailable', status: 503, message: `The event store is unavailable. ${LATER}` },
    ],
    [
      'a closed store',
      new EventStoreError('The event store at /var/lib/dust/events.db is closed.', { code: 'event_store_closed' }),
      { code: 'event_store_unavailable', status: 503, message: `The event store is unavailable. ${LATER}` },
    ],
    ['a lost lock', new EventStoreError('Lost the lock.', { code: 'event_store_lock_lost' }), { code: 'event_store_unavailable', status: 503, message: `The event store is unavailable. ${LATER}` }],
    ['a batch the store refused (a bug)', new EventStoreError('Event 1 of the batch was refused.', { code: 'invalid_event' }), INTERNAL],
    [
      'a source that failed',
      new SourceError('mainnet', 'The mainnet node did not answer the batched read of 3 call(s).', { details: 'HTTP request failed. URL: http://10.0.0.7:8545' }),
      { code: 'source_unavailable', status: 503, message: `The source mainnet did not answer. ${LATER}` },
    ],
    [
      'every balance source failed',
      new SourceError('wallet, etherfi', 'No balance source answered.', { code: 'all_sources_failed' }),
      { code: 'source_unavailable', status: 503, message: `No balance source answered (wallet, etherfi). ${LATER}` },
    ],
    [
      'a source named by something that is not a configured name',
      new SourceError('https://user:pw@rpc.example/v2/key', 'Down.'),
      { code: 'source_unavailable', status: 503, message: `A source did not answer. ${LATER}` },
    ],
    [
      'an open circuit',
      new BaseError('binance is paused after 5 failures in a row; it is tried again 60 s from now.', { code: 'circuit_open' }),
      { code: 'source_unavailable', status: 503, message: `A source is paused after failing again and again. ${LATER}` },
    ],
    [
      'a venue that failed',
      new VenueError('uniswap', 'uniswap could not quote on mainnet.', { details: 'HTTP request failed. URL: http://10.0.0.7:8545' }),
      { code: 'venue_unavailable', status: 503, message: `The venue uniswap did not answer. ${LATER}` },
    ],
    [
      'a body too large',
      fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'),
      { code: 'payload_too_large', status: 413, message: 'The request body is larger than 16384 bytes.' },
    ],
    [
      'a body of another type',
      fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type: text/plain'),
      { code: 'unsupported_media_type', status: 415, message: 'The request body must be JSON (Content-Type: application/json), or absent.' },
    ],
    [
      'a malformed URL',
      fastifyError('FST_ERR_BAD_URL', 400, "'/strategies/%E0%A4%A/scan' is not a valid url component"),
      { code: 'invalid_request', status: 400, message: 'The URL is malformed: it holds a percent-encoded sequence that is not UTF-8.' },
    ],
    [
      'a path parameter too long',
      fastifyError('FST_ERR_MAX_PARAM_LENGTH', 414, "'/strategies/aaaa/scan' is longer than 100"),
      { code: 'invalid_params', status: 400, message: 'A path parameter (:mode) is longer than 100 characters.' },
    ],
    [
      'another fastify refusal',
      fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'Request body size did not match Content-Length'),
      { code: 'invalid_request', status: 400, message: 'The request is malformed (FST_ERR_CTP_INVALID_CONTENT_LENGTH).' },
    ],
    ['a plain Error', new Error('connect ECONNREFUSED 10.0.0.7:5432'), INTERNAL],
    ["a 4xx error that is not fastify's", Object.assign(new Error('at /home/dust/src/x.ts'), { statusCode: 400 }), INTERNAL],
    ['a thrown string', 'postgres://dust:pw@db/dust', INTERNAL],
    ['null', null, INTERNAL],
  ])('answers %s', (_case, error, expected) => {
    expect(toHttpError(error, { bodyLimit: 16384 })).toEqual(expected)
  })
})
