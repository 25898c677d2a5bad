import { describe, expect, it } from 'vitest'
import { BaseError } from './BaseError.js'
import { ConfigError, CurrencyMismatchError, InvalidAmountError, SourceError, UsageError, VenueError } from './errors.js'

describe('BaseError', () => {
  it('keeps the short message, details, code and cause, and joins message and details', () => {
    const cause = new Error('socket hang up')
    const error = new BaseError('The node did not answer.', { details: 'Expected a block number, found nothing.', code: 'source_failed', cause })
    expect(error.shortMessage).toBe('The node did not answer.')
    expect(error.details).toBe('Expected a block number, found nothing.')
    expect(error.message).toBe('The node did not answer.\nExpected a block number, found nothing.')
    expect(error.code).toBe('source_failed')
    expect(error.cause).toBe(cause)
    expect(error.name).toBe('BaseError')
  })

  it('defaults to the internal_error code and no cause', () => {
    const error = new BaseError('Something broke.')
    expect(error.code).toBe('internal_error')
    expect(error.message).toBe('Something broke.')
    expect('cause' in error).toBe(false)
  })
})

describe('error families', () => {
  it('says which currencies were mixed', () => {
    const error = new CurrencyMismatchError('add', 'USDT', 'EIGEN')
    expect(error).toBeInstanceOf(BaseError)
    expect(error.name).toBe('CurrencyMismatchError')
    expect(error.code).toBe('currency_mismatch')
    expect(error.message).toBe('Cannot add: expected an amount in USDT, found one in EIGEN.')
  })

  it('lists every configuration problem with file, line, key path, expected and found', () => {
    const error = new ConfigError('configs/modes/x.yaml', [
      { path: 'dust_delta', line: 7, expected: 'a decimal from 0 (inclusive) to 1 (exclusive)', found: '"2"' },
      { path: '', expected: 'a mapping of configuration keys', found: 'a list of 2' },
    ])
    expect(error.code).toBe('invalid_config')
    expect(error.file).toBe('configs/modes/x.yaml')
    expect(error.shortMessage).toBe('Invalid configuration in configs/modes/x.yaml (2 problems).')
    expect(error.details).toBe(
      '  configs/modes/x.yaml:7 dust_delta: expected a decimal from 0 (inclusive) to 1 (exclusive), found "2"\n' +
        '  configs/modes/x.yaml (top level): expected a mapping of configuration keys, found a list of 2',
    )
    expect(new ConfigError('a.yaml', [{ path: 'mode', expected: 'x', found: 'y' }]).shortMessage).toBe('Invalid configuration in a.yaml (1 problem).')
  })

  it('names the source or venue, and tells whether a venue failure is worth retrying', () => {
    expect(new SourceError('wallet', 'Wallet did not answer.')).toMatchObject({ source: 'wallet', code: 'source_failed', name: 'SourceError' })
    expect(new VenueError('binance', 'Rate limited.', { retryable: true })).toMatchObject({ venue: 'binance', retryable: true, code: 'venue_failed' })
    expect(new VenueError('binance', 'Invalid order.').retryable).toBe(false)
    expect(new InvalidAmountError('Bad amount.')).toMatchObject({ code: 'invalid_amount', name: 'InvalidAmountError' })
    expect(new UsageError('No.', { details: 'Because.' })).toMatchObject({ code: 'usage', details: 'Because.', name: 'UsageError' })
  })
})
