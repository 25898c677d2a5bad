import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI } from '../../../test/fixtureMoney.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type { BacktestReplay } from './BacktestReplay.js'
import { createDustDetector } from './createDustDetector.js'
import { planRunConversions } from './planRunConversions.js'
import { refreshHoldings } from './refreshHoldings.js'

const ABOVE_THRESHOLD = { ignoreThreshold: false, weighRisk: false }
const EVERYTHING = { ignoreThreshold: true, weighRisk: false }
const WORTH_SELLING = { ignoreThreshold: true, weighRisk: true }

/** EIGEN at 1, 2 then 1 USDT: still at hour 0, volatile at hour 2. */
const PRICES = ['0.0005', '0.001', '0.0005']

/** A cost-aware run holding `eigen` EIGEN and 2 ETHFI (2 USDT, under the CEX's 5 USDT minimum), detected at hour `index`. */
function holding(replay: BacktestReplay, eigen: string, index: number) {
  const state = fixtureRun(replay, 'cost_aware')
  claim(state, EIGEN, eigen)
  claim(state, ETHFI, '2')
  refreshHoldings(replay, state)
  const hour = fixtureHour(replay, index)
  createDustDetector(replay)(state, hour)
  return { state, hour }
}

/** The figures of a planned sale. */
const figures = (instruction: DustConversionInstruction) => {
  const { venue, path, amountIn, estimatedOutput, gasCost, netOutput } = instruction.chosen
  return [instruction.token, venue, path.join('>'), String(amountIn), String(estimatedOutput), String(gasCost), String(netOutput)]
}

describe('planRunConversions', () => {
  it("plans the run's dust on the hour's venues, and counts the tokens it leaves by reason", async () => {
    const replay = fixtureReplay(PRICES)
    const { state, hour } = holding(replay, '5000', 0)
    expect(state.exceedsThreshold).toBe(true)
    const instructions = await planRunConversions(replay, state, hour, ABOVE_THRESHOLD)
    // 5,000 EIGEN at 1 USDT less the 10 bps taker fee, less 0.31 USDT of gas for the claim and the transfer.
    expect(instructions.map(figures)).toEqual([['EIGEN', 'binance', 'EIGEN>USDT', '5000 EIGEN', '4995 USDT', '0.31 USDT', '4994.69 USDT']])
    expect(state.skipped).toEqual({ below_venue_minimum: 1 })
  })

  it('does not count the tokens left because the ratio is under dust_delta', async () => {
    const replay = fixtureReplay(PRICES)
    const { state, hour } = holding(replay, '3', 0)
    expect(await planRunConversions(replay, state, hour, ABOVE_THRESHOLD)).toEqual([])
    expect(state.skipped).toEqual({})
  })

  it('keeps, for the cost-aware policy, only the sales whose holding risk is at least their cost', async () => {
    const replay = fixtureReplay(PRICES)
    // A still price: no risk in holding on, so the 5.31 USDT of cost is not worth paying.
    const still = holding(replay, '5000', 0)
    expect(await planRunConversions(replay, still.state, still.hour, EVERYTHING)).toHaveLength(1)
    expect(await planRunConversions(replay, still.state, still.hour, WORTH_SELLING)).toEqual([])
    // After a double and a halving, holding 5,000 USDT of EIGEN for 4 hours risks more than the cost.
    const volatile = holding(replay, '5000', 2)
    expect((await planRunConversions(replay, volatile.state, volatile.hour, WORTH_SELLING)).map(figures)).toEqual([
      ['EIGEN', 'binance', 'EIGEN>USDT', '5000 EIGEN', '4995 USDT', '0.31 USDT', '4994.69 USDT'],
    ])
  })
})
