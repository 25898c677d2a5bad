import { describe, expect, it } from 'vitest'
import { BTC, ETH, MARKET_DATA_ROUTES, RECORDED_REGISTRY, type RecordedRoute, USDT, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { Amount } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { createCcxtBalanceSource } from './createCcxtBalanceSource.js'
import { createCcxtPaperAccount } from './createCcxtPaperAccount.js'

const ACCOUNT: RecordedRoute = { method: 'GET', path: '/api/v3/account', file: 'account.json' }

function setup(routes: readonly RecordedRoute[]) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES] })
  const account = createCcxtBalanceSource({ name: 'binance', exchange: recorded.exchange, registry: RECORDED_REGISTRY })
  const reads = () => recorded.requests.filter((request) => request.path === '/api/v3/account').length
  return { recorded, reads, paper: createCcxtPaperAccount({ name: 'binance', account }) }
}

const held = async (source: { fetchHoldings(): Promise<Array<{ amount: Amount }>> }) => (await source.fetchHoldings()).map((holding) => holding.amount.toString())

describe('createCcxtPaperAccount', () => {
  it('starts as a copy of the recorded account, read once, then only moves on paper', async () => {
    const { paper, reads } = setup([ACCOUNT])
    expect(paper.name).toBe('binance')
    expect(paper.source).toBe('exchange_balance')
    expect(paper.custody).toEqual({ kind: 'exchange', exchange: 'binance' })
    const [first] = await paper.fetchHoldings()
    expect(first).toMatchObject({ venue: 'binance', source: 'exchange_balance', custody: { kind: 'exchange', exchange: 'binance' } })
    expect(await held(paper)).toEqual(['0.919741 LTC', '0.02229833 ETH'])
    paper.debit(Amount.parse(ETH, '0.0222'))
    paper.credit(Amount.parse(USDT, '55.301674'))
    expect(await held(paper)).toEqual(['0.919741 LTC', '0.00009833 ETH', '55.301674 USDT'])
    expect(reads()).toBe(1)
  })

  it('keeps what was credited before its first read', async () => {
    const { paper } = setup([ACCOUNT])
    paper.credit(Amount.parse(ETH, '1'))
    await paper.load()
    expect(paper.balanceOf(ETH).toString()).toBe('1.02229833 ETH')
    expect(paper.balanceOf(BTC).toString()).toBe('0 BTC')
  })

  it('fails its read with the account, and copies it on the next one', async () => {
    const { paper, reads } = setup([{ ...ACCOUNT, file: 'error-429-too-much-weight.json', status: 429, times: 1 }, ACCOUNT])
    await expect(paper.fetchHoldings()).rejects.toThrow(SourceError)
    expect(await held(paper)).toEqual(['0.919741 LTC', '0.02229833 ETH'])
    expect(reads()).toBe(2)
  })

  it('starts empty without a real account', async () => {
    const paper = createCcxtPaperAccount({ name: 'binance' })
    expect(await paper.fetchHoldings()).toEqual([])
    paper.credit(Amount.parse(BTC, '0.01'))
    expect(await held(paper)).toEqual(['0.01 BTC'])
  })
})
