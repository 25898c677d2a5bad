import type { ConversionStateChanged } from '../domain/events.js'
import type { Clock, ConversionRecord, ExecutionManager, Logger, StepLookup } from '../ports/index.js'

/** A serialized instruction step, as `serializeInstruction` writes it. */
type StepJson = { readonly kind: 'claim' | 'transfer' | 'approve' | 'swap' | 'market_sell'; readonly venue?: string; readonly to?: string; readonly path?: readonly string[] }

export type RecoverConversionsParameters = {
  /** Conversions the log left open (not confirmed, failed nor expired). */
  readonly open: readonly ConversionRecord[]
  /** Per strategy, the execution manager that can ask its venues what became of a step. */
  readonly executors: ReadonlyMap<string, ExecutionManager | undefined>
  /** How long to wait for a transaction still pending, in milliseconds (default 120,000). */
  readonly pendingTimeoutMs?: number | undefined
}

/**
 * Decides, for every conversion a crash left open, how it ended, asking the chain (receipt or
 * pending transaction, by hash) or the exchange (order by client order id) about the step it
 * was on. Nothing is ever sent again: a step that may have executed is settled by what the
 * venue says, and the rest of the conversion is left to the next cycle's plan, which reads
 * the balances as they are.
 *
 * - nothing was sent yet (`planned`, or the last sent step is done): `expired`;
 * - the step in flight is confirmed: `confirmed` when it was the sale, else `expired` (the
 *   remaining steps are re-planned);
 * - the step failed on its venue: `failed`;
 * - the venue never saw it (signed, never sent): `expired`;
 * - still pending after the timeout: left open, to be asked again at the next start.
 */
export async function recoverConversions(
  deps: { clock: Clock; logger: Logger },
  parameters: RecoverConversionsParameters,
): Promise<ConversionStateChanged[]> {
  const events: ConversionStateChanged[] = []
  for (const record of parameters.open) {
    const steps = (record.instruction.steps ?? []) as StepJson[]
    const step = steps[record.step]
    const custody = record.instruction.custody as { kind: string; chain?: string } | undefined
    const settle = (state: ConversionStateChanged['state'], detail: string): void => {
      events.push({
        event_type: 'conversion_state_changed',
        strategy_mode: record.strategyMode,
        timestamp: deps.clock.now(),
        conversion_id: record.id,
        token: record.token,
        venue: record.venue,
        state,
        step: record.step,
        detail,
      })
    }
    const reference = record.references.at(-1)
    const inFlight = (record.state === 'claiming' || record.state === 'submitted') && reference !== undefined
    if (!inFlight || !step) {
      settle('expired', `Recovered after a restart in state ${record.state} at step ${record.step}: nothing was in flight; the rest is re-planned from the balances.`)
      continue
    }
    const executor = parameters.executors.get(record.strategyMode)
    const ask = (): Promise<StepLookup> =>
      executor?.lookup
        ? executor.lookup({ kind: step.kind, venue: step.venue ?? step.to ?? record.venue, chain: custody?.kind === 'onchain' ? custody.chain : undefined, reference, path: step.path })
        : Promise.resolve('unknown')
    let answer = await ask()
    const deadline = deps.clock.now() + (parameters.pendingTimeoutMs ?? 120_000)
    while (answer === 'pending' && deps.clock.now() < deadline) {
      await deps.clock.sleep(1_000)
      answer = await ask()
    }
    const last = record.step === steps.length - 1
    deps.logger.warn({ conversion: record.id, step: record.step, kind: step.kind, reference, answer }, 'Recovering a conversion left open')
    switch (answer) {
      case 'confirmed':
        if (last) settle('confirmed', `The ${step.kind} ${reference} was confirmed on its venue after a restart.`)
        else settle('expired', `Step ${record.step} (${step.kind} ${reference}) was confirmed after a restart; the rest is re-planned from the balances.`)
        break
      case 'failed':
        settle('failed', `Step ${record.step} (${step.kind} ${reference}) failed on its venue, as found after a restart.`)
        break
      case 'unknown':
        settle('expired', `Step ${record.step} (${step.kind} ${reference}) was recorded but its venue never saw it; nothing was executed.`)
        break
      case 'pending':
        deps.logger.warn({ conversion: record.id, reference }, 'Still pending after the recovery timeout; left open until the next start')
        break
    }
  }
  return events
}
