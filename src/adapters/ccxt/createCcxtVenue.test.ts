import { describe, expect, it } from 'vitest'
import { BTC, ETH, LTC, MARKET_DATA_ROUTES, RECORDED_REGISTRY, type RecordedRoute, USDT, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { FIXED_TIME, fixtureClock } from '../../../test/fixtureMoney.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'
import { VenueError } from '../../errors/index.js'
import { type CcxtSellResult, type CreateCcxtVenueParameters, createCcxtVenue } from './createCcxtVenue.js'

const amount = (currency: Currency, text: string) => Amount.parse(currency, text)

function setup(routes: readonly RecordedRoute[], overrides: Partial<CreateCcxtVenueParameters> = {}) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES] })
  const clock = fixtureClock()
  const sleeps: number[] = []
  clock.sleep = async (ms: number) => {
    sleeps.push(ms)
  }
  const venue = createCcxtVenue({
    name: 'binance',
    chain: 'ethereum',
    exchange: recorded.exchange,
    registry: RECORDED_REGISTRY,
    clock,
    paper: false,
    pollDelayMs: 0,
    ...overrides,
  })
  const calls = () => recorded.requests.map((request) => `${request.method} ${request.path}${request.params.symbol ? ` ${request.params.symbol}` : ''}`)
  return { venue, clock, sleeps, recorded, calls }
}

function ok(quote: RouteQuote | RouteQuoteFailure): RouteQuote {
  if (!quote.ok) throw new Error(`expected a quote, found ${quote.reason}: ${quote.detail}`)
  return quote
}

function sold(result: CcxtSellResult): Extract<CcxtSellResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a sale, found ${result.reason}: ${result.detail}`)
  return result
}

function refused(result: CcxtSellResult): Extract<CcxtSellResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, found a sale of ${result.amountIn.toString()}`)
  return result
}

const POST_FULL: RecordedRoute = { method: 'POST', path: '/api/v3/order', file: 'order-post-full.json' }
const POST_NEW: RecordedRoute = { method: 'POST', path: '/api/v3/order', file: 'order-post-result-new.json' }
const GET_FILLED: RecordedRoute = { method: 'GET', path: '/api/v3/order', query: { orderId: '12569099453' }, file: 'order-get-filled.json' }

describe('createCcxtVenue: markets', () => {
  it('is a CEX trading the spot pairs of the registry, loading the markets once', async () => {
    const { venue, calls } = setup([])
    expect(venue.name).toBe('binance')
    expect(venue.kind).toBe('cex')
    expect(venue.chain).toBe('ethereum')
    expect(venue.paper).toBe(false)
    const pairs = await venue.tradablePairs()
    // XRP/USDT is in exchangeInfo but not in the registry.
    expect(pairs.map(([base, quote]) => `${base.symbol}/${quote.symbol}`)).toEqual(['BTC/USDT', 'ETH/USDT', 'LTC/USDT'])
    expect(pairs[0]?.[0]).toBe(BTC)
    await venue.tradablePairs()
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo'])
  })

  it('trades only the configured markets when given', async () => {
    const { venue } = setup([], { markets: ['ETH/USDT', 'XRP/USDT'] })
    // XRP/USDT is configured but not in the registry: it stays out.
    expect((await venue.tradablePairs()).map(([base, quote]) => `${base.symbol}/${quote.symbol}`)).toEqual(['ETH/USDT'])
    expect(await venue.quote([BTC, USDT], amount(BTC, '0.01'))).toEqual({ ok: false, reason: 'no_route', detail: 'binance has no BTC/USDT market.' })
  })

  it('reports a failed market load as a VenueError, and tries again next time', async () => {
    const { venue, calls } = setup([{ method: 'GET', path: '/api/v3/exchangeInfo', file: 'error-429-too-much-weight.json', status: 429, times: 1 }])
    const error = await venue.tradablePairs().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(VenueError)
    expect((error as VenueError).retryable).toBe(true)
    expect((error as VenueError).shortMessage).toBe('binance could not load its markets (rate_limited).')
    expect((await venue.tradablePairs()).length).toBe(3)
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo', 'GET /api/v3/exchangeInfo'])
  })
})

describe('createCcxtVenue: quote', () => {
  it('walks the recorded BTCUSDT bids: 0.015 BTC for 637.975455 USDT after the 10 bps taker fee', async () => {
    const { venue } = setup([])
    const quote = ok(await venue.quote([BTC, USDT], amount(BTC, '0.015004')))
    // The 0.00001 BTC step leaves 0.000004 BTC unsold.
    expect(quote.amountIn.toString()).toBe('0.015 BTC')
    expect(quote.residual.toString()).toBe('0.000004 BTC')
    // Bids ["42574.3", "0.0107"], ["42574.2", "0.00646"]:
    // 0.0107 × 42,574.3 = 455.54501, then 0.0043 × 42,574.2 = 183.06906; 638.61407 in all.
    // 10 bps of it is 0.63861407, rounded up to 0.638615 USDT; 638.61407 − 0.638615 = 637.975455.
    const [hop] = quote.hops
    expect(hop?.market).toBe('BTC/USDT')
    expect(hop?.notional?.toString()).toBe('638.61407 USDT')
    expect(hop?.fee.toString()).toBe('0.638615 USDT')
    expect(hop?.minNotional?.toString()).toBe('5 USDT')
    expect(quote.amountOut.toString()).toBe('637.975455 USDT')
    expect(quote.gasUnits).toBe(0n)
  })

  it('quotes a two-hop path BTC → USDT → ETH: the BTC bids, then the ETH asks with the proceeds', async () => {
    const { venue } = setup([])
    const quote = ok(await venue.quote([BTC, USDT, ETH], amount(BTC, '0.015')))
    // Hop 2 spends 637.975455 USDT on asks ["2493.57", "0.877"]: 637.975455 / 2,493.57 = 0.25584…
    // ETH, stepped down to 0.2558 ETH, which costs 0.2558 × 2,493.57 = 637.855206 USDT.
    // The taker fee is 10 bps of the ETH: 0.0002558; 0.2558 − 0.0002558 = 0.2555442 ETH.
    expect(quote.hops.map((hop) => [hop.market, hop.amountIn.toString(), hop.amountOut.toString(), hop.fee.toString()])).toEqual([
      ['BTC/USDT', '0.015 BTC', '637.975455 USDT', '0.638615 USDT'],
      ['ETH/USDT', '637.855206 USDT', '0.2555442 ETH', '0.0002558 ETH'],
    ])
    expect(quote.amountOut.toString()).toBe('0.2555442 ETH')
    // 637.975455 − 637.855206 USDT is left over by the ETH step.
    expect(quote.leftovers.map(String)).toEqual(['0.120249 USDT'])
  })

  it('fetches each book once while it is fresh (2 s by the clock), then again', async () => {
    const { venue, clock, calls } = setup([])
    await venue.quote([BTC, USDT], amount(BTC, '0.01'))
    await venue.quote([BTC, USDT, ETH], amount(BTC, '0.01'))
    clock.set(FIXED_TIME + 1_999)
    await venue.quote([BTC, USDT], amount(BTC, '0.01'))
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo', 'GET /api/v3/depth BTCUSDT', 'GET /api/v3/depth ETHUSDT'])
    clock.set(FIXED_TIME + 2_000)
    await venue.quote([BTC, USDT], amount(BTC, '0.01'))
    expect(calls().slice(3)).toEqual(['GET /api/v3/depth BTCUSDT'])
  })

  it("answers no_route for a pair it has no market of, and passes on the book's refusals", async () => {
    const { venue } = setup([])
    expect(await venue.quote([LTC, ETH], amount(LTC, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'binance has no LTC/ETH market.' })
    const tooMuch = await venue.quote([BTC, USDT], amount(BTC, '1'))
    expect(tooMuch).toEqual({
      ok: false,
      reason: 'insufficient_liquidity',
      detail: 'BTC/USDT on binance: The bids of BTC/USDT hold 0.01716 BTC in all, less than the 1 BTC to sell.',
    })
  })

  it('maps exchange errors to VenueError: a 429 and a 418 are retryable, an invalid symbol is not', async () => {
    const limited = setup([{ method: 'GET', path: '/api/v3/depth', file: 'error-429-too-much-weight.json', status: 429 }])
    const rateLimited = await limited.venue.quote([BTC, USDT], amount(BTC, '0.01')).catch((caught: unknown) => caught)
    expect(rateLimited).toBeInstanceOf(VenueError)
    expect((rateLimited as VenueError).retryable).toBe(true)
    expect((rateLimited as VenueError).shortMessage).toBe('binance could not fetch its order books (rate_limited).')
    expect((rateLimited as VenueError).details).toContain('Too much request weight used')

    const banned = setup([{ method: 'GET', path: '/api/v3/depth', file: 'error-418-ip-banned.json', status: 418 }])
    const ipBanned = await banned.venue.quote([BTC, USDT], amount(BTC, '0.01')).catch((caught: unknown) => caught)
    expect((ipBanned as VenueError).retryable).toBe(true)
    expect((ipBanned as VenueError).details).toContain('IP banned until 1659146400000')

    const invalid = setup([{ method: 'GET', path: '/api/v3/depth', file: 'error-1121-invalid-symbol.json', status: 400 }])
    const badSymbol = await invalid.venue.quote([BTC, USDT], amount(BTC, '0.01')).catch((caught: unknown) => caught)
    expect((badSymbol as VenueError).retryable).toBe(false)
    expect((badSymbol as VenueError).shortMessage).toBe('binance could not fetch its order books (bad_symbol).')
  })

  it('fetches a book again after a failed fetch', async () => {
    const { venue, calls } = setup([{ method: 'GET', path: '/api/v3/depth', file: 'error-429-too-much-weight.json', status: 429, times: 1 }])
    await expect(venue.quote([BTC, USDT], amount(BTC, '0.01'))).rejects.toThrow(VenueError)
    expect(ok(await venue.quote([BTC, USDT], amount(BTC, '0.01'))).amountOut.toString()).toBe('425.317257 USDT')
    expect(calls().filter((call) => call.startsWith('GET /api/v3/depth'))).toHaveLength(2)
  })

  it('lets an error that is not the exchange’s through, naming the unrecorded request', async () => {
    const { venue, recorded } = setup([])
    await expect(venue.quote([LTC, USDT], amount(LTC, '0.5'))).rejects.toThrow('No recorded Binance response for GET /api/v3/depth?symbol=LTCUSDT')
    expect(recorded.unanswered.map((request) => request.path)).toEqual(['/api/v3/depth'])
  })
})

describe('createCcxtVenue: live sell', () => {
  it('posts a market sell with the deterministic client order id and reads the recorded FULL fill', async () => {
    const { venue, recorded, calls } = setup([POST_FULL])
    const result = sold(await venue.sell([BTC, USDT], amount(BTC, '0.008475'), amount(USDT, '150'), 'dust-7'))
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo', 'GET /api/v3/depth BTCUSDT', 'POST /api/v3/order BTCUSDT'])
    const posted = recorded.requests[2]?.params
    expect(posted).toMatchObject({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.00847', newClientOrderId: 'dust-7-0' })
    expect(result.paper).toBe(false)
    expect(result.amountIn.toString()).toBe('0.00847 BTC')
    expect(result.residual.toString()).toBe('0.000005 BTC')
    // The fill, not the quote: 0.00635 × 23,416.1 + 0.00212 × 23,416.5 = 198.335215 USDT, commission 0 BNB.
    expect(result.amountOut.toString()).toBe('198.335215 USDT')
    expect(result.leftovers).toEqual([])
    expect(result.hops).toHaveLength(1)
    const [hop] = result.hops
    expect(hop).toMatchObject({ market: 'BTC/USDT', side: 'sell', orderId: '12569099453', clientOrderId: '4d96324ff9d44481926157ec08158a40', feeSource: 'reported' })
    expect(hop?.fee.toString()).toBe('0 USDT')
    expect(hop?.otherFees.map(String)).toEqual(['0 BNB'])
  })

  it('polls a NEW order until the recorded query answers FILLED, estimating the fee it does not report', async () => {
    const { venue, calls, sleeps, recorded } = setup([POST_NEW, GET_FILLED], { pollDelayMs: 250 })
    const result = sold(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-8'))
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo', 'GET /api/v3/depth BTCUSDT', 'POST /api/v3/order BTCUSDT', 'GET /api/v3/order BTCUSDT'])
    expect(recorded.requests[3]?.params.orderId).toBe('12569099453')
    expect(sleeps).toEqual([250])
    // The order query carries no commission: 10 bps of 198.335215 is 0.198335215, rounded up.
    expect(result.hops[0]?.feeSource).toBe('estimated')
    expect(result.hops[0]?.fee.toString()).toBe('0.198336 USDT')
    expect(result.amountOut.toString()).toBe('198.136879 USDT')
  })

  it('takes the fees of the placement when the query of the same fill reports none', async () => {
    const { venue, calls } = setup([{ ...POST_FULL, times: 1 }, GET_FILLED])
    // A FULL FILLED placement is final: no query is needed.
    const result = sold(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-9'))
    expect(result.hops[0]?.feeSource).toBe('reported')
    expect(calls().filter((call) => call.startsWith('GET /api/v3/order'))).toEqual([])
  })

  it('reports an order that ends canceled, with what it did trade', async () => {
    const { venue } = setup([POST_NEW, { method: 'GET', path: '/api/v3/order', file: 'order-canceled.json' }])
    const result = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-10'))
    expect(result.reason).toBe('order_canceled')
    expect(result.retryable).toBe(false)
    // 0.00001 BTC sold for 0.234161 USDT; less 10 bps (0.000234161, rounded up to 0.000235).
    expect(result.detail).toBe('Order 12569099453 (dust-10-0) on BTC/USDT at binance ended canceled after trading 0.00001 BTC for 0.233926 USDT.')
    expect(result.hops.map((hop) => [hop.amountIn.toString(), hop.amountOut.toString()])).toEqual([['0.00001 BTC', '0.233926 USDT']])
  })

  it('leaves an order still open after the last poll unsettled, for recovery to ask about', async () => {
    const { venue } = setup([POST_NEW], { maxPolls: 0 })
    const result = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-11'))
    expect(result.reason).toBe('outcome_unknown')
    expect(result.detail).toBe(
      'Order 12569099453 (dust-11-0) on BTC/USDT at binance was still open after 0 polls, having traded 0 BTC for 0 USDT; the exchange is asked again before anything is decided.',
    )
    expect(result.hops).toHaveLength(1)
  })

  it('leaves a placement that timed out unsettled: the order may have traded', async () => {
    const { venue, calls } = setup([{ method: 'POST', path: '/api/v3/order', timeout: true }])
    const result = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-26'))
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo', 'GET /api/v3/depth BTCUSDT', 'POST /api/v3/order BTCUSDT'])
    expect([result.reason, result.retryable, result.hops]).toEqual(['outcome_unknown', false, []])
    expect(result.detail).toMatch(
      /^binance gave no answer about an order it was sent, after 0 completed hops \(request_timeout\): binance POST https:\/\/api\.binance\.com\/api\/v3\/order request timed out \(\d+ ms\); the exchange is asked again by its client order id before anything is decided\.$/,
    )
  })

  it('leaves an order whose poll failed unsettled, and a refused placement failed', async () => {
    const polled = setup([POST_NEW, { method: 'GET', path: '/api/v3/order', timeout: true }])
    const unknown = refused(await polled.venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-27'))
    expect(unknown.reason).toBe('outcome_unknown')
    // The exchange's own answer to the placement (429: too much weight) means nothing was placed.
    const busy = setup([{ method: 'POST', path: '/api/v3/order', file: 'error-429-too-much-weight.json', status: 429 }])
    expect(refused(await busy.venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-28')).reason).toBe('rate_limited')
  })

  it('refuses before sending when the fresh quote is under the floor', async () => {
    const { venue, calls } = setup([POST_FULL])
    // The fresh quote of 0.00847 BTC: 0.00847 × 42,574.3 = 360.604321, less 0.360605 = 360.243716 USDT.
    const result = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '400'), 'dust-12'))
    expect(result).toEqual({
      ok: false,
      reason: 'slippage',
      detail: 'binance would give 360.243716 USDT, under the floor of 400 USDT; nothing was sold.',
      retryable: false,
      hops: [],
    })
    expect(calls().some((call) => call.startsWith('POST'))).toBe(false)
  })

  it('reports slippage after the fill when the exchange gave less than the floor', async () => {
    const { venue } = setup([POST_FULL])
    const result = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '300'), 'dust-13'))
    expect(result.reason).toBe('slippage')
    expect(result.detail).toBe('binance sold 0.00847 BTC for 198.335215 USDT, under the floor of 300 USDT (the quote before sending was 360.243716 USDT).')
    expect(result.hops).toHaveLength(1)
  })

  it('refuses an order under the minimum notional without sending it', async () => {
    const { venue, calls } = setup([POST_FULL])
    // 0.0001 × 42,574.3 = 4.25743 USDT, under the NOTIONAL minimum of 5 USDT.
    const result = refused(await venue.sell([BTC, USDT], amount(BTC, '0.0001'), amount(USDT, '0'), 'dust-14'))
    expect(result.reason).toBe('below_venue_minimum')
    expect(result.detail).toBe('BTC/USDT on binance takes orders of at least 5 USDT, and this one is worth 4.25743 USDT; nothing was sold.')
    expect(calls().some((call) => call.startsWith('POST'))).toBe(false)
  })

  it('maps an insufficient balance (-2010) to a terminal failure and a 429 to a retryable one', async () => {
    const poor = setup([{ method: 'POST', path: '/api/v3/order', file: 'error-2010-insufficient-balance.json', status: 400 }])
    const insufficient = refused(await poor.venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-15'))
    expect(insufficient.reason).toBe('insufficient_funds')
    expect(insufficient.retryable).toBe(false)
    expect(insufficient.detail).toContain('binance failed before any order traded: binance Account has insufficient balance for requested action.')

    const busy = setup([{ method: 'POST', path: '/api/v3/order', file: 'error-429-too-much-weight.json', status: 429 }])
    const limited = refused(await busy.venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '150'), 'dust-16'))
    expect(limited.reason).toBe('rate_limited')
    expect(limited.retryable).toBe(true)
  })

  it('keeps the hops that traded when a later hop fails', async () => {
    const { venue } = setup([
      { ...POST_FULL, times: 1 },
      { method: 'POST', path: '/api/v3/order', file: 'error-2010-insufficient-balance.json', status: 400 },
    ])
    const result = refused(await venue.sell([BTC, USDT, ETH], amount(BTC, '0.00847'), amount(ETH, '0.01'), 'dust-17'))
    expect(result.reason).toBe('insufficient_funds')
    expect(result.detail).toContain('binance failed after 1 completed hop:')
    expect(result.hops.map((hop) => hop.amountOut.toString())).toEqual(['198.335215 USDT'])
  })

  it('spends the proceeds of one hop with quoteOrderQty on the next', async () => {
    const { venue, recorded } = setup([
      { ...POST_FULL, times: 1 },
      { method: 'POST', path: '/api/v3/order', file: 'error-2010-insufficient-balance.json', status: 400 },
    ])
    await venue.sell([BTC, USDT, ETH], amount(BTC, '0.00847'), amount(ETH, '0.01'), 'dust-18')
    const buy = recorded.requests.find((request) => request.method === 'POST' && request.params.symbol === 'ETHUSDT')?.params
    // 198.335215 USDT, truncated by ccxt to the 0.01 tick of ETHUSDT.
    expect(buy).toMatchObject({ side: 'BUY', type: 'MARKET', quoteOrderQty: '198.33', newClientOrderId: 'dust-18-1' })
    expect(buy?.quantity).toBeUndefined()
  })

  it('buys with a quote amount: the recorded FULL market buy of 0.0005 BTC for 29.470815 USDT, commission in BNB', async () => {
    const { venue, recorded } = setup([{ method: 'POST', path: '/api/v3/order', file: 'order-post-full-bnb-fee.json' }])
    // The fresh quote: 30 USDT on asks ["42574.31", "0.0087"] buys 0.00070… BTC, stepped to 0.0007 BTC,
    // which costs 0.0007 × 42,574.31 = 29.801017 USDT; that is sent, truncated by ccxt to the 0.01 tick.
    const result = sold(await venue.sell([USDT, BTC], amount(USDT, '30'), amount(BTC, '0.0004'), 'dust-25'))
    expect(recorded.requests.at(-1)?.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '29.8', newClientOrderId: 'dust-25-0' })
    expect(result.amountIn.toString()).toBe('29.470815 USDT')
    expect(result.residual.toString()).toBe('0.529185 USDT')
    // The BNB commission is not taken from the BTC bought.
    expect(result.amountOut.toString()).toBe('0.0005 BTC')
    expect(result.hops[0]?.fee.toString()).toBe('0 BTC')
    expect(result.hops[0]?.otherFees.map(String)).toEqual(['0.0000705 BNB'])
  })

  it('refuses a client order id Binance would reject, and a floor in another currency', async () => {
    const { venue } = setup([POST_FULL])
    const badId = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(USDT, '1'), 'dust 19'))
    expect(badId.reason).toBe('invalid_client_order_id')
    const badFloor = refused(await venue.sell([BTC, USDT], amount(BTC, '0.00847'), amount(BTC, '1'), 'dust-20'))
    expect(badFloor.reason).toBe('venue_error')
    expect(badFloor.detail).toContain('The floor of a sale to USDT on binance must be in USDT, found 1 BTC.')
  })

  it('passes on a route it cannot quote', async () => {
    const { venue } = setup([])
    const result = refused(await venue.sell([LTC, ETH], amount(LTC, '1'), amount(ETH, '0'), 'dust-21'))
    expect(result).toMatchObject({ reason: 'no_route', detail: 'binance has no LTC/ETH market.', retryable: false })
  })
})

describe('createCcxtVenue: paper sell', () => {
  it('fills against the fetched snapshot exactly as it quotes, and places no order', async () => {
    const { venue, calls } = setup([], { paper: true })
    expect(venue.paper).toBe(true)
    const quote = ok(await venue.quote([BTC, USDT, ETH], amount(BTC, '0.015')))
    const result = sold(await venue.sell([BTC, USDT, ETH], amount(BTC, '0.015'), amount(ETH, '0.25'), 'dust 22 is not checked on paper'))
    expect(result.paper).toBe(true)
    expect(result.amountIn.toString()).toBe('0.015 BTC')
    expect(result.amountOut.toString()).toBe(quote.amountOut.toString())
    expect(result.amountOut.toString()).toBe('0.2555442 ETH')
    expect(result.leftovers.map(String)).toEqual(['0.120249 USDT'])
    expect(result.hops.map((hop) => [hop.market, hop.side, hop.orderId, hop.amountIn.toString(), hop.amountOut.toString()])).toEqual([
      ['BTC/USDT', 'sell', undefined, '0.015 BTC', '637.975455 USDT'],
      ['ETH/USDT', 'buy', undefined, '637.855206 USDT', '0.2555442 ETH'],
    ])
    // The sale used the books the quote fetched: nothing posted, nothing fetched twice.
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo', 'GET /api/v3/depth BTCUSDT', 'GET /api/v3/depth ETHUSDT'])
  })

  it('reports slippage on paper too, and the minimum notional', async () => {
    const { venue } = setup([], { paper: true })
    const under = refused(await venue.sell([BTC, USDT], amount(BTC, '0.015'), amount(USDT, '638'), 'dust-23'))
    expect(under.detail).toBe('binance would give 637.975455 USDT, under the floor of 638 USDT; nothing was sold.')
    const small = refused(await venue.sell([BTC, USDT], amount(BTC, '0.0001'), amount(USDT, '0'), 'dust-24'))
    expect(small.reason).toBe('below_venue_minimum')
  })
})

describe('createCcxtVenue: what became of an order after a restart', () => {
  const byClientId = (file: string, status?: number): RecordedRoute => ({
    method: 'GET',
    path: '/api/v3/order',
    query: { symbol: 'BTCUSDT', origClientOrderId: 'dust-0123456789abcdef01234567-0-0' },
    file,
    ...(status === undefined ? {} : { status }),
  })

  it('asks the exchange by client order id: filled is confirmed with what was sold and bought, canceled is failed, unknown to it was never placed', async () => {
    const filled = setup([byClientId('order-get-filled.json')])
    const answer = await filled.venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])
    // 0.00847 BTC for 198.335215 USDT; Binance's order query has no commission, so the 10 bps taker fee is estimated, rounded up.
    expect(answer.status === 'confirmed' && [answer.amountIn?.toString(), answer.amountOut?.toString(), answer.receipt]).toEqual([
      '0.00847 BTC',
      '198.136879 USDT',
      { kind: 'market_sell', venue: 'binance', reference: '12569099453' },
    ])
    expect(filled.calls()).toContain('GET /api/v3/order BTCUSDT')
    expect(await setup([byClientId('order-canceled.json')]).venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])).toEqual({
      status: 'failed',
      reason: 'order_canceled',
      detail: 'Order dust-0123456789abcdef01234567-0-0 on BTC/USDT at binance ended canceled, as the exchange answered after a restart.',
    })
    expect(await setup([byClientId('error-2013-order-does-not-exist.json', 400)]).venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])).toEqual({
      status: 'not_found',
      detail: 'binance has no order dust-0123456789abcdef01234567-0-0: the sale was never placed.',
    })
  })

  it('says that a two-hop sale stopped halfway, and finds the first hop of a finished one', async () => {
    const hop = (index: number, symbol: string, file: string, status?: number): RecordedRoute => ({
      method: 'GET',
      path: '/api/v3/order',
      query: { symbol, origClientOrderId: `dust-0123456789abcdef01234567-0-${index}` },
      file,
      ...(status === undefined ? {} : { status }),
    })
    const halfway = setup([hop(1, 'ETHUSDT', 'error-2013-order-does-not-exist.json', 400), hop(0, 'BTCUSDT', 'order-get-filled.json')])
    expect(await halfway.venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT, ETH])).toMatchObject({ status: 'failed', reason: 'sale_incomplete' })
    // The recorded filled order stands for both hops: the first hop's fill is what was sold.
    const finished = setup([hop(1, 'ETHUSDT', 'order-get-filled.json'), hop(0, 'BTCUSDT', 'order-get-filled.json')])
    const answer = await finished.venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT, ETH])
    expect(answer.status === 'confirmed' && [answer.amountIn?.toString(), answer.receipt?.reference]).toEqual(['0.00847 BTC', '12569099453,12569099453'])
    expect(finished.calls().filter((call) => call.startsWith('GET /api/v3/order'))).toEqual(['GET /api/v3/order ETHUSDT', 'GET /api/v3/order BTCUSDT'])
  })

  it('answers lookup_failed, never a settlement, when the exchange does not answer, and names no credentials', async () => {
    for (const [file, status] of [
      ['error-418-ip-banned.json', 418],
      ['error-429-too-much-weight.json', 429],
    ] as const) {
      const { venue } = setup([byClientId(file, status)])
      const answer = await venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])
      expect(answer.status).toBe('lookup_failed')
      const error = answer.status === 'lookup_failed' ? answer.error : ''
      expect(error.startsWith('binance did not answer about sale dust-0123456789abcdef01234567-0 (rate_limited): ')).toBe(true)
      expect(error).not.toMatch(/recorded-api-key|recorded-secret|signature=/)
    }
    // No path on record, or markets that cannot be loaded: nothing was asked, nothing is known.
    expect(await setup([]).venue.lookup('dust-0123456789abcdef01234567-0', [])).toEqual({
      status: 'lookup_failed',
      error: 'The sale dust-0123456789abcdef01234567-0 on binance has no path on record to find its markets by.',
    })
    const down = setup([{ method: 'GET', path: '/api/v3/exchangeInfo', file: 'error-429-too-much-weight.json', status: 429 }])
    expect(await down.venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])).toMatchObject({ status: 'lookup_failed' })
  })

  it('has nothing to ask for a paper fill: it did not outlive the process', async () => {
    const { venue, recorded } = setup([], { paper: true })
    expect(await venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])).toMatchObject({ status: 'not_found' })
    expect(recorded.requests).toEqual([])
  })

  it('finds an order the exchange still has open pending', async () => {
    // The recorded NEW order stands for the query's answer: the same order fields, status NEW.
    const { venue } = setup([byClientId('order-post-result-new.json')])
    expect(await venue.lookup('dust-0123456789abcdef01234567-0', [BTC, USDT])).toEqual({
      status: 'pending',
      detail: 'Order dust-0123456789abcdef01234567-0-0 on BTC/USDT at binance is still open.',
    })
  })

  it('answers lookup_failed, asking nothing, for a path with a hop it has no market for', async () => {
    const { venue, calls } = setup([])
    expect(await venue.lookup('dust-0123456789abcdef01234567-0', [BTC, LTC])).toEqual({
      status: 'lookup_failed',
      error: "binance did not answer about sale dust-0123456789abcdef01234567-0 (unexpected_error): binance has no market between BTC → LTC's hops to ask order dust-0123456789abcdef01234567-0-0 of.",
    })
    expect(calls()).toEqual(['GET /api/v3/exchangeInfo'])
  })
})
