import { describe, expect, it } from 'vitest'
import { MARKET_DATA_ROUTES, RECORDED_REGISTRY, type RecordedRoute, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { SourceError } from '../../errors/index.js'
import { createCcxtBalanceSource } from './createCcxtBalanceSource.js'

function source(routes: readonly RecordedRoute[]) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES] })
  return { recorded, balances: createCcxtBalanceSource({ name: 'binance', exchange: recorded.exchange, registry: RECORDED_REGISTRY }) }
}

describe('createCcxtBalanceSource', () => {
  it('reports the free balances of the recorded account as exchange holdings', async () => {
    const { balances, recorded } = source([{ method: 'GET', path: '/api/v3/account', file: 'account.json' }])
    expect(balances.name).toBe('binance')
    expect(balances.source).toBe('exchange_balance')
    const holdings = await balances.fetchHoldings()
    // BTC is 0 in the account and left out.
    expect(holdings.map((holding) => [holding.amount.toString(), holding.venue, holding.source, holding.custody])).toEqual([
      ['0.919741 LTC', 'binance', 'exchange_balance', { kind: 'exchange', exchange: 'binance' }],
      ['0.02229833 ETH', 'binance', 'exchange_balance', { kind: 'exchange', exchange: 'binance' }],
    ])
    expect(recorded.requests.map((request) => `${request.method} ${request.path}`)).toContain('GET /api/v3/account')
  })

  it('turns an exchange error into a SourceError naming the venue', async () => {
    const { balances } = source([{ method: 'GET', path: '/api/v3/account', file: 'error-429-too-much-weight.json', status: 429 }])
    const error = await balances.fetchHoldings().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SourceError)
    expect((error as SourceError).source).toBe('binance')
    expect((error as SourceError).shortMessage).toBe('The binance account did not report its balances (rate_limited, worth retrying).')
    expect((error as SourceError).details).toContain('Too much request weight used')
  })

  it('says when the error is not worth retrying', async () => {
    const { balances } = source([{ method: 'GET', path: '/api/v3/account', file: 'error-1121-invalid-symbol.json', status: 400 }])
    await expect(balances.fetchHoldings()).rejects.toThrow('The binance account did not report its balances (bad_symbol).')
  })
})
