/** Where a conversion stands. `confirmed`, `failed` and `expired` are final. */
export type ConversionState = 'planned' | 'claiming' | 'claimed' | 'submitted' | 'confirmed' | 'failed' | 'expired'

/** A state after which a conversion takes no more events. */
export type FinalConversionState = Extract<ConversionState, 'confirmed' | 'failed' | 'expired'>

/** States after which a conversion takes no more events. */
export const FINAL_CONVERSION_STATES: readonly FinalConversionState[] = ['confirmed', 'failed', 'expired']

/** Every state, in the order a conversion goes through them. */
export const CONVERSION_STATES: readonly ConversionState[] = ['planned', 'claiming', 'claimed', 'submitted', ...FINAL_CONVERSION_STATES]

/** Tells whether a conversion in this state takes no more events. */
export function isFinalConversionState(state: ConversionState): state is FinalConversionState {
  return FINAL_CONVERSION_STATES.some((final) => final === state)
}

/**
 * The states a conversion may move to from each state. `planned` only starts a conversion;
 * a final state ends it. Within one step the order is also kept (see {@link STATE_RANK_IN_STEP}).
 */
export const NEXT_CONVERSION_STATES = {
  planned: ['claiming', 'claimed', 'submitted', 'confirmed', 'failed', 'expired'],
  // A claim or a step sent again (a replaced transaction) repeats its state with a new reference.
  claiming: ['claiming', 'claimed', 'submitted', 'confirmed', 'failed', 'expired'],
  claimed: ['claiming', 'claimed', 'submitted', 'confirmed', 'failed', 'expired'],
  submitted: ['claiming', 'claimed', 'submitted', 'confirmed', 'failed', 'expired'],
  confirmed: [],
  failed: [],
  expired: [],
} as const satisfies Record<ConversionState, readonly Exclude<ConversionState, 'planned'>[]>

/**
 * The order of the states within one instruction step: a step is planned, then sent
 * (`claiming` or `submitted`), then done (`claimed`), then the conversion ends. A later step
 * may start again from sent.
 */
export const STATE_RANK_IN_STEP = {
  planned: 0,
  claiming: 1,
  submitted: 1,
  claimed: 2,
  confirmed: 3,
  failed: 3,
  expired: 3,
} as const satisfies Record<ConversionState, number>

/** A conversion as its `conversion_state_changed` events last left it. */
export type ConversionRecord = {
  /** The idempotency key: the same conversion always has the same id. */
  readonly id: string
  readonly strategyMode: string
  readonly token: string
  readonly venue: string
  readonly state: ConversionState
  /** Index, in the instruction's steps, of the step the state is about. */
  readonly step: number
  /** Transaction hashes and order ids of the steps sent so far, in order. */
  readonly references: readonly string[]
  /**
   * The instruction as planned (serialized), so that recovery needs nothing else. Kept as the
   * log holds it: recovery reads it with `instructionJsonSchema` before it relies on it.
   */
  readonly instruction: Record<string, unknown>
  readonly detail?: string | undefined
  readonly createdAt: number
  readonly updatedAt: number
}
