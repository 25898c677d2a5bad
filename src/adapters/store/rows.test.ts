import { describe, expect, it } from 'vitest'
import { EventStoreError } from './EventStoreError.js'
import { type ConversionRow, conversionFromRow, conversionToRow, parseStoredEvent } from './rows.js'

const T0 = Date.UTC(2025, 8, 26, 12, 0, 0)
// As PostgreSQL returns it: bigint and integer columns as text.
const row: ConversionRow = {
  id: 'c1',
  strategy_mode: 'usdt_test',
  token: 'EIGEN',
  venue: 'uniswap_v3',
  state: 'submitted',
  step: '2',
  refs: '["0xabc"]',
  instruction: '{"conversion_id":"c1"}',
  detail: null,
  created_seq: '4',
  created_at: String(T0),
  updated_at: String(T0 + 5_000),
}

function refusal(read: () => unknown): EventStoreError {
  try {
    read()
  } catch (error) {
    if (error instanceof EventStoreError) return error
    throw error
  }
  throw new Error('Expected the row to be refused, it was read.')
}

describe('conversionFromRow', () => {
  it('reads a row with text numbers into a record, and writes it back as the same columns', () => {
    const projected = conversionFromRow(row)
    expect(projected).toEqual({
      createdSeq: 4,
      record: {
        id: 'c1',
        strategyMode: 'usdt_test',
        token: 'EIGEN',
        venue: 'uniswap_v3',
        state: 'submitted',
        step: 2,
        references: ['0xabc'],
        instruction: { conversion_id: 'c1' },
        createdAt: T0,
        updatedAt: T0 + 5_000,
      },
    })
    expect(conversionToRow(projected)).toEqual({ ...row, step: 2, created_seq: 4, created_at: T0, updated_at: T0 + 5_000 })
  })

  it.each([
    ['a state it does not know', { state: 'lost' }, 'Expected state to be one of planned, claiming, claimed, submitted, confirmed, failed, expired, found "lost".'],
    ['references that are not a list', { refs: '{"tx":"0xabc"}' }, 'Expected refs to be a list of transaction hashes and order ids, found an object.'],
    ['references that are not text', { refs: '["0xabc", 7]' }, 'Expected refs to be a list of transaction hashes and order ids, found a list.'],
    ['an instruction that is not an object', { instruction: 'null' }, 'Expected instruction to be the serialized instruction (an object), found object null.'],
  ])('refuses a row with %s, naming the conversion', (_case, change, details) => {
    expect(refusal(() => conversionFromRow({ ...row, ...change }))).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_failed',
      shortMessage: 'The event store holds an unreadable conversion c1.',
      details,
    })
  })
})

describe('parseStoredEvent', () => {
  it.each([
    ['text', '"dust_warning"', 'found "dust_warning".'],
    ['a number', '42', 'found number 42.'],
    ['an object without a timestamp', '{"event_type":"dust_warning","strategy_mode":"usdt_test"}', 'found an object.'],
  ])('refuses %s, saying what it expected', (_case, payload, found) => {
    expect(refusal(() => parseStoredEvent(payload))).toMatchObject({
      name: 'EventStoreError',
      code: 'event_store_failed',
      shortMessage: 'The event store holds an unreadable event.',
      details: `Expected an object with event_type, strategy_mode and timestamp, ${found}`,
    })
  })
})
