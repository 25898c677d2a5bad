import type { ConversionState } from './conversions/conversionStates.js'
import type { StepReceipt } from './planning/StepReceipt.js'
import { type DustSnapshot, type DustSnapshotJson, type DustWarning, serializeSnapshot } from './dust/index.js'
import {
  type ConversionPlan,
  type DustConversionInstruction,
  serializeInstruction,
  serializeSkipped,
} from './planning/ConversionPlan.js'

/**
 * The events this system records, immutable and named in the past tense, as JSON-ready
 * records (snake_case, decimal strings) so that any consumer can read them as they are.
 * `event_type` values keep the seed's names.
 */
type EventBase = { readonly strategy_mode: string; readonly timestamp: number }

/** A cycle measured a strategy's dust, over the threshold or not. */
export type DustChecked = EventBase & { readonly event_type: 'dust_checked'; readonly snapshot: DustSnapshotJson }

/** Dust exceeded the threshold; the plan made for it rides along (the seed's `DustEvent`). */
export type DustDetected = EventBase & {
  readonly event_type: 'dust_detected'
  readonly dust_tokens: DustSnapshotJson['dust_tokens']
  readonly total_value: string
  readonly share_class: string
  readonly snapshot: DustSnapshotJson
  readonly conversion_instructions: Record<string, unknown>[]
  readonly skipped: Record<string, unknown>[]
}

/** A conversion finished: tokens sold, share class received. */
export type DustConverted = EventBase & {
  readonly event_type: 'dust_converted'
  readonly conversion_id: string
  readonly token: string
  readonly venue: string
  readonly amount: string
  /**
   * What arrived, in the target currency; `null` when recovery after a restart found the sale
   * confirmed but its venue's answer does not show what arrived (the balances will).
   */
  readonly output: string | null
  readonly fees: string
  readonly target_currency: string
  readonly instruction: Record<string, unknown>
  /** Each step carried out: its transaction hash or order id, and the gas it used. */
  readonly steps: readonly StepRecord[]
}

/** A carried-out step as events record it. */
export type StepRecord = {
  readonly kind: string
  readonly venue: string
  readonly reference: string
  readonly gas_used?: string | undefined
  /** In the chain's native coin. */
  readonly gas_cost?: string | undefined
}

/** Writes step receipts as event records (amounts as decimal strings). */
export function stepRecords(steps: readonly StepReceipt[] | undefined): StepRecord[] {
  return (steps ?? []).map((step) => ({
    kind: step.kind,
    venue: step.venue,
    reference: step.reference,
    ...(step.gasUsed === undefined ? {} : { gas_used: step.gasUsed.toString() }),
    ...(step.gasCost === undefined ? {} : { gas_cost: step.gasCost.toDecimalString() }),
  }))
}

/** A conversion failed; the dust is still held. */
export type DustConversionFailed = EventBase & {
  readonly event_type: 'dust_conversion_failed'
  readonly conversion_id: string
  readonly token: string
  readonly venue: string
  readonly amount: string
  readonly reason: string
  readonly detail: string
  readonly retryable: boolean
  /** Steps carried out before the failure (a claim that went through, an approval). */
  readonly steps: readonly StepRecord[]
}

/** Something an operator should see that did not stop the cycle (an unpriced token, zero equity, a source down). */
export type DustWarningRaised = EventBase & {
  readonly event_type: 'dust_warning'
  readonly code: DustWarning['code'] | 'source_failed' | 'venue_failed' | 'conversion_unsettled' | 'stale_price' | 'future_price' | 'price_deviation' | 'incomplete_equity'
  readonly message: string
  /** The figures behind the warning (each source's price when sources disagree). */
  readonly figures?: Readonly<Record<string, string>> | undefined
  readonly token?: string | undefined
  readonly venue?: string | undefined
}

/** A strategy's cycle could not finish; other strategies went on. */
export type DustCycleFailed = EventBase & {
  readonly event_type: 'dust_cycle_failed'
  readonly error: string
  readonly code: string
  readonly message: string
}

/** A conversion moved to a new state; written before the side effect it announces (crash-only recovery replays these). */
export type ConversionStateChanged = EventBase & {
  readonly event_type: 'conversion_state_changed'
  readonly conversion_id: string
  readonly token: string
  readonly venue: string
  readonly state: ConversionState
  /** Index of the instruction step the state is about. */
  readonly step: number
  /** The transaction hash or order id this state records, when it has one. */
  readonly reference?: string | undefined
  readonly detail?: string | undefined
  /** The serialized instruction; carried by `planned`, so that recovery needs nothing else. */
  readonly instruction?: Record<string, unknown> | undefined
}

export type DustEvent =
  | DustChecked
  | DustDetected
  | DustConverted
  | DustConversionFailed
  | DustWarningRaised
  | DustCycleFailed
  | ConversionStateChanged
export type DustEventType = DustEvent['event_type']

/** Makes the `dust_checked` event of a snapshot. */
export function dustChecked(snapshot: DustSnapshot): DustChecked {
  return { event_type: 'dust_checked', strategy_mode: snapshot.strategyMode, timestamp: snapshot.timestamp, snapshot: serializeSnapshot(snapshot) }
}

/** Makes the `dust_detected` event of a plan. */
export function dustDetected(plan: ConversionPlan): DustDetected {
  const snapshot = serializeSnapshot(plan.snapshot)
  return {
    event_type: 'dust_detected',
    strategy_mode: snapshot.strategy_mode,
    timestamp: snapshot.timestamp,
    dust_tokens: snapshot.dust_tokens,
    total_value: snapshot.total_dust_value,
    share_class: snapshot.share_class,
    snapshot,
    conversion_instructions: plan.instructions.map(serializeInstruction),
    skipped: plan.skipped.map(serializeSkipped),
  }
}

/**
 * What the outcome events say of the conversion they end: its identity, what was to be sold,
 * and the instruction as planned (serialized). The live path has the instruction itself;
 * recovery after a restart has the log's record of it: both go through the same builders.
 */
export type ConversionSubject = {
  readonly strategyMode: string
  readonly conversionId: string
  readonly token: string
  readonly venue: string
  readonly targetCurrency: string
  /** What was to be sold, as a decimal string. */
  readonly amount: string
  /** The instruction as `serializeInstruction` writes it. */
  readonly instruction: Record<string, unknown>
}

function subjectOf(conversion: DustConversionInstruction | ConversionSubject): ConversionSubject {
  if (!('chosen' in conversion)) return conversion
  return {
    strategyMode: conversion.strategyMode,
    conversionId: conversion.conversionId,
    token: conversion.token,
    venue: conversion.venue,
    targetCurrency: conversion.targetCurrency,
    amount: conversion.amount.toDecimalString(),
    instruction: serializeInstruction(conversion),
  }
}

/** Makes the `dust_converted` event of a finished conversion. */
export function dustConverted(
  conversion: DustConversionInstruction | ConversionSubject,
  result: { output: string | null; fees: string; amount: string; steps?: readonly StepReceipt[] | undefined },
  timestamp: number,
): DustConverted {
  const subject = subjectOf(conversion)
  return {
    event_type: 'dust_converted',
    strategy_mode: subject.strategyMode,
    timestamp,
    conversion_id: subject.conversionId,
    token: subject.token,
    venue: subject.venue,
    amount: result.amount,
    output: result.output,
    fees: result.fees,
    target_currency: subject.targetCurrency,
    instruction: subject.instruction,
    steps: stepRecords(result.steps),
  }
}

/** Makes the `dust_conversion_failed` event of a failed conversion. */
export function dustConversionFailed(
  conversion: DustConversionInstruction | ConversionSubject,
  failure: { reason: string; detail: string; retryable: boolean; steps?: readonly StepReceipt[] | undefined },
  timestamp: number,
): DustConversionFailed {
  const subject = subjectOf(conversion)
  return {
    event_type: 'dust_conversion_failed',
    strategy_mode: subject.strategyMode,
    timestamp,
    conversion_id: subject.conversionId,
    token: subject.token,
    venue: subject.venue,
    amount: subject.amount,
    reason: failure.reason,
    detail: failure.detail,
    retryable: failure.retryable,
    steps: stepRecords(failure.steps),
  }
}
