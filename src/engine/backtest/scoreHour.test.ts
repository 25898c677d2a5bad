import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN } from '../../../test/fixtureMoney.js'
import { createDustDetector } from './createDustDetector.js'
import { refreshHoldings } from './refreshHoldings.js'
import { scoreHour } from './scoreHour.js'

describe('scoreHour', () => {
  it("adds the dust's value × its trailing hourly volatility, worked out once per shared detection", () => {
    // EIGEN at 1, 2, then 1 USDT: returns of +100 % and −50 %, whose sample deviation over the
    // 2-hour window is √1.125 = 1.0606601717798212866… per hour (0 at hour 1, with one return).
    const replay = fixtureReplay(['0.0005', '0.001', '0.0005'])
    const detect = createDustDetector(replay)
    const [a, b] = [fixtureRun(replay, 'threshold'), fixtureRun(replay, 'cost_aware')]
    for (const state of [a, b]) {
      claim(state, EIGEN, '3000')
      refreshHoldings(replay, state)
    }
    for (const index of [1, 2]) {
      for (const state of [a, b]) {
        detect(state, fixtureHour(replay, index))
        scoreHour(replay, state, fixtureHour(replay, index))
      }
    }
    // 3,000 USDT of EIGEN × 1.060660171779821287 (rounded up at 10^-18), in micro-USDT × 10^18.
    expect(a.riskSum).toBe(3_000_000_000n * 1_060_660_171_779_821_287n)
    expect(b.detection).toBe(a.detection)
    expect(a.detection.risk).toBe(a.riskSum)
    expect(b.riskSum).toBe(a.riskSum)
  })

  it('adds no risk for a run holding no dust', () => {
    const replay = fixtureReplay(['0.0005', '0.001', '0.0005'])
    const state = fixtureRun(replay, 'threshold')
    createDustDetector(replay)(state, fixtureHour(replay, 2))
    scoreHour(replay, state, fixtureHour(replay, 2))
    expect([state.riskSum, state.detection.risk]).toEqual([0n, 0n])
  })
})
