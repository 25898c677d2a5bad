import { type ConversionStateChanged, type ConversionStepJson, type ConversionSubject, type DustEvent, dustConversionFailed, dustConverted } from '../domain/events.js'
import { instructionJsonSchema } from '../domain/events/eventSchemas.js'
import { redactUrls } from '../errors/index.js'
import type { Clock, ConversionRecord, ExecutionManager, Logger, StepLookup, StepReceipt } from '../ports/index.js'
import { readSubmissionDetail } from './submissionDetail.js'

export type RecoverConversionsParameters = {
  /** Conversions the log left open (not confirmed, failed nor expired). */
  readonly open: readonly ConversionRecord[]
  /** Per strategy, the execution manager that can ask its venues what became of a step. */
  readonly executors: ReadonlyMap<string, ExecutionManager | undefined>
}

/**
 * How recovery left one conversion: settled, with the events to append in one transaction (its
 * final state, then the outcome the live path would have emitted), or still open because its
 * venue gave no answer that settles it.
 */
export type ConversionRecovery =
  | {
      readonly conversionId: string
      readonly settled: true
      readonly state: 'confirmed' | 'failed' | 'expired'
      readonly events: readonly [ConversionStateChanged, DustEvent]
    }
  | {
      readonly conversionId: string
      readonly settled: false
      /** `pending`: the venue knows the step and it is not final; `lookup_failed`: no answer; `unreadable`: the log's instruction lacks what the outcome needs. */
      readonly answer: 'pending' | 'lookup_failed' | 'unreadable'
      readonly detail: string
    }

/** Reads what the outcome events need from the instruction on record, or says what is missing. */
function subjectOf(record: ConversionRecord): ConversionSubject | string {
  const { instruction } = record
  const missing = (['target_currency', 'amount', 'estimated_fees'] as const).filter((name) => typeof instruction[name] !== 'string')
  if (missing.length > 0 || !Array.isArray(instruction.steps)) {
    return `The instruction on record has no ${[...missing, ...(Array.isArray(instruction.steps) ? [] : ['steps'])].join(', ')}; it was not written by serializeInstruction.`
  }
  // The log is an edge: what it holds is read, not trusted.
  const parsed = instructionJsonSchema.safeParse(instruction)
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(the instruction itself)'))]
    return `The instruction on record does not have the fields serializeInstruction writes (${fields.join(', ')}); it was not written by serializeInstruction.`
  }
  return {
    strategyMode: record.strategyMode,
    conversionId: record.id,
    token: record.token,
    venue: record.venue,
    targetCurrency: parsed.data.target_currency,
    amount: parsed.data.amount,
    instruction: parsed.data,
  }
}

/**
 * Decides, for every conversion a crash left open, how it ended, asking the chain (receipt,
 * pending transaction, the nonce) or the exchange (order by client order id) about the step it
 * was on. Only evidence settles a conversion; nothing is ever sent again, and the rest of a
 * conversion is left to the next cycle's plan, which reads the balances as they are.
 *
 * - nothing was in flight (`planned`, `claimed`): `expired`;
 * - the step in flight is confirmed: `confirmed` when it was the sale, else `expired` (the
 *   remaining steps are re-planned);
 * - it failed on its venue (reverted, order canceled): `failed`;
 * - the venue answered that it has no such thing (never broadcast, nonce still free; no such
 *   order), or its nonce was used by another transaction: `expired`, nothing of it executed;
 * - pending, or no answer (RPC error, timeout, 5xx, exchange network error): left open, to be
 *   asked again.
 *
 * A settled conversion comes with the events the live path emits for that end, built by the
 * same builders: `dust_converted` for `confirmed` (what the answer shows was sold and bought,
 * `output` `null` when it does not show it), `dust_conversion_failed` for `failed` (the
 * venue's reason) and for `expired` (reason `interrupted`, retryable: the dust is still held).
 */
export async function recoverConversions(deps: { clock: Clock; logger: Logger }, parameters: RecoverConversionsParameters): Promise<ConversionRecovery[]> {
  const results: ConversionRecovery[] = []
  for (const record of parameters.open) {
    const subject = subjectOf(record)
    if (typeof subject === 'string') {
      deps.logger.error({ conversion: record.id, strategy: record.strategyMode }, subject)
      results.push({ conversionId: record.id, settled: false, answer: 'unreadable', detail: subject })
      continue
    }
    const { steps, custody } = subject.instruction
    const step = steps[record.step]
    const last = record.step === steps.length - 1
    const venueOf = (json: ConversionStepJson | undefined) => (json === undefined ? record.venue : 'venue' in json ? json.venue : json.to)
    // Each step sends one transaction or order, in order: the n-th reference is step n's, when
    // the log holds one per step sent; otherwise which step a reference was is not known, and
    // none is listed.
    const sent = record.step + (record.state === 'planned' ? 0 : 1)
    const aligned = record.references.length === sent
    const stepsDone = (count: number): StepReceipt[] =>
      aligned ? record.references.slice(0, count).map((reference, index) => ({ kind: steps[index]?.kind ?? 'claim', venue: venueOf(steps[index]), reference })) : []
    const now = deps.clock.now()
    const stateEvent = (state: 'confirmed' | 'failed' | 'expired', detail: string): ConversionStateChanged => ({
      event_type: 'conversion_state_changed',
      strategy_mode: record.strategyMode,
      timestamp: now,
      conversion_id: record.id,
      token: record.token,
      venue: record.venue,
      state,
      step: record.step,
      detail,
    })
    const expire = (detail: string, done: readonly StepReceipt[]): void => {
      results.push({
        conversionId: record.id,
        settled: true,
        state: 'expired',
        events: [stateEvent('expired', detail), dustConversionFailed(subject, { reason: 'interrupted', detail, retryable: true, steps: done }, now)],
      })
    }

    const reference = record.references.at(-1)
    const inFlight = (record.state === 'claiming' || record.state === 'submitted') && reference !== undefined && step !== undefined
    if (!inFlight) {
      const done = stepsDone(record.state === 'claimed' ? record.step + 1 : record.step)
      expire(`Recovered after a restart in state ${record.state} at step ${record.step}: nothing was in flight; the rest is re-planned from the balances.`, done)
      continue
    }
    const done = stepsDone(record.step)
    const label = `Step ${record.step} (${step.kind} ${reference})`
    const executor = parameters.executors.get(record.strategyMode)
    let answer: StepLookup
    try {
      answer = executor?.lookup
        ? await executor.lookup({
            kind: step.kind,
            venue: venueOf(step),
            chain: custody?.kind === 'onchain' ? custody.chain : undefined,
            reference,
            path: 'path' in step ? step.path : undefined,
            signed: readSubmissionDetail(reference, record.detail),
          })
        : { status: 'lookup_failed', error: `Strategy ${record.strategyMode} has no execution manager here that can ask its venues.` }
    } catch (error) {
      // A lookup is not to throw; one that does gave no answer, and the conversion stays open.
      answer = { status: 'lookup_failed', error: redactUrls(error instanceof Error ? error.message : String(error)) }
    }
    deps.logger.warn({ conversion: record.id, step: record.step, kind: step.kind, reference, answer: answer.status }, 'Recovering a conversion left open')
    switch (answer.status) {
      case 'confirmed': {
        const receipt = answer.receipt ?? { kind: step.kind, venue: venueOf(step), reference }
        if (!last) {
          expire(`${label} was confirmed after a restart; the rest is re-planned from the balances.`, [...done, receipt])
          break
        }
        const output = answer.amountOut?.toDecimalString() ?? null
        const detail = `${label} was confirmed on its venue after a restart${output === null ? '; its answer does not show what arrived' : ''}.`
        results.push({
          conversionId: record.id,
          settled: true,
          state: 'confirmed',
          events: [
            stateEvent('confirmed', detail),
            dustConverted(
              subject,
              {
                // An exact-input sale takes what it was sent with, when the answer does not say.
                amount: answer.amountIn?.toDecimalString() ?? ('amount_in' in step ? step.amount_in : subject.amount),
                output,
                // What the live path reports: the planned fees.
                fees: subject.instruction.estimated_fees,
                steps: [...done, receipt],
              },
              now,
            ),
          ],
        })
        break
      }
      case 'failed': {
        const detail = `${label} failed on its venue, as found after a restart: ${answer.detail}`
        results.push({
          conversionId: record.id,
          settled: true,
          state: 'failed',
          events: [stateEvent('failed', `${answer.reason}: ${detail}`), dustConversionFailed(subject, { reason: answer.reason, detail, retryable: false, steps: done }, now)],
        })
        break
      }
      case 'not_found':
        expire(`${label} was never executed: ${answer.detail}`, done)
        break
      case 'replaced':
        expire(`${label} was replaced${answer.replacedBy === undefined ? '' : ` by ${answer.replacedBy}`}: ${answer.detail}`, done)
        break
      case 'pending':
        results.push({ conversionId: record.id, settled: false, answer: 'pending', detail: `${label} is not final yet: ${answer.detail}` })
        break
      case 'lookup_failed':
        results.push({ conversionId: record.id, settled: false, answer: 'lookup_failed', detail: `${label} could not be looked up: ${answer.error}` })
        break
    }
  }
  return results
}
