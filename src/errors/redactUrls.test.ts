import { describe, expect, it } from 'vitest'
import { redactUrls } from './redactUrls.js'

describe('redactUrls', () => {
  it('cuts every URL to its scheme and host: no credentials, path or query', () => {
    expect(redactUrls('HTTP request failed. URL: https://user:pw@mainnet.example:8545/v3/SECRETKEY?apikey=abc, status 503')).toBe('HTTP request failed. URL: https://mainnet.example:8545, status 503')
    expect(redactUrls('binance GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=f00d 503 Service Unavailable')).toBe('binance GET https://api.binance.com 503 Service Unavailable')
    expect(redactUrls('two: ws://a.example/x and "http://b.example/y?z"')).toBe('two: ws://a.example and "http://b.example"')
  })

  it('leaves a text without URLs as it is, and hides what does not read as a URL', () => {
    expect(redactUrls('the node did not answer (ECONNREFUSED)')).toBe('the node did not answer (ECONNREFUSED)')
    expect(redactUrls('at mailto://[bad')).toBe('at [a URL]')
  })
})
