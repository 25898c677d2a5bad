import { CONVERSION_STATES } from '../../domain/conversions/index.js'
import type { DustConverted, DustEvent } from '../../domain/events.js'
import type { ConversionOutcome, ConversionRecord, StoredConversion, StoredEvent } from '../../ports/index.js'
import { describeValue, isPlainObject } from './describeValue.js'
import { EventStoreError } from './EventStoreError.js'

/** A conversion record with the `seq` of the event that created it, by which conversions are listed. */
export type ProjectedConversion = { readonly record: ConversionRecord; readonly createdSeq: number }

/** A `conversions` row as both stores write it (references and instruction as JSON text). */
export type ConversionRow = {
  readonly id: string
  readonly strategy_mode: string
  readonly token: string
  readonly venue: string
  readonly state: string
  readonly step: number | string
  readonly refs: string
  readonly instruction: string
  readonly detail: string | null
  readonly created_seq: number | string
  readonly created_at: number | string
  readonly updated_at: number | string
  /** The payload of the conversion's `dust_converted` event, when a read asks for it (`CONVERTED_PAYLOAD`) and there is one. */
  readonly converted?: string | null | undefined
}

/**
 * The column a read of `conversions` adds to give each conversion's outcome: the payload of its
 * latest `dust_converted` event, found by `events_by_conversion`; SQLite and PostgreSQL alike.
 */
export const CONVERTED_PAYLOAD = "(SELECT payload FROM events WHERE events.conversion_id = conversions.id AND events.event_type = 'dust_converted' ORDER BY events.seq DESC LIMIT 1) AS converted"

function unreadable(what: string, problem: string): EventStoreError {
  return new EventStoreError(`The event store holds an unreadable ${what}.`, { details: problem })
}

/**
 * Tells whether a value has the fields every stored event was checked for on append (type,
 * strategy and timestamp); the rest of the event is as the appending code wrote it.
 */
function isStoredEventShape(value: unknown): value is DustEvent {
  return isPlainObject(value) && typeof value.event_type === 'string' && typeof value.strategy_mode === 'string' && typeof value.timestamp === 'number'
}

/** Reads the JSON text of a stored event; throws `event_store_failed` on text no append could have written. */
export function parseStoredEvent(payload: string): DustEvent {
  const event: unknown = JSON.parse(payload)
  if (!isStoredEventShape(event)) throw unreadable('event', `Expected an object with event_type, strategy_mode and timestamp, found ${describeValue(event)}.`)
  return event
}

/** Writes a projected conversion as a `conversions` row. */
export function conversionToRow({ record, createdSeq }: ProjectedConversion): ConversionRow {
  return {
    id: record.id,
    strategy_mode: record.strategyMode,
    token: record.token,
    venue: record.venue,
    state: record.state,
    step: record.step,
    refs: JSON.stringify(record.references),
    instruction: JSON.stringify(record.instruction),
    detail: record.detail ?? null,
    created_seq: createdSeq,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }
}

/** Reads a `conversions` row (PostgreSQL gives `bigint` columns as strings). */
export function conversionFromRow(row: ConversionRow): ProjectedConversion {
  const state = CONVERSION_STATES.find((known) => known === row.state)
  if (state === undefined) throw unreadable(`conversion ${row.id}`, `Expected state to be one of ${CONVERSION_STATES.join(', ')}, found ${describeValue(row.state)}.`)
  const references: unknown = JSON.parse(row.refs)
  if (!Array.isArray(references) || !references.every((reference): reference is string => typeof reference === 'string')) {
    throw unreadable(`conversion ${row.id}`, `Expected refs to be a list of transaction hashes and order ids, found ${describeValue(references)}.`)
  }
  const instruction: unknown = JSON.parse(row.instruction)
  if (!isPlainObject(instruction)) throw unreadable(`conversion ${row.id}`, `Expected instruction to be the serialized instruction (an object), found ${describeValue(instruction)}.`)
  return {
    createdSeq: Number(row.created_seq),
    record: {
      id: row.id,
      strategyMode: row.strategy_mode,
      token: row.token,
      venue: row.venue,
      state,
      step: Number(row.step),
      references,
      instruction,
      ...(row.detail === null ? {} : { detail: row.detail }),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    },
  }
}

/** Reads a `conversions` row with its outcome, when the read asked for `CONVERTED_PAYLOAD` and the conversion has one. */
export function storedConversionFromRow(row: ConversionRow): StoredConversion {
  const { record } = conversionFromRow(row)
  if (row.converted === undefined || row.converted === null) return record
  const event = parseStoredEvent(row.converted)
  if (event.event_type !== 'dust_converted') throw unreadable(`outcome of conversion ${row.id}`, `Expected a dust_converted event, found ${describeValue(event.event_type)}.`)
  return { ...record, outcome: outcomeOf(event) }
}

/** What a `dust_converted` event says its conversion gave: a conversion's `outcome`. */
export function outcomeOf(event: DustConverted): ConversionOutcome {
  return { output: event.output, fees: event.fees, target_currency: event.target_currency, steps: event.steps }
}

/** Reads an `events` row. */
export function storedEventFromRow(row: { seq: number | string; recorded_at: number | string; payload: string }): StoredEvent {
  return { seq: Number(row.seq), recordedAt: Number(row.recorded_at), event: parseStoredEvent(row.payload) }
}
