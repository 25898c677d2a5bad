import { describe, expect, it } from 'vitest'
import { type TestConfigInput, createTestStrategy } from '../../test/createTestStrategy.js'
import { createFakeClock, createRecordingEventSink, createRecordingLogger } from '../../test/fakePorts.js'
import type { DustEvent } from '../domain/events.js'
import type { Strategy } from './Strategy.js'
import { createDustManager } from './createDustManager.js'

function setup(strategies: Strategy[]) {
  const sink = createRecordingEventSink()
  const clock = createFakeClock()
  const manager = createDustManager({ strategies, clock, logger: createRecordingLogger(), eventSink: sink, execute: true })
  return { manager, sink, clock }
}

/** The fixture (EIGEN 1,520 at 1.25 and ETHFI 800 at 0.95 USDT: 2,660 USDT of dust on 1,000,000 of equity), paper-executed, with this dust_policy. */
const withPolicy = (policy: TestConfigInput['dust_policy']) => (config: TestConfigInput) => {
  config.execution = { mode: 'paper' }
  config.dust_policy = policy
}

const detected = (events: readonly DustEvent[]) =>
  events.flatMap((event) => (event.event_type === 'dust_detected' ? event.conversion_instructions.map((instruction) => [instruction.token, instruction.amount, instruction.venue]) : []))

describe('createDustManager with a dust_policy', () => {
  it('converts what riskiest_first decides: part of the first token, down to half the 20 bps budget, then holds', async () => {
    const { manager, sink } = setup([createTestStrategy({ edit: withPolicy({ name: 'riskiest_first' }) })])
    const [result] = await manager.runOnce()
    // 660 USDT over the 2,000 budget, 1,660 over its half; no volatility seen yet, so the larger by value, EIGEN (1,900 against 760), goes: 1,520 × 1,660 / 1,900.
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected', 'dust_converted'])
    expect(detected(sink.events)).toEqual([['EIGEN', '1328', 'binance']])
    // The event and the cycle say what the policy decided, and why.
    const decision = { name: 'riskiest_first', converts: true, why: 'the dust exceeds the risk budget; the riskiest tokens go first' }
    expect(sink.events.find((event) => event.event_type === 'dust_detected')).toMatchObject({ dust_policy: decision })
    // dust_checked records the decision too, as every cycle's does.
    expect(sink.events[0]).toMatchObject({ event_type: 'dust_checked', dust_policy: decision })
    expect(result?.ok && result.policy).toEqual(decision)
    expect(result?.ok && result.plan.skipped.map((skip) => [skip.token, skip.reason])).toEqual([['ETHFI', 'below_threshold']])
    // 192 EIGEN (240 USDT) and the ETHFI (760) are left: 1,000 USDT, within the budget.
    await manager.runOnce()
    expect(sink.types().slice(3)).toEqual(['dust_checked'])
    expect(sink.events[3]).toMatchObject({ dust_policy: { name: 'riskiest_first', converts: false, why: 'the dust, 10 bps of equity, is within the 20 bps risk budget' } })
    expect(manager.lastSnapshot('usdt_test')?.totalDustValue.toDecimalString()).toBe('1000')
  })

  it('holds under gas_aware though the ratio exceeds dust_delta, while the dust is within its own budget and short of cheap_share of it', async () => {
    const { manager, sink } = setup([createTestStrategy({ edit: withPolicy({ name: 'gas_aware', risk_budget_bps: 30, cheap_share: '0.9' }) })])
    const [result] = await manager.runOnce()
    const held = {
      name: 'gas_aware',
      converts: false,
      why: 'the dust, 26.6 bps of equity, is within the 30 bps risk budget, and gas cannot count as cheap until 24 hourly gas prices are known',
    }
    expect(result?.ok && result.policy).toEqual(held)
    expect(manager.lastSnapshot('usdt_test')?.exceedsThreshold).toBe(true)
    expect(sink.types()).toEqual(['dust_checked'])
    // The hold is recorded durably, with its reason: a downstream consumer sees why nothing converts above dust_delta.
    expect(sink.events[0]).toMatchObject({ dust_policy: held })
    expect(manager.lastPlan('usdt_test')?.skipped.map((skip) => [skip.token, skip.reason])).toEqual([
      ['EIGEN', 'below_threshold'],
      ['ETHFI', 'below_threshold'],
    ])
  })

  it('converts everything under gas_aware once gas is at its median and the dust past cheap_share of the budget, after a day of gas prices', async () => {
    const policy = withPolicy({ name: 'gas_aware', risk_budget_bps: 30, cheap_share: '0.8' })
    // The fixture's static prices are stamped at the start: a day of hours needs them to stay usable that long.
    const edit = (config: TestConfigInput) => {
      policy(config)
      config.max_price_age = 86_400
    }
    const { manager, sink, clock } = setup([createTestStrategy({ edit })])
    // A monitor just started has seen one gas price: too few to call gas cheap, so the budget alone decides, and it holds.
    for (let hour = 1; hour < 24; hour += 1) {
      await manager.runOnce()
      await clock.advance(3_600_000)
    }
    expect([...new Set(sink.types())]).toEqual(['dust_checked'])
    expect(sink.types()).toHaveLength(23)
    // The 24th hourly price fills the day: the constant 2.5 gwei is at its own median, and the dust is past 80 % of the budget.
    await manager.runOnce()
    expect(detected(sink.events)).toEqual([
      ['EIGEN', '1520', 'binance'],
      ['ETHFI', '800', 'binance'],
    ])
  })

  it('records the measurement without a decision when planning fails, then the failed cycle', async () => {
    const strategy = createTestStrategy({ edit: withPolicy({ name: 'gas_aware' }) })
    // The scan succeeds, but planning throws (a venue whose chain cannot be read: a bug, not a source that failed), so the policy never decides.
    const broken: Strategy = {
      ...strategy,
      venues: strategy.venues.map((venue) => ({
        ...venue,
        get chain(): string {
          throw new Error('venue chain lookup failed')
        },
      })),
    }
    const { manager, sink } = setup([broken])
    const [result] = await manager.runOnce()
    expect(result?.ok).toBe(false)
    expect(sink.types()).toEqual(['dust_checked', 'dust_cycle_failed'])
    expect(sink.events[0]).not.toHaveProperty('dust_policy')
  })
})
