import { describe, expect, it } from 'vitest'
import { buildConfigOf, buildVenueDirectly } from '../../../test/venueBuildContext.js'
import type { StrategyConfig } from '../../config/index.js'
import { buildStaticVenue } from './buildStaticVenue.js'

/** What a built assembly holds besides its balance sources: for a static venue, nothing. */
const rest = (assembly: ReturnType<typeof buildVenueDirectly>) => [
  assembly.chainSources,
  assembly.venues,
  assembly.staticVenues,
  [...assembly.claimers.keys(), ...assembly.swappers.keys(), ...assembly.sellers.keys(), ...assembly.depositAddresses.keys()],
  [...assembly.spotPriceSources.keys(), ...assembly.midPriceSources.keys(), ...assembly.claimGasEstimators.keys()],
  assembly.finishers,
  assembly.realExecution,
]

describe('buildStaticVenue', () => {
  it('adds one static balance source of its on-chain balances, and nothing else, not even real execution', async () => {
    const config = buildConfigOf({ held: { type: 'static', source: 'wallet_balance', chain: 'local', balances: { EIGEN: '12.5', USDT: '0.000001', ETH: '0' } } }, { execution: { mode: 'paper' } })
    const assembly = buildVenueDirectly(buildStaticVenue, config, 'held', 'static')
    const [source, ...others] = assembly.balanceSources
    expect(others).toEqual([])
    expect([source?.name, source?.source, source?.custody]).toEqual(['held', 'wallet_balance', { kind: 'onchain', chain: 'local' }])
    // The zero balance is held, never listed.
    expect((await source?.fetchHoldings())?.map((held) => [held.venue, held.source, held.amount.toString(), held.amount.raw, held.custody])).toEqual([
      ['held', 'wallet_balance', '12.5 EIGEN', 12_500_000_000_000_000_000n, { kind: 'onchain', chain: 'local' }],
      ['held', 'wallet_balance', '0.000001 USDT', 1n, { kind: 'onchain', chain: 'local' }],
    ])
    expect(rest(assembly)).toEqual([[], [], [], [], [], [], undefined])
  })

  it('holds claimable rewards on its chain, the schema default ethereum when none is given', async () => {
    const config = buildConfigOf({ rewards: { type: 'static', source: 'claimable_rewards', balances: { EIGEN: '3' } } })
    const [source] = buildVenueDirectly(buildStaticVenue, config, 'rewards', 'static').balanceSources
    expect([source?.source, source?.custody]).toEqual(['claimable_rewards', { kind: 'onchain', chain: 'ethereum' }])
  })

  it('holds an exchange balance in the custody of the exchange it names, whatever its chain', async () => {
    const config = buildConfigOf({ account: { type: 'static', source: 'exchange_balance', exchange: 'binance', chain: 'local', balances: { USDT: '250.75' } } })
    const [source] = buildVenueDirectly(buildStaticVenue, config, 'account', 'static').balanceSources
    expect([source?.name, source?.source, source?.custody]).toEqual(['account', 'exchange_balance', { kind: 'exchange', exchange: 'binance' }])
    expect((await source?.fetchHoldings())?.map((held) => [held.amount.toString(), held.custody])).toEqual([['250.75 USDT', { kind: 'exchange', exchange: 'binance' }]])
  })

  it('refuses an exchange balance that names no exchange, as a configuration built in code may have', () => {
    const config = buildConfigOf({ account: { type: 'static', source: 'exchange_balance', exchange: 'binance', balances: { USDT: '1' } } })
    const venue = config.venues.account
    if (venue?.type !== 'static') throw new Error('test setup: account is a static venue')
    const edited: StrategyConfig = { ...config, venues: { account: { ...venue, exchange: undefined } } }
    expect(() => buildVenueDirectly(buildStaticVenue, edited, 'account', 'static')).toThrow(
      expect.objectContaining({
        name: 'BaseError',
        code: 'invalid_config',
        shortMessage: 'The exchange balance venue account names no exchange.',
        details: 'Expected an "exchange" naming the CEX venue that holds the balance (the schema requires one), found none.',
      }),
    )
  })

  it('refuses a balance of a token the registry lacks, or finer than its decimals', () => {
    const unknown = buildConfigOf({ held: { type: 'static', source: 'wallet_balance', balances: { WBTC: '1' } } })
    expect(() => buildVenueDirectly(buildStaticVenue, unknown, 'held', 'static')).toThrow('The token WBTC is not in the token registry (USDT, ETH, EIGEN).')
    const fine = buildConfigOf({ held: { type: 'static', source: 'wallet_balance', balances: { USDT: '0.0000001' } } })
    expect(() => buildVenueDirectly(buildStaticVenue, fine, 'held', 'static')).toThrow('USDT has 6 decimals, so "0.0000001" cannot be held exactly; expected at most 6 decimals.')
  })
})
