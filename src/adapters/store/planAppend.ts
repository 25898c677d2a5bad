import { CONVERSION_STATES, applyConversionEvent } from '../../domain/conversions/index.js'
import type { ConversionStateChanged, DustEvent } from '../../domain/events.js'
import type { StoredEvent } from '../../ports/index.js'
import { describeValue, isPlainObject } from './describeValue.js'
import { EventStoreError } from './EventStoreError.js'
import { type ProjectedConversion, parseStoredEvent } from './rows.js'

/** An event as both stores write it: the JSON text and the columns it is filtered by. */
export type EventRow = {
  readonly seq: number
  readonly recordedAt: number
  readonly strategyMode: string
  readonly eventType: string
  readonly conversionId: string | null
  readonly payload: string
}

/** What one append writes: its events, and the conversions it created or moved, each once in its final form. */
export type AppendPlan = {
  readonly rows: readonly EventRow[]
  readonly stored: StoredEvent[]
  readonly conversions: readonly ProjectedConversion[]
}

function invalidEvent(index: number, event: unknown, problem: string): EventStoreError {
  const eventType = isPlainObject(event) ? event.event_type : undefined
  const type = typeof eventType === 'string' ? eventType : 'of unknown type'
  return new EventStoreError(`Event ${index + 1} of the batch (${type}) was refused; nothing of the batch was written.`, { code: 'invalid_event', details: problem })
}

/** Checks the fields a stored event is filtered and projected by. */
function checkEvent(event: DustEvent, index: number): void {
  // The event comes from outside the type system as often as not (JSON, a plugin), so its fields are checked as unknowns.
  const fields: unknown = event
  if (!isPlainObject(fields)) throw invalidEvent(index, event, `Expected an event object, found ${describeValue(event)}.`)
  for (const name of ['event_type', 'strategy_mode'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '') throw invalidEvent(index, event, `Expected ${name} to be a non-empty string, found ${describeValue(fields[name])}.`)
  }
  if (typeof fields.timestamp !== 'number' || !Number.isFinite(fields.timestamp)) {
    throw invalidEvent(index, event, `Expected timestamp to be milliseconds since the epoch, found ${describeValue(fields.timestamp)}.`)
  }
  if (event.event_type !== 'conversion_state_changed') return
  for (const name of ['conversion_id', 'token', 'venue'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '') throw invalidEvent(index, event, `Expected ${name} to be a non-empty string, found ${describeValue(fields[name])}.`)
  }
  if (!CONVERSION_STATES.includes(event.state)) throw invalidEvent(index, event, `Expected state to be one of ${CONVERSION_STATES.join(', ')}, found ${describeValue(event.state)}.`)
  if (!Number.isSafeInteger(event.step) || event.step < 0) throw invalidEvent(index, event, `Expected step to be an instruction step index (an integer from 0), found ${describeValue(event.step)}.`)
  if (event.reference !== undefined && (typeof event.reference !== 'string' || event.reference === '')) {
    throw invalidEvent(index, event, `Expected reference to be a transaction hash or order id, found ${describeValue(event.reference)}.`)
  }
  if (event.detail !== undefined && typeof event.detail !== 'string') throw invalidEvent(index, event, `Expected detail to be a string, found ${describeValue(event.detail)}.`)
  if (event.instruction !== undefined && !isPlainObject(event.instruction))
    throw invalidEvent(index, event, `Expected instruction to be the serialized instruction (an object), found ${describeValue(event.instruction)}.`)
}

/** The conversion an event is about, for the `conversion_id` column; `null` for an event about none. */
function conversionIdOf(event: DustEvent): string | null {
  return 'conversion_id' in event && typeof event.conversion_id === 'string' ? event.conversion_id : null
}

/**
 * Moves a projected conversion by one `conversion_state_changed` event with the domain's
 * transition, keeping the `seq` that created it; throws `invalid_event` on a refusal.
 */
export function projectConversion(current: ProjectedConversion | undefined, event: ConversionStateChanged, at: { seq: number; recordedAt: number; index: number }): ProjectedConversion {
  const next = applyConversionEvent(current?.record, event, at.recordedAt)
  if (!next.ok) throw invalidEvent(at.index, event, next.refusal.message)
  return { createdSeq: current?.createdSeq ?? at.seq, record: next.record }
}

/** The conversion ids that the `conversion_state_changed` events of a batch are about, for the store to load. */
export function conversionIdsOf(events: readonly DustEvent[]): string[] {
  return [...new Set(events.flatMap((event) => (event.event_type === 'conversion_state_changed' && typeof event.conversion_id === 'string' ? [event.conversion_id] : [])))]
}

/**
 * Turns a batch into the rows one transaction writes: checks each event, numbers it after
 * `lastSeq`, writes it as JSON and projects its conversion. Throws `invalid_event` (so the
 * store rolls back) on the first event it refuses.
 */
export function planAppend(events: readonly DustEvent[], context: { lastSeq: number; recordedAt: number; conversions: ReadonlyMap<string, ProjectedConversion> }): AppendPlan {
  const conversions = new Map(context.conversions)
  // Each conversion the batch moved, in the order the batch first touched it, in its final form.
  const touched = new Map<string, ProjectedConversion>()
  const rows: EventRow[] = []
  const stored: StoredEvent[] = []
  events.forEach((event, index) => {
    checkEvent(event, index)
    const seq = context.lastSeq + index + 1
    let payload: string
    try {
      payload = JSON.stringify(event)
    } catch (cause) {
      throw invalidEvent(index, event, `It cannot be written as JSON (${cause instanceof Error ? cause.message : String(cause)}); events hold decimal strings, never bigint.`)
    }
    if (event.event_type === 'conversion_state_changed') {
      const projected = projectConversion(conversions.get(event.conversion_id), event, { seq, recordedAt: context.recordedAt, index })
      conversions.set(event.conversion_id, projected)
      touched.set(event.conversion_id, projected)
    }
    rows.push({ seq, recordedAt: context.recordedAt, strategyMode: event.strategy_mode, eventType: event.event_type, conversionId: conversionIdOf(event), payload })
    // Read back from its JSON, so that an appended event is the one `read` returns (no `undefined` fields).
    stored.push({ seq, recordedAt: context.recordedAt, event: parseStoredEvent(payload) })
  })
  return { rows, stored, conversions: [...touched.values()] }
}
