import { CONVERSION_STATES, applyConversionEvent } from '../../domain/conversions/index.js'
import type { ConversionStateChanged, DustEvent } from '../../domain/events.js'
import { BaseError, type BaseErrorParameters } from '../../errors/index.js'
import type { Clock, ConversionRecord, ConversionState, EventStore, ReadEventsParameters, StoredEvent } from '../../ports/index.js'

/**
 * Is raised by the event stores. Codes: `invalid_event` (nothing of the batch was written),
 * `invalid_query`, `event_store_schema_too_new`, `event_store_closed`, `event_store_unavailable`
 * (cannot open or connect), `event_store_lock_lost`, `event_store_failed` (a statement failed).
 */
export class EventStoreError extends BaseError {
  override name = 'EventStoreError' as const
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { code: 'event_store_failed', ...parameters })
  }
}

/** A conversion record with the `seq` of the event that created it, by which conversions are listed. */
export type ProjectedConversion = { readonly record: ConversionRecord; readonly createdSeq: number }

/** An event as both stores write it: the JSON text and the columns it is filtered by. */
export type EventRow = {
  readonly seq: number
  readonly recordedAt: number
  readonly strategyMode: string
  readonly eventType: string
  readonly conversionId: string | null
  readonly payload: string
}

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
}

/** What one append writes: its events, and the conversions it created or moved, each once in its final form. */
export type AppendPlan = {
  readonly rows: readonly EventRow[]
  readonly stored: StoredEvent[]
  readonly conversions: readonly ProjectedConversion[]
}

function invalidEvent(index: number, event: unknown, problem: string): EventStoreError {
  const type = typeof event === 'object' && event !== null && typeof (event as { event_type?: unknown }).event_type === 'string' ? (event as { event_type: string }).event_type : 'of unknown type'
  return new EventStoreError(`Event ${index + 1} of the batch (${type}) was refused; nothing of the batch was written.`, { code: 'invalid_event', details: problem })
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' && value !== null ? 'an object' : `${typeof value} ${String(value)}`
}

/** Checks the fields a stored event is filtered and projected by. */
function checkEvent(event: DustEvent, index: number): void {
  const fields = event as unknown as Record<string, unknown>
  if (!isPlainObject(event)) throw invalidEvent(index, event, `Expected an event object, found ${describeValue(event)}.`)
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
  if (event.instruction !== undefined && !isPlainObject(event.instruction)) throw invalidEvent(index, event, `Expected instruction to be the serialized instruction (an object), found ${describeValue(event.instruction)}.`)
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
  const touched = new Set<string>()
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
      conversions.set(event.conversion_id, projectConversion(conversions.get(event.conversion_id), event, { seq, recordedAt: context.recordedAt, index }))
      touched.add(event.conversion_id)
    }
    const conversionId = (event as { conversion_id?: unknown }).conversion_id
    rows.push({ seq, recordedAt: context.recordedAt, strategyMode: event.strategy_mode, eventType: event.event_type, conversionId: typeof conversionId === 'string' ? conversionId : null, payload })
    stored.push({ seq, recordedAt: context.recordedAt, event: JSON.parse(payload) as DustEvent })
  })
  return { rows, stored, conversions: [...touched].map((id) => conversions.get(id) as ProjectedConversion) }
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
  return {
    createdSeq: Number(row.created_seq),
    record: {
      id: row.id,
      strategyMode: row.strategy_mode,
      token: row.token,
      venue: row.venue,
      state: row.state as ConversionState,
      step: Number(row.step),
      references: JSON.parse(row.refs) as string[],
      instruction: JSON.parse(row.instruction) as Record<string, unknown>,
      ...(row.detail === null ? {} : { detail: row.detail }),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    },
  }
}

/** Reads an `events` row. */
export function storedEventFromRow(row: { seq: number | string; recorded_at: number | string; payload: string }): StoredEvent {
  return { seq: Number(row.seq), recordedAt: Number(row.recorded_at), event: JSON.parse(row.payload) as DustEvent }
}

/** Checks `read`'s parameters: `since` defaults to 0, no `limit` reads to the end. */
export function checkReadParameters(parameters: ReadEventsParameters = {}): { since: number; limit: number | undefined; strategyMode: string | undefined } {
  const since = parameters.since ?? 0
  if (!Number.isSafeInteger(since) || since < 0) throw new EventStoreError('Cannot read the event log.', { code: 'invalid_query', details: `Expected since to be a sequence number (an integer from 0), found ${describeValue(since)}.` })
  if (parameters.limit !== undefined && (!Number.isSafeInteger(parameters.limit) || parameters.limit < 0)) {
    throw new EventStoreError('Cannot read the event log.', { code: 'invalid_query', details: `Expected limit to be an integer from 0, found ${describeValue(parameters.limit)}.` })
  }
  return { since, limit: parameters.limit, strategyMode: parameters.strategyMode }
}

/** Builds the error every method of a closed store throws. */
export function closedStoreError(where: string): EventStoreError {
  return new EventStoreError(`The event store at ${where} is closed.`, { code: 'event_store_closed' })
}

/**
 * Writes a database URL for messages without its credentials or parameters:
 * `postgres://user:secret@db:5432/dust?sslmode=require` becomes `postgres://db:5432/dust`.
 */
export function redactDatabaseUrl(url: string): string {
  if (!URL.canParse(url)) return '(an unreadable database URL)'
  const parsed = new URL(url)
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
}

export type CreateEventStoreParameters = {
  /** The environment: a non-empty `DATABASE_URL` selects PostgreSQL. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The SQLite file used when `DATABASE_URL` is not set (its folders are created). */
  readonly sqliteFile: string
  /** Stamps `recordedAt`; the system clock unless given. */
  readonly clock?: Clock | undefined
}

/**
 * Opens the event store: PostgreSQL when `DATABASE_URL` is set, else SQLite at `sqliteFile`.
 * Each backend is loaded only when chosen, so a SQLite deployment never loads `pg` and a
 * PostgreSQL one never loads the native SQLite module. Credentials in the URL never appear
 * in an error.
 */
export async function createEventStore(parameters: CreateEventStoreParameters): Promise<EventStore> {
  const url = parameters.env.DATABASE_URL?.trim()
  const clock = parameters.clock === undefined ? {} : { clock: parameters.clock }
  if (url) {
    const { createPostgresEventStore } = await import('../postgres/createPostgresEventStore.js')
    return createPostgresEventStore({ url, ...clock })
  }
  const { createSqliteEventStore } = await import('../sqlite/createSqliteEventStore.js')
  return createSqliteEventStore({ file: parameters.sqliteFile, ...clock })
}
