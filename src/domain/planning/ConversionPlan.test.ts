import { assert, describe, expect, it } from 'vitest'
import { fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { fixturePlan } from '../../../test/fixtureStrategy.js'
import { serializePlan } from './ConversionPlan.js'

/** The fixture valued in ETH, preferring the seed's path EIGEN → USDT → ETH. */
const ETH_SHARE_CLASS = fixtureConfigWith('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: [EIGEN, USDT, ETH]', fixtureConfigWith('share_class: USDT', 'share_class: ETH'))

describe('serializePlan', () => {
  it("writes the seed's instruction fields first, then custody, sources, costs, steps and leftovers, as decimal strings", async () => {
    const json = serializePlan(await fixturePlan(ETH_SHARE_CLASS, true))
    expect(json.share_class).toBe('ETH')
    expect(json.total_dust_value).toBe('1.064')
    const [eigen] = json.instructions
    expect(Object.keys(eigen ?? {}).slice(0, 9)).toEqual(['token', 'amount', 'target_currency', 'venue', 'conversion_path', 'estimated_output', 'estimated_fees', 'min_output', 'net_output'])
    expect(eigen).toMatchObject({
      token: 'EIGEN',
      amount: '1520',
      target_currency: 'ETH',
      venue: 'binance',
      conversion_path: ['EIGEN', 'USDT', 'ETH'],
      estimated_output: '0.757242',
      estimated_fees: '0.001904476',
      // The higher of 0.757242 × 0.995 = 0.75345579 and the value at independent prices less fees, leftovers and 50 bps:
      // 1,520 × 1.25 / 2,500 = 0.76 ETH, less 0.001516976 of fees and 0.16356 / 2,500 = 0.000065424 of leftover USDT,
      // = 0.7584176 × 0.995 = 0.754625512.
      min_output: '0.754625512',
      net_output: '0.7568545',
      conversion_id: 'usdt_test:EIGEN:onchain:ethereum:1735689600000',
      custody: { kind: 'onchain', chain: 'ethereum' },
      sources: [
        { venue: 'etherfi', source: 'claimable_rewards', amount: '1500' },
        { venue: 'wallet', source: 'wallet_balance', amount: '20' },
      ],
      residual: '0',
      // 1,895.54256 USDT bought 0.758 ETH (amount step 0.0001) for 1,895.379 USDT.
      leftovers: [{ token: 'USDT', amount: '0.16356' }],
      costs: { trading_fees: '0.001516976', price_impact: '0.001241024', gas_units: '155000', gas_cost: '0.0003875' },
      steps: [
        { kind: 'claim', venue: 'etherfi', token: 'EIGEN', amount: '1500' },
        { kind: 'transfer', to: 'binance', token: 'EIGEN', amount: '1520' },
        { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT', 'ETH'], amount_in: '1520', min_output: '0.754625512' },
      ],
      reason: 'Preferred route binance EIGEN→USDT→ETH nets 0.7568545 ETH; no route nets more.',
    })
  })

  it('writes approve and swap steps for a DEX route, and the rejected routes with their reason', async () => {
    // The binance EIGEN book holds only 10 EIGEN: 1,520 cannot be sold there.
    const text = fixtureConfigWith('bids: [["1.249", "1000"], ["1.247", "5000"]]', 'bids: [["1.249", "10"]]')
    const json = serializePlan(await fixturePlan(text))
    const eigen = json.instructions.find((instruction) => instruction.token === 'EIGEN')
    expect(eigen?.venue).toBe('uniswap')
    expect(eigen?.steps).toEqual([
      { kind: 'claim', venue: 'etherfi', token: 'EIGEN', amount: '1500' },
      { kind: 'approve', venue: 'uniswap', token: 'EIGEN', amount: '1520' },
      { kind: 'swap', venue: 'uniswap', path: ['EIGEN', 'WETH', 'USDT'], amount_in: '1520', min_output: eigen?.min_output },
    ])
    expect(eigen?.alternatives).toEqual([expect.objectContaining({ venue: 'binance', conversion_path: ['EIGEN', 'USDT'], rejected: 'insufficient_liquidity' })])
  })

  it('writes a skip with its reason, custody, amount and the routes it weighed', async () => {
    // At 100,000 gwei the gas of any route costs more than the dust yields.
    const json = serializePlan(await fixturePlan(fixtureConfigWith('gwei: "2.5"', 'gwei: "100000"')))
    expect(json.instructions).toEqual([])
    const ethfi = json.skipped.find((skip) => skip.token === 'ETHFI')
    expect(ethfi).toMatchObject({ token: 'ETHFI', custody: { kind: 'onchain', chain: 'ethereum' }, amount: '800', reason: 'net_output_not_positive' })
    assert.isDefined(ethfi, 'ETHFI is skipped')
    expect((ethfi.alternatives as Array<{ venue: string; rejected: string }>).map((route) => `${route.venue} ${route.rejected}`)).toEqual([
      'binance net_output_not_positive',
      'uniswap net_output_not_positive',
    ])
  })
})
