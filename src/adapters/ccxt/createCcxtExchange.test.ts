import type { Exchange } from 'ccxt'
import { describe, expect, it } from 'vitest'
import { VenueError } from '../../errors/index.js'
import { createCcxtExchange } from './createCcxtExchange.js'

/** The ccxt instance behind the port, to read its settings; building one sends no request. */
const build = (...args: Parameters<typeof createCcxtExchange>) => createCcxtExchange(...args) as unknown as Exchange

describe('createCcxtExchange', () => {
  it('builds a rate-limited spot exchange of the id, with the key and secret given', () => {
    const exchange = build('binance', { apiKey: 'key-from-env', secret: 'secret-from-env', sandbox: false })
    expect(exchange.id).toBe('binance')
    expect(exchange.enableRateLimit).toBe(true)
    expect(exchange.apiKey).toBe('key-from-env')
    expect(exchange.secret).toBe('secret-from-env')
    expect(exchange.options.defaultType).toBe('spot')
    // Binance loads spot, linear and inverse markets by default: only spot is loaded here.
    expect(exchange.options.fetchMarkets).toMatchObject({ types: ['spot'] })
    expect(exchange.options.fetchMargins).toBe(false)
    expect(exchange.urls.api).not.toEqual(exchange.urls.test)
  })

  it('leaves the credentials unset without a key and a secret', () => {
    const exchange = build('binance', { apiKey: 'key-alone', sandbox: false })
    expect(exchange.apiKey).toBeFalsy()
    expect(exchange.secret).toBeFalsy()
  })

  it('points the API at the test network with sandbox', () => {
    const exchange = build('binance', { sandbox: true })
    expect(exchange.urls.api).toEqual(exchange.urls.test)
    expect(exchange.isSandboxModeEnabled).toBe(true)
  })

  it('keeps the market types of an exchange that loads no spot type list', () => {
    const exchange = build('kraken', { sandbox: false })
    expect(exchange.id).toBe('kraken')
    expect(exchange.options.defaultType).toBe('spot')
  })

  it('refuses an id ccxt does not know, and a sandbox where the exchange has no test network', () => {
    expect(() => build('binanse', { sandbox: false })).toThrow(VenueError)
    expect(() => build('binanse', { sandbox: false })).toThrow(/knows no exchange "binanse"/)
    // A key of ccxt's module that is not an exchange.
    expect(() => build('version', { sandbox: false })).toThrow(VenueError)
    expect(() => build('bitbank', { sandbox: true })).toThrow('bitbank has no test network in ccxt, so sandbox cannot be set.')
  })
})
