import { describe, expect, it } from 'vitest'
import type { ConversionStateChanged, DustEvent } from '../../domain/events.js'
import { EventStoreError } from './EventStoreError.js'
import { planAppend } from './planAppend.js'

const T0 = Date.UTC(2025, 8, 26, 12, 0, 0)
const context = { lastSeq: 7, recordedAt: T0 + 1_000, conversions: new Map() }

/** An event as it arrives from JSON or a plugin: outside the type system, checked by the store as an unknown. */
function fromOutside(value: unknown): DustEvent {
  return value as DustEvent
}

function stateChanged(extra: Record<string, unknown>): DustEvent {
  const event: ConversionStateChanged = {
    event_type: 'conversion_state_changed',
    strategy_mode: 'usdt_test',
    timestamp: T0,
    conversion_id: 'c1',
    token: 'EIGEN',
    venue: 'uniswap_v3',
    state: 'submitted',
    step: 2,
  }
  return fromOutside({ ...event, ...extra })
}

function refusal(events: DustEvent[]): EventStoreError {
  try {
    planAppend(events, context)
  } catch (error) {
    if (error instanceof EventStoreError) return error
    throw error
  }
  throw new Error('Expected planAppend to refuse the batch, it planned it.')
}

describe('planAppend', () => {
  it.each([
    ['a list instead of an event', fromOutside(['dust_warning']), 'of unknown type', 'Expected an event object, found a list.'],
    ['null instead of an event', fromOutside(null), 'of unknown type', 'Expected an event object, found object null.'],
    ['an event type that is a number', fromOutside({ event_type: 7, strategy_mode: 'usdt_test', timestamp: T0 }), 'of unknown type', 'Expected event_type to be a non-empty string, found number 7.'],
    ['a state change without a conversion id', stateChanged({ conversion_id: undefined }), 'conversion_state_changed', 'Expected conversion_id to be a non-empty string, found nothing.'],
    ['a state change with an empty venue', stateChanged({ venue: '' }), 'conversion_state_changed', 'Expected venue to be a non-empty string, found "".'],
    ['an empty reference', stateChanged({ reference: '' }), 'conversion_state_changed', 'Expected reference to be a transaction hash or order id, found "".'],
    ['a reference that is an object', stateChanged({ reference: { hash: '0x01' } }), 'conversion_state_changed', 'Expected reference to be a transaction hash or order id, found an object.'],
    ['a detail that is a number', stateChanged({ detail: 404 }), 'conversion_state_changed', 'Expected detail to be a string, found number 404.'],
    ['an instruction that is a list', stateChanged({ instruction: [] }), 'conversion_state_changed', 'Expected instruction to be the serialized instruction (an object), found a list.'],
    ['an instruction that is text', stateChanged({ instruction: 'swap' }), 'conversion_state_changed', 'Expected instruction to be the serialized instruction (an object), found "swap".'],
  ])('refuses %s, naming its place in the batch and its type', (_case, invalid, type, details) => {
    const warning: DustEvent = { event_type: 'dust_warning', strategy_mode: 'usdt_test', timestamp: T0, code: 'unpriced_token', message: 'No price for ETHFI.', token: 'ETHFI', venue: 'binance' }
    expect(refusal([warning, invalid])).toMatchObject({
      name: 'EventStoreError',
      code: 'invalid_event',
      shortMessage: `Event 2 of the batch (${type}) was refused; nothing of the batch was written.`,
      details,
    })
  })

  it('numbers the events after the last seq and writes the conversion id column only for events about a conversion', () => {
    const warning: DustEvent = { event_type: 'dust_warning', strategy_mode: 'usdt_test', timestamp: T0, code: 'unpriced_token', message: 'No price for ETHFI.', token: 'ETHFI', venue: 'binance' }
    const plan = planAppend([warning], context)
    expect(plan.rows).toEqual([{ seq: 8, recordedAt: T0 + 1_000, strategyMode: 'usdt_test', eventType: 'dust_warning', conversionId: null, payload: JSON.stringify(warning) }])
    expect(plan.stored).toEqual([{ seq: 8, recordedAt: T0 + 1_000, event: warning }])
    expect(plan.conversions).toEqual([])
  })
})
