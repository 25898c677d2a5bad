import { describe, expect, it } from 'vitest'
import { REPLAY_T0, fixtureReplay } from '../../../test/fixtureBacktestReplay.js'
import { Fraction } from '../../domain/money/index.js'
import { createRunState } from './RunState.js'

describe('createRunState', () => {
  it("starts a run holding nothing, with the strategy's policy at the run's dust_delta and zero totals", () => {
    const replay = fixtureReplay()
    const state = createRunState(replay, { spec: { policy: 'threshold', dustDelta: Fraction.fromDecimalString('0.005') }, first: REPLAY_T0, hours: 2, keepRatios: false })
    expect(state.policy).toEqual({ ...replay.basePolicy, dustDelta: Fraction.fromDecimalString('0.005') })
    expect([state.holdings, state.signature, state.exceedsThreshold, state.conversions, state.skipped]).toEqual([[], '', false, [], {}])
    expect([state.proceeds, state.totalCost, state.convertedValue].map(String)).toEqual(['0 USDT', '0 USDT', '0 USDT'])
    expect([state.ratioSum, state.maxScaled, state.maxRatio.isZero(), state.maxRatioAt]).toEqual([0n, 0n, true, REPLAY_T0])
    expect(state.detection.scaled).toBe(0n)
    expect(state.detection.snapshot).toMatchObject({ timestamp: REPLAY_T0, strategyMode: 'test', shareClass: 'USDT', dustTokens: [], exceedsThreshold: false })
    expect(state.ratios).toBeUndefined()
  })

  it('keeps a slot per hour for the ratios when asked to', () => {
    const state = createRunState(fixtureReplay(), { spec: { policy: 'weekly', dustDelta: Fraction.ZERO }, first: REPLAY_T0, hours: 3, keepRatios: true })
    expect(state.ratios).toHaveLength(3)
  })
})
