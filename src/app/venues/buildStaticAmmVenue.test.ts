import { describe, expect, it } from 'vitest'
import { buildConfigOf, buildCurrency, buildVenueDirectly } from '../../../test/venueBuildContext.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import type { StaticAmmVenue } from '../../adapters/static/createStaticAmmVenue.js'
import { buildStaticAmmVenue } from './buildStaticAmmVenue.js'

const [EIGEN, ETH, USDT] = [buildCurrency('EIGEN'), buildCurrency('ETH'), buildCurrency('USDT')]

/** A static AMM on the local chain: EIGEN/USDT at 1.25 with the default 30 bps fee, and EIGEN/ETH at 0.0005 with 5 bps. */
const ammOf = (extra: Record<string, unknown> = {}) => ({
  type: 'static_amm',
  chain: 'local',
  pools: [
    { tokens: ['EIGEN', 'USDT'], reserves: ['1000', '1250'] },
    { tokens: ['EIGEN', 'ETH'], reserves: ['20000', '10'], fee_bps: '5' },
  ],
  ...extra,
})

describe('buildStaticAmmVenue', () => {
  const build = (venue: Record<string, unknown>, overrides: Record<string, unknown> = {}) => buildVenueDirectly(buildStaticAmmVenue, buildConfigOf({ amm: venue }, overrides), 'amm', 'static_amm')

  it('adds one DEX venue on its chain, also as a static venue, with each pool named after its tokens and its reserves in base units', async () => {
    const assembly = build(ammOf())
    const [venue, ...others] = assembly.venues as StaticAmmVenue[]
    expect(others).toEqual([])
    expect(assembly.staticVenues).toHaveLength(1)
    expect(assembly.staticVenues[0]).toBe(venue)
    expect([venue?.name, venue?.kind, venue?.chain]).toEqual(['amm', 'dex', 'local'])
    expect(venue?.pools().map((pool) => [pool.name, pool.token0.symbol, pool.token1.symbol, pool.reserve0, pool.reserve1, pool.feeBps])).toEqual([
      ['EIGEN/USDT', 'EIGEN', 'USDT', 1000n * 10n ** 18n, 1_250_000_000n, new Fraction(30n)],
      ['EIGEN/ETH', 'EIGEN', 'ETH', 20_000n * 10n ** 18n, 10n * 10n ** 18n, new Fraction(5n)],
    ])
    expect((await venue?.tradablePairs())?.map(([a, b]) => `${a.symbol}/${b.symbol}`)).toEqual(['EIGEN/USDT', 'EIGEN/ETH'])
  })

  it('quotes with the exact constant-product formula, and the gas units of the configuration per hop', async () => {
    const [venue] = build(ammOf(), { gas_units: { swap: '150000', swap_extra_hop: '40000' } }).venues
    // 10 EIGEN less 30 bps into 1,000 EIGEN / 1,250 USDT: 1,250 × 9.97 / 1,009.97 = 12.339475… USDT, rounded down.
    const direct = await venue?.quote([EIGEN, USDT], Amount.parse(EIGEN, '10'))
    expect(direct?.ok && [direct.amountOut.raw, direct.gasUnits, direct.hops.map((hop) => hop.market)]).toEqual([12_339_475n, 150_000n, ['EIGEN/USDT']])
    const twoHops = await venue?.quote([ETH, EIGEN, USDT], Amount.parse(ETH, '0.001'))
    expect(twoHops?.ok && [twoHops.gasUnits, twoHops.hops.map((hop) => hop.market)]).toEqual([190_000n, ['EIGEN/ETH', 'EIGEN/USDT']])
  })

  it('adds nothing else: no source, seller, swapper, price source, deposit address, finisher or real execution', () => {
    const assembly = build(ammOf(), { execution: { mode: 'paper' } })
    expect([
      assembly.balanceSources,
      assembly.chainSources,
      [...assembly.claimers.keys(), ...assembly.swappers.keys(), ...assembly.sellers.keys(), ...assembly.depositAddresses.keys()],
      [...assembly.spotPriceSources.keys(), ...assembly.midPriceSources.keys(), ...assembly.claimGasEstimators.keys()],
      assembly.finishers,
      assembly.realExecution,
    ]).toEqual([[], [], [], [], [], undefined])
  })

  it('refuses a pool of a token the registry lacks, and reserves finer than the token has decimals', () => {
    expect(() => build(ammOf({ pools: [{ tokens: ['EIGEN', 'WBTC'], reserves: ['1', '1'] }] }))).toThrow('The token WBTC is not in the token registry (USDT, ETH, EIGEN).')
    expect(() => build(ammOf({ pools: [{ tokens: ['EIGEN', 'USDT'], reserves: ['1000', '1250.0000001'] }] }))).toThrow(
      'USDT has 6 decimals, so "1250.0000001" cannot be held exactly; expected at most 6 decimals.',
    )
  })
})
