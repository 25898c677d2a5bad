import { describe, expect, it } from 'vitest'
import { claim, fixtureHour, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN, USDT, amount } from '../../../test/fixtureMoney.js'
import { DEFAULT_CONVERSION_POLICY } from '../../domain/policy/ConversionPolicy.js'
import { collectHourFacts } from '../../domain/policy/collectHourFacts.js'
import { collectRunFacts } from './collectRunFacts.js'
import { createDustDetector } from './createDustDetector.js'
import { refreshHoldings } from './refreshHoldings.js'

describe('collectRunFacts', () => {
  it('gives the facts collectHourFacts gives, once for the runs holding the same at an hour with the same verdict', () => {
    const replay = fixtureReplay()
    const detect = createDustDetector(replay)
    const hour = fixtureHour(replay, 0)
    const [low, high, other] = ['0.0001', '0.01', '0.01'].map((delta) => fixtureRun(replay, 'gas_aware', delta))
    for (const [state, tokens] of [
      [low, '300'],
      [high, '300'],
      [other, '200'],
    ] as const) {
      if (!state) throw new Error('Expected three runs.')
      claim(state, EIGEN, tokens)
      refreshHoldings(replay, state)
      detect(state, hour)
    }
    if (!low || !high || !other) throw new Error('Expected three runs.')
    // 300 USDT of EIGEN against 2,000,000 USDT of equity: over the first run's dust_delta, under the second's.
    expect([low.exceedsThreshold, high.exceedsThreshold]).toEqual([true, false])
    const facts = collectRunFacts(replay, high, hour, DEFAULT_CONVERSION_POLICY)
    expect(facts).toEqual(
      collectHourFacts({
        policy: high.policy,
        conversionPolicy: DEFAULT_CONVERSION_POLICY,
        snapshot: high.detection.snapshot,
        exceedsThreshold: false,
        priceBook: hour.priceBook,
        volatility: (token) => replay.market.volatility(token, 0),
        gasSamples: [replay.market.gasPriceWei(0)],
        claimGasUnits: 90_000n,
        native: replay.natives.get('ethereum'),
      }),
    )
    expect(facts.dustValue).toEqual(amount(USDT, '300'))
    // The same holdings and verdict share the facts; another verdict or other holdings do not.
    const twin = fixtureRun(replay, 'claim_batching', '0.01')
    claim(twin, EIGEN, '300')
    refreshHoldings(replay, twin)
    detect(twin, hour)
    expect(collectRunFacts(replay, twin, hour, DEFAULT_CONVERSION_POLICY)).toBe(facts)
    expect(collectRunFacts(replay, low, hour, DEFAULT_CONVERSION_POLICY).exceedsThreshold).toBe(true)
    expect(collectRunFacts(replay, other, hour, DEFAULT_CONVERSION_POLICY).dustValue).toEqual(amount(USDT, '200'))
    // Another gas window is its own facts, with the same figures.
    const windowed = collectRunFacts(replay, high, hour, { ...DEFAULT_CONVERSION_POLICY, gasWindowHours: 3 })
    expect(windowed).not.toBe(facts)
    expect(windowed).toEqual(facts)
  })
})
