import type { DustEvent } from '../domain/events.js'

/** Receives every event the engine records, in order (a durable store later; memory or stdout now). */
export type EventSink = {
  append(event: DustEvent): Promise<void>
}
