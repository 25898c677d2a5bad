import { describe, expect, it } from 'vitest'
import { BTC, ETH, MARKET_DATA_ROUTES, RECORDED_REGISTRY, type RecordedRoute, USDT, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { fixtureClock } from '../../../test/fixtureMoney.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import { VenueError } from '../../errors/index.js'
import type { StepResult } from '../../ports/index.js'
import { createStaticBalanceSource } from '../static/createStaticBalanceSource.js'
import { createCcxtBalanceSource } from './createCcxtBalanceSource.js'
import { createCcxtPaperAccount } from './createCcxtPaperAccount.js'
import { createCcxtSeller } from './createCcxtSeller.js'
import { createCcxtVenue } from './createCcxtVenue.js'

const amount = (currency: Currency, text: string) => Amount.parse(currency, text)

function setup(routes: readonly RecordedRoute[], paper: boolean) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES] })
  const venue = createCcxtVenue({ name: 'binance', chain: 'ethereum', exchange: recorded.exchange, registry: RECORDED_REGISTRY, clock: fixtureClock(), paper, pollDelayMs: 0 })
  const calls = () => recorded.requests.map((request) => `${request.method} ${request.path}`)
  return { recorded, venue, calls }
}

function paperAccount(...balances: Amount[]) {
  return createStaticBalanceSource({ name: 'binance', source: 'exchange_balance', custody: { kind: 'exchange', exchange: 'binance' }, balances })
}

function done(result: StepResult): Extract<StepResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a sale, found ${result.reason}: ${result.detail}`)
  return result
}

describe('createCcxtSeller: paper', () => {
  it('fills on the recorded books and moves the paper account: sold, received and left over', async () => {
    const { venue, calls } = setup([], true)
    const account = paperAccount(amount(BTC, '0.015004'))
    const seller = createCcxtSeller({ venue, account })
    const result = done(await seller.sell([BTC, USDT, ETH], amount(BTC, '0.015004'), amount(ETH, '0.25'), 'dust-abc-0'))
    expect(result.receipt).toEqual({ kind: 'market_sell', venue: 'binance', reference: 'paper:dust-abc-0' })
    // The 0.00001 BTC step leaves 0.000004 BTC; the ETH step leaves 0.120249 USDT (see createCcxtVenue.test.ts).
    expect(result.amountIn?.toString()).toBe('0.015 BTC')
    expect(result.amountOut?.toString()).toBe('0.2555442 ETH')
    expect(result.fee?.toString()).toBe('0.0002558 ETH')
    expect([account.balanceOf(BTC), account.balanceOf(USDT), account.balanceOf(ETH)].map(String)).toEqual(['0.000004 BTC', '0.120249 USDT', '0.2555442 ETH'])
    expect(calls().filter((call) => call.startsWith('POST'))).toEqual([])
  })

  it('refuses to sell more than the paper account holds, before reading any book', async () => {
    const { venue, calls } = setup([], true)
    const account = paperAccount(amount(BTC, '0.01'))
    const result = await createCcxtSeller({ venue, account }).sell([BTC, USDT], amount(BTC, '0.015'), amount(USDT, '600'), 'dust-abc-0')
    expect(result).toEqual({ ok: false, reason: 'insufficient_funds', detail: 'The binance paper account holds 0.01 BTC, less than the 0.015 BTC to sell.', retryable: false })
    expect(calls()).toEqual([])
  })

  it('keeps the paper account as it was when the sale fails', async () => {
    const { venue } = setup([], true)
    const account = paperAccount(amount(BTC, '0.015'))
    const result = await createCcxtSeller({ venue, account }).sell([BTC, USDT], amount(BTC, '0.015'), amount(USDT, '638'), 'dust-abc-0')
    expect(result).toEqual({ ok: false, reason: 'slippage', detail: 'binance would give 637.975455 USDT, under the floor of 638 USDT; nothing was sold.', retryable: false })
    expect(account.balanceOf(BTC).toString()).toBe('0.015 BTC')
    expect(account.balanceOf(USDT).toString()).toBe('0 USDT')
  })

  it('copies the real account into the paper one before its first sale, and says when it cannot', async () => {
    const { venue, recorded } = setup(
      [
        { method: 'GET', path: '/api/v3/account', file: 'error-429-too-much-weight.json', status: 429, times: 1 },
        { method: 'GET', path: '/api/v3/account', file: 'account.json' },
      ],
      true,
    )
    const account = createCcxtPaperAccount({ name: 'binance', account: createCcxtBalanceSource({ name: 'binance', exchange: recorded.exchange, registry: RECORDED_REGISTRY }) })
    const seller = createCcxtSeller({ venue, account })
    const failed = await seller.sell([ETH, USDT], amount(ETH, '0.0222'), amount(USDT, '55'), 'dust-abc-0')
    expect(failed).toMatchObject({ ok: false, reason: 'account_unavailable', retryable: true })
    expect(failed.ok ? '' : failed.detail).toContain(
      "The binance paper account could not copy the exchange's balances: The binance account did not report its balances (rate_limited, worth retrying).",
    )
    // The recorded account holds 0.02229833 ETH; the ETH/USDT bid of 2,493.56 gives 55.357032 USDT, less 0.055358 in fees.
    const result = done(await seller.sell([ETH, USDT], amount(ETH, '0.0222'), amount(USDT, '55'), 'dust-abc-0'))
    expect(result.amountOut?.toString()).toBe('55.301674 USDT')
    expect(account.balanceOf(ETH).toString()).toBe('0.00009833 ETH')
    expect(account.balanceOf(USDT).toString()).toBe('55.301674 USDT')
  })

  it('needs a paper account for a paper venue', () => {
    const { venue } = setup([], true)
    expect(() => createCcxtSeller({ venue })).toThrow(VenueError)
  })
})

describe('createCcxtSeller: live', () => {
  it('names the order of the recorded fill in its receipt, and moves no account', async () => {
    const { venue, calls } = setup([{ method: 'POST', path: '/api/v3/order', file: 'order-post-full.json' }], false)
    const account = paperAccount()
    const result = done(await createCcxtSeller({ venue, account }).sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-abc-0'))
    expect(result.receipt).toEqual({ kind: 'market_sell', venue: 'binance', reference: '12569099453' })
    expect(result.amountIn?.toString()).toBe('0.00847 BTC')
    expect(result.amountOut?.toString()).toBe('198.335215 USDT')
    expect(result.fee?.toString()).toBe('0 USDT')
    expect(calls()).toContain('POST /api/v3/order')
    expect(await account.fetchHoldings()).toEqual([])
  })

  it('tells the journal the client order id before the order leaves, and a paper sale its paper reference', async () => {
    const heard: string[] = []
    const journal = { submitting: async (reference: string) => void heard.push(reference) }
    const live = setup([{ method: 'POST', path: '/api/v3/order', file: 'order-post-full.json' }], false)
    done(await createCcxtSeller({ venue: live.venue, account: paperAccount() }).sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-abc-0', journal))
    const paper = setup([], true)
    done(await createCcxtSeller({ venue: paper.venue, account: paperAccount(amount(BTC, '0.015')) }).sell([BTC, USDT], amount(BTC, '0.015'), amount(USDT, '600'), 'dust-abc-1', journal))
    expect(heard).toEqual(['dust-abc-0', 'paper:dust-abc-1'])
  })

  it('passes on the exchange refusal with whether to try again', async () => {
    const { venue } = setup([{ method: 'POST', path: '/api/v3/order', file: 'error-2010-insufficient-balance.json', status: 400 }], false)
    const result = await createCcxtSeller({ venue }).sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-abc-0')
    expect(result).toMatchObject({ ok: false, reason: 'insufficient_funds', retryable: false })
  })
})
