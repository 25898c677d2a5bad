import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI } from '../../../test/fixtureMoney.js'
import type { BacktestReplay } from './BacktestReplay.js'
import { createDustDetector } from './createDustDetector.js'
import { liquidateRun } from './liquidateRun.js'
import { refreshHoldings } from './refreshHoldings.js'

/** A threshold run holding `eigen` EIGEN and 2 ETHFI (2 USDT, under the CEX's 5 USDT minimum), detected at hour 0. */
function holding(replay: BacktestReplay, eigen: string) {
  const state = fixtureRun(replay, 'threshold')
  claim(state, EIGEN, eigen)
  claim(state, ETHFI, '2')
  refreshHoldings(replay, state)
  const hour = fixtureHour(replay, 0)
  createDustDetector(replay)(state, hour)
  return { state, hour }
}

describe('liquidateRun', () => {
  it("prices selling everything the run holds: the routes' fees, impact and gas, and what no route sells at its value", async () => {
    const replay = fixtureReplay()
    const { state, hour } = holding(replay, '5000')
    // 5,000 EIGEN at 1 USDT: 5 USDT of taker fee and 0.31 USDT of gas (claim and transfer); the 2 ETHFI no route sells count whole.
    expect(String(await liquidateRun(replay, createDustDetector(replay), state, hour))).toBe('7.31 USDT')
  })

  it('ignores the threshold: dust under dust_delta is priced too, and nothing sellable costs its whole value', async () => {
    const replay = fixtureReplay()
    const { state, hour } = holding(replay, '3')
    expect(state.exceedsThreshold).toBe(false)
    // 3 EIGEN and 2 ETHFI: each under the CEX's 5 USDT minimum, and worth less than a DEX swap's gas, so both count at their value.
    expect(String(await liquidateRun(replay, createDustDetector(replay), state, hour))).toBe('5 USDT')
  })

  it('leaves the run as it was: nothing filled, no skip counted, the same detection', async () => {
    const replay = fixtureReplay()
    const { state, hour } = holding(replay, '5000')
    const before = { holdings: state.holdings, detection: state.detection, exceeds: state.exceedsThreshold, claimable: [...state.claimable] }
    await liquidateRun(replay, createDustDetector(replay), state, hour)
    expect(state.skipped).toEqual({})
    expect({ holdings: state.holdings, detection: state.detection, exceeds: state.exceedsThreshold, claimable: [...state.claimable] }).toEqual(before)
    expect(state.conversions).toEqual([])
    expect(state.totalCost.isZero() && state.proceeds.isZero()).toBe(true)
  })

  it('costs nothing for a run that holds nothing', async () => {
    const replay = fixtureReplay()
    const state = fixtureRun(replay, 'every_receipt')
    expect(String(await liquidateRun(replay, createDustDetector(replay), state, fixtureHour(replay, 1)))).toBe('0 USDT')
  })
})
