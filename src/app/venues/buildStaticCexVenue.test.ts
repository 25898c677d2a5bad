import { describe, expect, it } from 'vitest'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { buildConfigOf, buildCurrency, buildVenueDirectly } from '../../../test/venueBuildContext.js'
import { Amount } from '../../domain/money/index.js'
import { buildStaticCexVenue } from './buildStaticCexVenue.js'

const DEPOSIT = '0x8888888888888888888888888888888888888888'

/** A static CEX on the local chain: an EIGEN/USDT book of two levels a side, a 10 bps taker fee, its account holding 20 EIGEN. */
const cexOf = (extra: Record<string, unknown> = {}) => ({
  type: 'static_cex',
  deposit_chain: 'local',
  taker_fee_bps: '10',
  markets: {
    'EIGEN/USDT': {
      min_notional: '5',
      amount_step: '0.01',
      bids: [
        ['1.25', '100'],
        ['1.2', '1000'],
      ],
      asks: [
        ['1.3', '100'],
        ['1.35', '1000'],
      ],
    },
  },
  balances: { EIGEN: '20' },
  ...extra,
})

const EIGEN = buildCurrency('EIGEN')
const USDT = buildCurrency('USDT')

describe('buildStaticCexVenue', () => {
  const build = (venue: Record<string, unknown>) => buildVenueDirectly(buildStaticCexVenue, buildConfigOf({ binance: venue }), 'binance', 'static_cex')

  it('adds one CEX venue on its deposit chain, also as a static venue, quoting its configured book with its taker fee', async () => {
    const assembly = build(cexOf())
    const [venue, ...others] = assembly.venues
    expect(others).toEqual([])
    expect(assembly.staticVenues).toHaveLength(1)
    expect(assembly.staticVenues[0]).toBe(venue)
    expect([venue?.name, venue?.kind, venue?.chain]).toEqual(['binance', 'cex', 'local'])
    expect((await venue?.tradablePairs())?.map(([base, quote]) => `${base.symbol}/${quote.symbol}`)).toEqual(['EIGEN/USDT'])
    // 10 EIGEN down the 1.25 bid: 12.5 USDT, less the 10 bps taker fee of 0.0125.
    const quote = await venue?.quote([EIGEN, USDT], Amount.parse(EIGEN, '10'))
    expect(quote?.ok && [quote.amountIn.toString(), quote.amountOut.toString(), quote.gasUnits, quote.hops.map((hop) => [hop.market, hop.fee.toString(), hop.minNotional?.toString()])]).toEqual([
      '10 EIGEN',
      '12.4875 USDT',
      0n,
      [['EIGEN/USDT', '0.0125 USDT', '5 USDT']],
    ])
    // The amount step of 0.01 EIGEN leaves the rest unsold.
    const stepped = await venue?.quote([EIGEN, USDT], Amount.parse(EIGEN, '10.005'))
    expect(stepped?.ok && [stepped.amountIn.toString(), stepped.residual.toString()]).toEqual(['10 EIGEN', '0.005 EIGEN'])
  })

  it('adds its exchange account as a static exchange_balance source in its own custody, and a paper seller that moves it', async () => {
    const assembly = build(cexOf())
    const [account, ...others] = assembly.balanceSources
    expect(others).toEqual([])
    expect([account?.name, account?.source, account?.custody]).toEqual(['binance', 'exchange_balance', { kind: 'exchange', exchange: 'binance' }])
    expect((await account?.fetchHoldings())?.map((held) => held.amount.toString())).toEqual(['20 EIGEN'])
    expect([...assembly.sellers.keys()]).toEqual(['binance'])

    const sold = await assembly.sellers.get('binance')?.sell([EIGEN, USDT], Amount.parse(EIGEN, '10'), Amount.parse(USDT, '12'), 'order-1')
    expect(sold).toMatchObject({ ok: true, receipt: { kind: 'market_sell', venue: 'binance', reference: 'paper:order-1' } })
    expect(sold?.ok && [sold.amountIn?.toString(), sold.amountOut?.toString()]).toEqual(['10 EIGEN', '12.4875 USDT'])
    expect((await account?.fetchHoldings())?.map((held) => held.amount.toString())).toEqual(['10 EIGEN', '12.4875 USDT'])
    // More than the account holds is refused before any fill.
    expect(await assembly.sellers.get('binance')?.sell([EIGEN, USDT], Amount.parse(EIGEN, '11'), Amount.parse(USDT, '1'), 'order-2')).toEqual({
      ok: false,
      reason: 'insufficient_funds',
      detail: 'The binance paper account holds 10 EIGEN, less than the 11 EIGEN to sell.',
      retryable: false,
    })
  })

  it('adds an order book mid price source under its name, pricing each market at the mid of its best bid and ask at the clock time', async () => {
    const assembly = build(cexOf())
    expect([...assembly.midPriceSources.keys()]).toEqual(['binance'])
    const source = assembly.midPriceSources.get('binance')?.()
    expect(source?.name).toBe('binance')
    const prices = (await source?.fetchPrices()) ?? []
    expect(prices.map((price) => [price.base.symbol, price.quote.symbol, price.toSignificant(12), price.origin])).toEqual([['EIGEN', 'USDT', '1.275', { source: 'binance', at: FIXED_TIME }]])
  })

  it('keeps its deposit address as configured when it has one, and nothing on chain: no claimer, swapper, spot price, finisher or real execution', () => {
    const withDeposit = build(cexOf({ deposit_address: DEPOSIT }))
    expect([...withDeposit.depositAddresses]).toEqual([['binance', DEPOSIT]])
    const without = build(cexOf())
    expect([...without.depositAddresses]).toEqual([])
    for (const assembly of [withDeposit, without]) {
      expect([
        assembly.chainSources,
        [...assembly.claimers.keys(), ...assembly.swappers.keys(), ...assembly.spotPriceSources.keys(), ...assembly.claimGasEstimators.keys()],
        assembly.finishers,
        assembly.realExecution,
      ]).toEqual([[], [], [], undefined])
    }
  })

  it('refuses a market of a token the registry lacks, and a book level at a price of zero', () => {
    expect(() => build(cexOf({ markets: { 'WBTC/USDT': { bids: [['60000', '1']] } } }))).toThrow('The token WBTC is not in the token registry (USDT, ETH, EIGEN).')
    expect(() => build(cexOf({ markets: { 'EIGEN/USDT': { bids: [['0', '1']] } } }))).toThrow('An order book price must be positive, found "0" USDT per EIGEN.')
  })
})
