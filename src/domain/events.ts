import type { z } from 'zod'
import type { ConversionFailureReason } from './conversions/ConversionFailureReason.js'
import { type DustSnapshot, serializeSnapshot } from './dust/index.js'
import type {
  conversionStateChangedSchema,
  dustCheckedSchema,
  dustConversionFailedSchema,
  dustConvertedSchema,
  dustCycleFailedSchema,
  dustDetectedSchema,
  dustPolicyDecisionJsonSchema,
  dustEventSchema,
  dustWarningSchema,
  InstructionJson,
  stepRecordSchema,
} from './events/eventSchemas.js'
import type { StepReceipt } from './planning/StepReceipt.js'
import { type ConversionPlan, type DustConversionInstruction, serializeInstruction, serializeSkipped } from './planning/ConversionPlan.js'

/**
 * The events this system records, immutable and named in the past tense, as JSON-ready
 * records (snake_case, decimal strings) so that any consumer can read them as they are.
 * `event_type` values keep the seed's names. The types derive from the zod definitions in
 * `events/eventSchemas.ts`, as does the JSON Schema shipped in `schema/dust-event.schema.json`.
 */

/** A cycle measured a strategy's dust, over the threshold or not. */
export type DustChecked = z.output<typeof dustCheckedSchema>

/** Dust exceeded the threshold; the plan made for it rides along (the seed's `DustEvent`). */
export type DustDetected = z.output<typeof dustDetectedSchema>

/** A conversion finished: tokens sold, share class received. */
export type DustConverted = z.output<typeof dustConvertedSchema>

/** A carried-out step as events record it. */
export type StepRecord = z.output<typeof stepRecordSchema>

export type { ConversionStepJson, CustodyJson, DustSnapshotJson, InstructionJson, RouteCandidateJson, SkippedJson } from './events/eventSchemas.js'

/** Writes step receipts as event records (amounts as decimal strings). */
export function stepRecords(steps: readonly StepReceipt[] | undefined): StepRecord[] {
  return (steps ?? []).map((step) => ({
    kind: step.kind,
    venue: step.venue,
    reference: step.reference,
    ...(step.gasUsed === undefined ? {} : { gas_used: step.gasUsed.toString() }),
    ...(step.gasCost === undefined ? {} : { gas_cost: step.gasCost.toDecimalString() }),
    ...(step.block === undefined ? {} : { block: step.block.toString() }),
    ...(step.broadcast === undefined ? {} : { broadcast: step.broadcast }),
  }))
}

/** A conversion failed; the dust is still held. */
export type DustConversionFailed = z.output<typeof dustConversionFailedSchema>

/** Something an operator should see that did not stop the cycle (an unpriced token, zero equity, a source down). */
export type DustWarningRaised = z.output<typeof dustWarningSchema>

/** A strategy's cycle could not finish; other strategies went on. */
export type DustCycleFailed = z.output<typeof dustCycleFailedSchema>

/** A conversion moved to a new state; written before the side effect it announces (crash-only recovery replays these). */
export type ConversionStateChanged = z.output<typeof conversionStateChangedSchema>

/** Any event this system records, told apart by `event_type`. */
export type DustEvent = z.output<typeof dustEventSchema>
/** The `event_type` of an event. */
export type DustEventType = DustEvent['event_type']

/** Makes the `dust_checked` event of a snapshot, with the dust_policy's decision of the cycle when a policy other than the threshold made one. */
export function dustChecked(snapshot: DustSnapshot, policy?: DustPolicyDecisionJson): DustChecked {
  return { event_type: 'dust_checked', strategy_mode: snapshot.strategyMode, timestamp: snapshot.timestamp, snapshot: serializeSnapshot(snapshot), ...(policy ? { dust_policy: policy } : {}) }
}

/** What a strategy's dust_policy decided, as events and the CLI write it. */
export type DustPolicyDecisionJson = z.output<typeof dustPolicyDecisionJsonSchema>

/** Makes the `dust_detected` event of a plan, with the dust_policy's decision when a policy other than the threshold made it. */
export function dustDetected(plan: ConversionPlan, policy?: DustPolicyDecisionJson): DustDetected {
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
    ...(policy ? { dust_policy: policy } : {}),
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
  readonly instruction: InstructionJson
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
  failure: { reason: ConversionFailureReason; detail: string; retryable: boolean; steps?: readonly StepReceipt[] | undefined },
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
