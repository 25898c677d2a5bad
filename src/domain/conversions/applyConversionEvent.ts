import type { ConversionStateChanged } from '../events.js'
import { type ConversionRecord, type ConversionState, NEXT_CONVERSION_STATES, STATE_RANK_IN_STEP, isFinalConversionState } from './conversionStates.js'

/** Why an event cannot move a conversion. */
export type ConversionRefusalReason =
  /** The first event of a conversion is not `planned` with the instruction. */
  | 'unknown_conversion'
  /** A second `planned` event of a conversion on record. */
  | 'planned_twice'
  /** An event after `confirmed`, `failed` or `expired`. */
  | 'after_final_state'
  /** An event whose strategy, token or venue differ from the conversion's. */
  | 'identity_changed'
  /** An event about an earlier instruction step than the one on record. */
  | 'step_backwards'
  /** An event whose state comes before the one on record within the same step. */
  | 'state_backwards'

/** An event refused, with the reason and a message that says what was expected and what was found. */
export type ConversionRefusal = { readonly reason: ConversionRefusalReason; readonly message: string }

export type ApplyConversionEventReturnType = { readonly ok: true; readonly record: ConversionRecord } | { readonly ok: false; readonly refusal: ConversionRefusal }

/**
 * Moves a conversion by one `conversion_state_changed` event recorded at `recordedAt`.
 *
 * The first event of a conversion is `planned` with its instruction; later ones set the state,
 * step, detail and `updatedAt`, and add their reference, if any, to the references. An event
 * that would corrupt the record is refused, never applied: see {@link ConversionRefusalReason}.
 */
export function applyConversionEvent(current: ConversionRecord | undefined, event: ConversionStateChanged, recordedAt: number): ApplyConversionEventReturnType {
  const id = event.conversion_id
  const refuse = (reason: ConversionRefusalReason, message: string): ApplyConversionEventReturnType => ({ ok: false, refusal: { reason, message } })
  if (!current) {
    if (event.state !== 'planned' || event.instruction === undefined) {
      return refuse(
        'unknown_conversion',
        `Conversion ${id} is unknown: its first conversion_state_changed event must be planned, with the instruction; found ${event.state}${event.instruction === undefined ? ' without an instruction' : ''}.`,
      )
    }
    return {
      ok: true,
      record: {
        id,
        strategyMode: event.strategy_mode,
        token: event.token,
        venue: event.venue,
        state: 'planned',
        step: event.step,
        references: event.reference === undefined ? [] : [event.reference],
        instruction: event.instruction,
        ...(event.detail === undefined ? {} : { detail: event.detail }),
        createdAt: recordedAt,
        updatedAt: recordedAt,
      },
    }
  }
  const next: readonly ConversionState[] = NEXT_CONVERSION_STATES[current.state]
  if (!next.includes(event.state)) {
    // Only two moves are missing from the table: any out of a final state, and into planned.
    return isFinalConversionState(current.state)
      ? refuse('after_final_state', `Conversion ${id} is already ${current.state}, a final state; found a later ${event.state} event.`)
      : refuse('planned_twice', `Conversion ${id} was planned already and is ${current.state}; found a second planned event.`)
  }
  for (const [name, expected, found] of [
    ['strategy_mode', current.strategyMode, event.strategy_mode],
    ['token', current.token, event.token],
    ['venue', current.venue, event.venue],
  ] as const) {
    if (expected !== found) return refuse('identity_changed', `Conversion ${id} has ${name} ${JSON.stringify(expected)}; found an event with ${JSON.stringify(found)}.`)
  }
  if (event.step < current.step) return refuse('step_backwards', `Conversion ${id} is ${current.state} at step ${current.step}; found a ${event.state} event about the earlier step ${event.step}.`)
  if (event.step === current.step && STATE_RANK_IN_STEP[event.state] < STATE_RANK_IN_STEP[current.state]) {
    return refuse('state_backwards', `Conversion ${id} is ${current.state} at step ${current.step}; found a ${event.state} event about the same step, which comes before it.`)
  }
  const { detail: _previousDetail, ...rest } = current
  return {
    ok: true,
    record: {
      ...rest,
      state: event.state,
      step: event.step,
      references: event.reference === undefined ? current.references : [...current.references, event.reference],
      ...(event.detail === undefined ? {} : { detail: event.detail }),
      updatedAt: recordedAt,
    },
  }
}
