import { describe, expect, it } from 'vitest'
import { BUILD_ACCOUNT, BUILD_SIGNER, buildConfigOf, buildCurrency, buildVenueDirectly, createVenueBuildContext } from '../../../test/venueBuildContext.js'
import type { UniswapVenue } from '../../adapters/uniswap/createUniswapVenue.js'
import { Amount } from '../../domain/money/index.js'
import type { VenueBuildContext } from './VenueBuilder.js'
import { buildUniswapVenue } from './buildUniswapVenue.js'
import { createVenueAssembly } from './createVenueAssembly.js'

const ROUTER = '0xe592427a0aece92de3edee1f18e0157c05861564'
const QUOTER = '0x61ffe014ba17989e743c5f6cb21bf9697530b21e'
const FACTORY = '0x1f98431c8ad98523631ae4a59f267346ea31f984'

const v3Of = (extra: Record<string, unknown> = {}) => ({
  type: 'uniswap_v3',
  chain: 'local',
  router: ROUTER,
  quoter: QUOTER,
  factory: FACTORY,
  pools: [{ tokens: ['EIGEN', 'USDT'], fee: 3000 }, { tokens: ['ETH', 'USDT'] }],
  ...extra,
})
const v2Of = () => ({ type: 'uniswap_v2', chain: 'local', router: ROUTER, factory: FACTORY, pools: [{ tokens: ['EIGEN', 'USDT'] }] })

describe('buildUniswapVenue', () => {
  const build = (venues: Record<string, unknown>, name: string, overrides: Record<string, unknown> = {}, context: Partial<VenueBuildContext> = {}) => {
    const config = buildConfigOf(venues, overrides)
    const type = config.venues[name]?.type
    if (type !== 'uniswap_v2' && type !== 'uniswap_v3') throw new Error(`test setup: ${name} is a Uniswap venue`)
    return buildVenueDirectly(buildUniswapVenue, config, name, type, context)
  }

  it('adds a V3 venue on its chain, as a venue and as its swapper, with the pools configured, reading nothing at build time', async () => {
    const config = buildConfigOf({ uniswap: v3Of() })
    const context = createVenueBuildContext(config)
    const chain = context.chainOf('local')
    const assembly = buildVenueDirectly(buildUniswapVenue, config, 'uniswap', 'uniswap_v3', { chainOf: () => chain })
    const [venue, ...others] = assembly.venues as UniswapVenue[]
    expect(others).toEqual([])
    expect([venue?.name, venue?.kind, venue?.chain]).toEqual(['uniswap', 'dex', 'local'])
    expect([...assembly.swappers.keys()]).toEqual(['uniswap'])
    expect(assembly.swappers.get('uniswap')).toBe(venue)
    expect((await venue?.tradablePairs())?.map(([a, b]) => `${a.symbol}/${b.symbol}`)).toEqual(['EIGEN/USDT', 'ETH/USDT'])
    expect([
      assembly.balanceSources,
      assembly.chainSources,
      assembly.staticVenues,
      [...assembly.claimers.keys(), ...assembly.sellers.keys(), ...assembly.depositAddresses.keys()],
      assembly.finishers,
    ]).toEqual([[], [], [], [], []])
    // It reads a real chain: the strategy's real execution is set up, even in a dry run.
    expect(assembly.realExecution).toBeDefined()
    // Its pools are looked up at the first quote or price, not when it is built: no node was asked.
    expect(chain.requests()).toBe(0)
  })

  it("adds a spot price source under the venue's name, and no mid price source", () => {
    const assembly = build({ uniswap: v3Of() }, 'uniswap')
    expect([[...assembly.spotPriceSources.keys()], [...assembly.midPriceSources.keys()]]).toEqual([['uniswap'], []])
    expect(assembly.spotPriceSources.get('uniswap')?.().name).toBe('uniswap')
  })

  it('builds V2 and V3 venues into one assembly, each under its own name, sharing one real execution', () => {
    const config = buildConfigOf({ uniswap: v3Of(), uniswap_v2: v2Of() })
    const context = createVenueBuildContext(config)
    const assembly = createVenueAssembly()
    const { uniswap, uniswap_v2: v2 } = config.venues
    if (uniswap?.type !== 'uniswap_v3' || v2?.type !== 'uniswap_v2') throw new Error('test setup: uniswap is a V3 venue, uniswap_v2 a V2 one')
    buildUniswapVenue(context, assembly, 'uniswap', uniswap)
    const shared = assembly.realExecution
    buildUniswapVenue(context, assembly, 'uniswap_v2', v2)
    expect(assembly.realExecution).toBe(shared)
    expect(assembly.venues.map((venue) => [venue.name, venue.kind, venue.chain])).toEqual([
      ['uniswap', 'dex', 'local'],
      ['uniswap_v2', 'dex', 'local'],
    ])
    expect([[...assembly.swappers.keys()], [...assembly.spotPriceSources.keys()]]).toEqual([
      ['uniswap', 'uniswap_v2'],
      ['uniswap', 'uniswap_v2'],
    ])
  })

  it('swaps nothing without a signer: a dry run, or executing unsigned, leaves the venue quoting only', async () => {
    for (const assembly of [build({ uniswap: v3Of() }, 'uniswap', {}, { signer: BUILD_SIGNER }), build({ uniswap: v3Of() }, 'uniswap', { execution: { mode: 'paper' } })]) {
      expect(assembly.realExecution?.transactorOf('local')).toBeUndefined()
      expect(await assembly.swappers.get('uniswap')?.approve(Amount.parse(buildCurrency('EIGEN'), '1'))).toEqual({
        ok: false,
        reason: 'no_signer',
        detail: 'uniswap has no signer: it quotes only.',
        retryable: false,
      })
    }
  })

  it("signs with the strategy's transactor of its chain when executing with a signer", async () => {
    const assembly = build({ uniswap: v3Of() }, 'uniswap', { execution: { mode: 'paper' } }, { signer: BUILD_SIGNER, owners: new Map([['local', BUILD_ACCOUNT]]) })
    expect(assembly.realExecution?.transactorOf('local')?.account).toBe(BUILD_SIGNER.address)
    // With a transactor the approval goes on to its checks: a native coin is refused before anything is sent.
    expect(await assembly.swappers.get('uniswap')?.approve(Amount.parse(buildCurrency('ETH'), '1'))).toEqual({
      ok: false,
      reason: 'simulation_failed',
      detail: 'ETH is a native coin: only tokens are approved.',
      retryable: false,
    })
  })

  it('refuses a pool of a token the registry lacks', () => {
    expect(() => build({ uniswap: v3Of({ pools: [{ tokens: ['EIGEN', 'WBTC'] }] }) }, 'uniswap')).toThrow('The token WBTC is not in the token registry (USDT, ETH, EIGEN).')
  })

  it('refuses, in its own words, a V3 venue built in code without a quoter', () => {
    const config = buildConfigOf({ uniswap: v3Of() })
    const venue = config.venues.uniswap
    if (venue?.type !== 'uniswap_v3') throw new Error('test setup: uniswap is a V3 venue')
    const edited = { ...config, venues: { uniswap: { ...venue, quoter: undefined } } }
    // @ts-expect-error The schema requires a quoter; a configuration built in code may still lack one.
    expect(() => buildVenueDirectly(buildUniswapVenue, edited, 'uniswap', 'uniswap_v3')).toThrow('The Uniswap V3 venue uniswap needs a QuoterV2 address.')
  })
})
