import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI, USDT, WETH, amount } from '../../../test/fixtureMoney.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import { applyConversion } from './applyConversion.js'
import { createDustDetector } from './createDustDetector.js'
import { planRunConversions } from './planRunConversions.js'
import { refreshHoldings } from './refreshHoldings.js'

/** A threshold run holding 5,000 EIGEN and 10 ETHFI, and the planner's sale of the EIGEN (4,994.69 USDT net). */
async function plannedSale() {
  const replay = fixtureReplay()
  const state = fixtureRun(replay, 'threshold')
  claim(state, EIGEN, '5000')
  claim(state, ETHFI, '10')
  refreshHoldings(replay, state)
  const hour = fixtureHour(replay, 1)
  createDustDetector(replay)(state, hour)
  const [sale] = await planRunConversions(replay, state, hour, { ignoreThreshold: false, weighRisk: false })
  if (!sale) throw new Error('Expected the planner to sell the EIGEN.')
  return { replay, state, hour, sale }
}

describe('applyConversion', () => {
  it("fills the sale as quoted: the token leaves the claimable rewards and its value, cost and output add to the run's totals", async () => {
    const { replay, state, hour, sale } = await plannedSale()
    applyConversion(replay, state, sale, hour)
    expect([...state.claimable.keys()]).toEqual(['ETHFI'])
    expect(state.wallet.get('EIGEN')?.toString()).toBe('0 EIGEN')
    expect(state.proceeds.toString()).toBe('4994.69 USDT')
    // Value: 4,995 out + 5 fee + 0 impact; cost: 5 fee + 0 impact + 0.31 gas.
    expect(state.convertedValue.toString()).toBe('5000 USDT')
    expect(state.totalCost.toString()).toBe('5.31 USDT')
    expect(
      state.conversions.map((conversion) => ({
        ...conversion,
        amount: String(conversion.amount),
        value: String(conversion.value),
        cost: String(conversion.cost),
        netOutput: String(conversion.netOutput),
      })),
    ).toEqual([{ at: hour.at, token: 'EIGEN', amount: '5000 EIGEN', venue: 'binance', path: ['EIGEN', 'USDT'], value: '5000 USDT', cost: '5.31 USDT', netOutput: '4994.69 USDT' }])
  })

  it('keeps the unsold residual and intermediate leftovers in the wallet, and counts leftover share class as proceeds', async () => {
    const { replay, state, hour, sale } = await plannedSale()
    state.wallet.set('WETH', amount(WETH, '0.25'))
    const partial: DustConversionInstruction = {
      ...sale,
      chosen: { ...sale.chosen, residual: amount(EIGEN, '0.004'), leftovers: [amount(WETH, '0.5'), amount(ETHFI, '1'), amount(USDT, '0.3')] },
    }
    applyConversion(replay, state, partial, hour)
    expect([...state.wallet.entries()].map(([symbol, held]) => [symbol, String(held)])).toEqual([
      ['WETH', '0.75 WETH'],
      ['EIGEN', '0.004 EIGEN'],
      ['ETHFI', '1 ETHFI'],
    ])
    // The claimable ETHFI is untouched: only the wallet gets the leftover.
    expect(state.claimable.get('ETHFI')?.toString()).toBe('10 ETHFI')
    expect(state.proceeds.toString()).toBe('4994.99 USDT')
  })
})
