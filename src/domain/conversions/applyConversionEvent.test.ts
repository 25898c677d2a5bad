import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INSTRUCTION_JSON } from '../../../test/fixtureInstructionJson.js'
import type { ConversionStateChanged } from '../events.js'
import { applyConversionEvent } from './applyConversionEvent.js'
import { CONVERSION_STATES, type ConversionRecord, type ConversionState, FINAL_CONVERSION_STATES, NEXT_CONVERSION_STATES, STATE_RANK_IN_STEP, isFinalConversionState } from './conversionStates.js'

const T0 = 1_758_888_000_000
const INSTRUCTION = INSTRUCTION_JSON
const CLAIM_TX = `0x${'c1'.repeat(32)}`
const SWAP_TX = `0x${'5a'.repeat(32)}`

function stateChanged(state: ConversionState, extra: Partial<ConversionStateChanged> = {}): ConversionStateChanged {
  return { event_type: 'conversion_state_changed', strategy_mode: 'usdt_test', timestamp: T0, conversion_id: 'c1', token: 'EIGEN', venue: 'uniswap_v3', state, step: 0, ...extra }
}

function record(overrides: Partial<ConversionRecord> = {}): ConversionRecord {
  return { id: 'c1', strategyMode: 'usdt_test', token: 'EIGEN', venue: 'uniswap_v3', state: 'planned', step: 0, references: [], instruction: INSTRUCTION, createdAt: T0, updatedAt: T0, ...overrides }
}

/** Applies events in order, keeping the record as it was on a refusal, as a store does. */
function replay(events: readonly ConversionStateChanged[]): { record: ConversionRecord | undefined; refused: string[] } {
  let current: ConversionRecord | undefined
  const refused: string[] = []
  events.forEach((event, index) => {
    const next = applyConversionEvent(current, event, T0 + index)
    if (next.ok) current = next.record
    else refused.push(next.refusal.reason)
  })
  return { record: current, refused }
}

describe('applyConversionEvent', () => {
  it('starts a conversion from planned with its instruction, and follows a claim, a swap sent twice and its confirmation', () => {
    const events = [
      stateChanged('planned', { instruction: INSTRUCTION }),
      stateChanged('claiming', { reference: CLAIM_TX }),
      stateChanged('claimed'),
      stateChanged('submitted', { step: 2, reference: SWAP_TX, detail: 'nonce 7' }),
      stateChanged('submitted', { step: 2, reference: `0x${'5b'.repeat(32)}` }),
      stateChanged('confirmed', { step: 2, detail: 'Received 171.4 USDT.' }),
    ]
    expect(replay(events)).toEqual({
      record: record({ state: 'confirmed', step: 2, references: [CLAIM_TX, SWAP_TX, `0x${'5b'.repeat(32)}`], detail: 'Received 171.4 USDT.', updatedAt: T0 + 5 }),
      refused: [],
    })
  })

  it('keeps the first reference and detail of a plan, and drops a detail the next event does not repeat', () => {
    const planned = applyConversionEvent(undefined, stateChanged('planned', { instruction: INSTRUCTION, step: 1, reference: CLAIM_TX, detail: 'planned at 1' }), T0)
    expect(planned).toEqual({ ok: true, record: record({ step: 1, references: [CLAIM_TX], detail: 'planned at 1' }) })
    const moved = planned.ok ? applyConversionEvent(planned.record, stateChanged('expired', { step: 1 }), T0 + 9) : planned
    expect(moved).toEqual({ ok: true, record: record({ state: 'expired', step: 1, references: [CLAIM_TX], updatedAt: T0 + 9 }) })
  })

  it.each([
    [
      'an unknown conversion that does not start with planned',
      undefined,
      stateChanged('claiming', { reference: CLAIM_TX }),
      'unknown_conversion',
      'Conversion c1 is unknown: its first conversion_state_changed event must be planned, with the instruction; found claiming without an instruction.',
    ],
    [
      'a plan without its instruction',
      undefined,
      stateChanged('planned'),
      'unknown_conversion',
      'Conversion c1 is unknown: its first conversion_state_changed event must be planned, with the instruction; found planned without an instruction.',
    ],
    [
      'an unknown conversion whose first event carries an instruction but is not planned',
      undefined,
      stateChanged('submitted', { instruction: INSTRUCTION }),
      'unknown_conversion',
      'Conversion c1 is unknown: its first conversion_state_changed event must be planned, with the instruction; found submitted.',
    ],
    [
      'a second plan',
      record({ state: 'submitted', step: 2 }),
      stateChanged('planned', { instruction: INSTRUCTION }),
      'planned_twice',
      'Conversion c1 was planned already and is submitted; found a second planned event.',
    ],
    [
      'a move out of a final state',
      record({ state: 'failed', step: 1 }),
      stateChanged('submitted', { step: 1 }),
      'after_final_state',
      'Conversion c1 is already failed, a final state; found a later submitted event.',
    ],
    [
      'an event of another strategy',
      record({ state: 'submitted' }),
      stateChanged('confirmed', { strategy_mode: 'eth_test' }),
      'identity_changed',
      'Conversion c1 has strategy_mode "usdt_test"; found an event with "eth_test".',
    ],
    ['an event of another token', record(), stateChanged('claiming', { token: 'ETHFI' }), 'identity_changed', 'Conversion c1 has token "EIGEN"; found an event with "ETHFI".'],
    ['an event of another venue', record(), stateChanged('claiming', { venue: 'binance' }), 'identity_changed', 'Conversion c1 has venue "uniswap_v3"; found an event with "binance".'],
    [
      'a step going backwards',
      record({ state: 'submitted', step: 2 }),
      stateChanged('confirmed', { step: 1 }),
      'step_backwards',
      'Conversion c1 is submitted at step 2; found a confirmed event about the earlier step 1.',
    ],
    [
      'a claim sent again after it was done',
      record({ state: 'claimed', step: 0 }),
      stateChanged('claiming', { reference: CLAIM_TX }),
      'state_backwards',
      'Conversion c1 is claimed at step 0; found a claiming event about the same step, which comes before it.',
    ],
  ])('refuses %s, naming why', (_case, current, event, reason, message) => {
    expect(applyConversionEvent(current, event, T0 + 1)).toEqual({ ok: false, refusal: { reason, message } })
  })

  it("lists the final states as the ones with no next state, and planned as no state's next", () => {
    expect(CONVERSION_STATES.filter((state) => NEXT_CONVERSION_STATES[state].length === 0)).toEqual(FINAL_CONVERSION_STATES)
    expect(CONVERSION_STATES.filter((state) => CONVERSION_STATES.some((from) => (NEXT_CONVERSION_STATES[from] as readonly ConversionState[]).includes(state)))).toEqual(
      CONVERSION_STATES.filter((state) => state !== 'planned'),
    )
    expect(CONVERSION_STATES.filter(isFinalConversionState)).toEqual(['confirmed', 'failed', 'expired'])
  })

  describe('properties', () => {
    const state = fc.constantFrom(...CONVERSION_STATES)
    const event = fc
      .record({
        state,
        step: fc.integer({ min: 0, max: 3 }),
        strategy_mode: fc.constantFrom('usdt_test', 'usdt_test', 'usdt_test', 'eth_test'),
        reference: fc.option(fc.constantFrom(CLAIM_TX, SWAP_TX, 'order-1'), { nil: undefined }),
        detail: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
        instruction: fc.option(fc.constant(INSTRUCTION), { nil: undefined }),
      })
      .map(({ state, reference, detail, instruction, ...rest }) =>
        stateChanged(state, { ...rest, ...(reference === undefined ? {} : { reference }), ...(detail === undefined ? {} : { detail }), ...(instruction === undefined ? {} : { instruction }) }),
      )
    const current = fc.option(
      fc.record({ state, step: fc.integer({ min: 0, max: 3 }), references: fc.array(fc.constantFrom(CLAIM_TX, SWAP_TX), { maxLength: 3 }) }).map((fields) => record(fields)),
      { nil: undefined },
    )

    it('answers every record-or-nothing and event with the next record or a refusal, never a throw', () => {
      fc.assert(
        fc.property(current, event, (from, by) => {
          const next = applyConversionEvent(from, by, T0 + 1)
          expect(typeof next.ok).toBe('boolean')
          if (!next.ok) expect(next.refusal.message).toMatch(/^Conversion c1 /)
        }),
      )
    })

    it('accepts only the moves the table allows, forward in step and state, keeping who the conversion is', () => {
      fc.assert(
        fc.property(current, event, (from, by) => {
          const next = applyConversionEvent(from, by, T0 + 1)
          if (!next.ok) return
          const after = next.record
          expect([after.state, after.step, after.updatedAt]).toEqual([by.state, by.step, T0 + 1])
          expect(after.references).toEqual([...(from?.references ?? []), ...(by.reference === undefined ? [] : [by.reference])])
          expect(after.detail).toBe(by.detail)
          if (!from) {
            expect([by.state, after.instruction, after.createdAt]).toEqual(['planned', INSTRUCTION, T0 + 1])
            return
          }
          expect((NEXT_CONVERSION_STATES[from.state] as readonly ConversionState[]).includes(by.state)).toBe(true)
          expect([after.id, after.strategyMode, after.token, after.venue, after.instruction, after.createdAt]).toEqual([
            from.id,
            from.strategyMode,
            from.token,
            from.venue,
            from.instruction,
            from.createdAt,
          ])
          expect(after.step > from.step || (after.step === from.step && STATE_RANK_IN_STEP[after.state] >= STATE_RANK_IN_STEP[from.state])).toBe(true)
        }),
      )
    })

    it('never moves a conversion out of a final state, whatever the event', () => {
      fc.assert(
        fc.property(fc.constantFrom(...FINAL_CONVERSION_STATES), event, (final, by) => {
          expect(applyConversionEvent(record({ state: final, step: 3 }), by, T0 + 1)).toMatchObject({ ok: false, refusal: { reason: 'after_final_state' } })
        }),
      )
    })

    it('replays any sequence of events to a record that, once final, stays as it was', () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 12 }), (events) => {
          const { record: end } = replay(events)
          let seenFinal: ConversionRecord | undefined
          let current: ConversionRecord | undefined
          events.forEach((by, index) => {
            const next = applyConversionEvent(current, by, T0 + index)
            if (next.ok) current = next.record
            if (!seenFinal && current && isFinalConversionState(current.state)) seenFinal = current
          })
          if (seenFinal) expect(end).toEqual(seenFinal)
          if (end === undefined) expect(events.some((by) => by.state === 'planned' && by.instruction !== undefined)).toBe(false)
        }),
      )
    })
  })
})
