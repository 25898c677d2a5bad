import { type ConversionStateChanged, type DustEvent, type InstructionJson, dustConversionFailed, dustConverted } from '../domain/events.js'
import { type DustConversionInstruction, serializeInstruction } from '../domain/planning/ConversionPlan.js'
import { OUTCOME_UNKNOWN } from '../domain/planning/StepReceipt.js'
import type { Clock, ExecutionJournal, ExecutionManager, ExecutionOutcome } from '../ports/index.js'
import { writeSubmissionDetail } from './submissionDetail.js'

export type RunConversionDeps = {
  readonly clock: Clock
  /** Records events in one transaction (the journal's states, each before its side effect). */
  readonly emit: (events: readonly DustEvent[]) => Promise<void>
}

export type RunConversionParameters = {
  readonly instruction: DustConversionInstruction
  /** Executes the steps; without one the conversion fails with `no_executor`. */
  readonly executionManager: ExecutionManager | undefined
  /** What `no_executor` says when there is no execution manager. */
  readonly noExecutorDetail: string
  /** Whether the conversion is journaled: `planned`, each step's state and the final state are recorded. */
  readonly journaled: boolean
}

export type RunConversionReturnType = {
  readonly outcome: ExecutionOutcome
  /**
   * Whether the conversion stays open: journaled, a step was sent and no answer came. Nothing of
   * its outcome is recorded; recovery settles it when its venue answers.
   */
  readonly open: boolean
  /** The events that record the outcome, to append in one transaction: the final state, then `dust_converted` or `dust_conversion_failed`. */
  readonly events: readonly DustEvent[]
}

/** The `conversion_state_changed` event of an instruction. */
export function conversionStateChanged(
  instruction: DustConversionInstruction,
  state: ConversionStateChanged['state'],
  step: number,
  timestamp: number,
  extra: { reference?: string | undefined; detail?: string | undefined; instruction?: InstructionJson | undefined } = {},
): ConversionStateChanged {
  return {
    event_type: 'conversion_state_changed',
    strategy_mode: instruction.strategyMode,
    timestamp,
    conversion_id: instruction.conversionId,
    token: instruction.token,
    venue: instruction.venue,
    state,
    step,
    ...(extra.reference === undefined ? {} : { reference: extra.reference }),
    ...(extra.detail === undefined ? {} : { detail: extra.detail }),
    ...(extra.instruction === undefined ? {} : { instruction: extra.instruction }),
  }
}

/** Builds the journal of one conversion: each state is in the log before the side effect it announces. */
function journalOf(deps: RunConversionDeps, instruction: DustConversionInstruction): ExecutionJournal {
  const state = (step: number, value: 'claiming' | 'claimed' | 'submitted', reference?: string, detail?: string) =>
    deps.emit([conversionStateChanged(instruction, value, step, deps.clock.now(), { reference, detail })])
  return {
    // A signed transaction's nonce goes with its hash: after a crash it tells never-sent from replaced.
    submitting: (step, kind, reference, signed) => state(step, kind === 'claim' ? 'claiming' : 'submitted', reference, signed === undefined ? undefined : writeSubmissionDetail(reference, signed)),
    done: async (step, receipt) => {
      if (receipt.kind === 'claim') await state(step, 'claimed')
    },
  }
}

/**
 * Runs one conversion under its strategy's lock: records `planned` with the instruction, drives
 * the steps through the execution manager with a journal that records each state before its
 * side effect, and builds the events of the outcome. Never throws: an error of the execution
 * (or of recording `planned`) is the outcome `execution_error`.
 */
export async function runConversion(deps: RunConversionDeps, parameters: RunConversionParameters): Promise<RunConversionReturnType> {
  const { instruction, executionManager, journaled } = parameters
  const stateEvent = (state: 'planned' | 'confirmed' | 'failed', step: number, detail?: string) =>
    conversionStateChanged(instruction, state, step, deps.clock.now(), { detail, ...(state === 'planned' ? { instruction: serializeInstruction(instruction) } : {}) })
  let outcome: ExecutionOutcome
  try {
    if (journaled) await deps.emit([stateEvent('planned', 0)])
    outcome = executionManager
      ? await executionManager.execute(instruction, journaled ? journalOf(deps, instruction) : undefined)
      : { status: 'failed', reason: 'no_executor', detail: parameters.noExecutorDetail, retryable: false }
  } catch (error) {
    outcome = { status: 'failed', reason: 'execution_error', detail: error instanceof Error ? error.message : String(error), retryable: false }
  }
  const now = deps.clock.now()
  const last = Math.max(0, instruction.chosen.steps.length - 1)
  if (outcome.status === 'converted') {
    const converted = dustConverted(
      instruction,
      { amount: outcome.amountIn.toDecimalString(), output: outcome.output.toDecimalString(), fees: outcome.fees.toDecimalString(), steps: outcome.steps },
      now,
    )
    return { outcome, open: false, events: [...(journaled ? [stateEvent('confirmed', last)] : []), converted] }
  }
  if (journaled && outcome.reason === OUTCOME_UNKNOWN) return { outcome, open: true, events: [] }
  return {
    outcome,
    open: false,
    events: [
      ...(journaled ? [stateEvent('failed', Math.min(outcome.steps?.length ?? 0, last), `${outcome.reason}: ${outcome.detail}`)] : []),
      dustConversionFailed(instruction, { reason: outcome.reason, detail: outcome.detail, retryable: outcome.retryable, steps: outcome.steps }, now),
    ],
  }
}
