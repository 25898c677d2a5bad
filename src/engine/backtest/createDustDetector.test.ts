import { describe, expect, it } from 'vitest'
import { REPLAY_POLICY, claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN } from '../../../test/fixtureMoney.js'
import { Fraction } from '../../domain/money/index.js'
import type { BacktestReplay } from './BacktestReplay.js'
import { createDustDetector } from './createDustDetector.js'
import { refreshHoldings } from './refreshHoldings.js'

/** A threshold run at `dustDelta` holding `eigen` EIGEN claimable. */
function holding(replay: BacktestReplay, eigen: string, dustDelta: string) {
  const state = fixtureRun(replay, 'threshold', dustDelta)
  claim(state, EIGEN, eigen)
  refreshHoldings(replay, state)
  return state
}

describe('createDustDetector', () => {
  it("detects a run's dust against equity, scaled by 10^18, and applies the run's own dust_delta", () => {
    const replay = fixtureReplay()
    const detect = createDustDetector(replay)
    const low = holding(replay, '5000', '0.002')
    const high = holding(replay, '5000', '0.003')
    detect(low, fixtureHour(replay, 0))
    detect(high, fixtureHour(replay, 0))
    // 5,000 USDT of EIGEN over 2,000,000 USDT of equity.
    expect(low.detection.snapshot.dustRatio.equals(new Fraction(1n, 400n))).toBe(true)
    expect(low.detection.snapshot.totalDustValue.toString()).toBe('5000 USDT')
    expect(low.detection.scaled).toBe(2_500_000_000_000_000n)
    expect([low.exceedsThreshold, high.exceedsThreshold]).toEqual([true, false])
    // Runs holding the same share the hour's detection.
    expect(high.detection).toBe(low.detection)
  })

  it('detects again at the next hour, at its prices', () => {
    // EIGEN doubles from 1 to 2 USDT.
    const replay = fixtureReplay(['0.0005', '0.001'])
    const detect = createDustDetector(replay)
    const state = holding(replay, '3000', '0.002')
    detect(state, fixtureHour(replay, 0))
    const first = state.detection
    expect([first.scaled, state.exceedsThreshold]).toEqual([1_500_000_000_000_000n, false])
    detect(state, fixtureHour(replay, 1))
    expect(state.detection).not.toBe(first)
    expect([state.detection.scaled, state.exceedsThreshold]).toEqual([3_000_000_000_000_000n, true])
  })

  it('keeps a run over its threshold down to dust_delta × (1 − hysteresis) once it exceeded it', () => {
    const replay = { ...fixtureReplay(), basePolicy: { ...REPLAY_POLICY, hysteresis: Fraction.fromDecimalString('0.5') } }
    const detect = createDustDetector(replay)
    // 3,000 USDT is a ratio of 0.0015: under 0.002, over 0.002 × 0.5.
    const fresh = holding(replay, '3000', '0.002')
    const exceeded = holding(replay, '3000', '0.002')
    exceeded.exceedsThreshold = true
    detect(fresh, fixtureHour(replay, 0))
    detect(exceeded, fixtureHour(replay, 0))
    expect([fresh.exceedsThreshold, exceeded.exceedsThreshold]).toEqual([false, true])
  })
})
