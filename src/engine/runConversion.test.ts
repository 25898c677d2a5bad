import { describe, expect, it } from 'vitest'
import { createTestStrategy } from '../../test/createTestStrategy.js'
import { createFakeClock, createRecordingLogger } from '../../test/fakePorts.js'
import { applyConversionEvent } from '../domain/conversions/index.js'
import type { ConversionStateChanged, DustEvent } from '../domain/events.js'
import type { DustConversionInstruction } from '../domain/planning/ConversionPlan.js'
import { OUTCOME_UNKNOWN } from '../domain/planning/StepReceipt.js'
import type { ConversionRecord, ExecutionManager } from '../ports/index.js'
import { createDustManager } from './createDustManager.js'
import { runConversion } from './runConversion.js'

const CLAIM_TX = `0x${'c1'.repeat(32)}`
const SWAP_TX = `0x${'5a'.repeat(32)}`

/** The first instruction the test strategy plans, with its steps. */
async function plannedInstruction(): Promise<DustConversionInstruction> {
  const manager = createDustManager({ strategies: [createTestStrategy({ edit: (config) => void (config.execution = { mode: 'paper' }) })], clock: createFakeClock(), logger: createRecordingLogger() })
  await manager.runOnce()
  const instruction = manager.lastPlan('usdt_test')?.instructions[0]
  if (!instruction) throw new Error('the test strategy planned nothing')
  return instruction
}

function setup() {
  const clock = createFakeClock()
  const batches: DustEvent[][] = []
  return { clock, batches, deps: { clock, emit: async (events: readonly DustEvent[]) => void batches.push([...events]) } }
}

const summary = (event: DustEvent) =>
  event.event_type === 'conversion_state_changed' ? `${event.state}:${event.step}${event.reference === undefined ? '' : `:${event.reference.slice(0, 4)}`}` : event.event_type

describe('runConversion', () => {
  it('records planned, then each state before its side effect, and returns the outcome events that end the conversion', async () => {
    const instruction = await plannedInstruction()
    const { deps, batches } = setup()
    const seenAtSend: number[] = []
    const executionManager: ExecutionManager = {
      name: 'scripted',
      async execute(planned, journal) {
        await journal?.submitting(0, 'claim', CLAIM_TX)
        seenAtSend.push(batches.length)
        await journal?.done(0, { kind: 'claim', venue: 'etherfi', reference: CLAIM_TX })
        await journal?.submitting(1, 'swap', SWAP_TX, { from: `0x${'ab'.repeat(20)}`, nonce: 7, block: 100n })
        seenAtSend.push(batches.length)
        await journal?.done(1, { kind: 'swap', venue: 'uniswap', reference: SWAP_TX })
        return { status: 'converted', amountIn: planned.amount, output: planned.estimatedOutput, fees: planned.estimatedFees, steps: [] }
      },
    }
    const run = await runConversion(deps, { instruction, executionManager, noExecutorDetail: 'none', journaled: true })
    expect(batches.map((batch) => batch.map(summary))).toEqual([['planned:0'], ['claiming:0:0xc1'], ['claimed:0'], ['submitted:1:0x5a']])
    // Each state was in the log when the step that it announces was sent.
    expect(seenAtSend).toEqual([2, 4])
    expect(batches[3]?.[0]).toMatchObject({ detail: `Transaction ${SWAP_TX} signed by 0x${'ab'.repeat(20)} with nonce 7 after block 100; recorded before it is broadcast.` })
    expect(batches[0]?.[0]).toMatchObject({ instruction: { token: instruction.token, venue: instruction.venue } })
    const last = Math.max(0, instruction.chosen.steps.length - 1)
    expect({ open: run.open, status: run.outcome.status, events: run.events.map(summary) }).toEqual({ open: false, status: 'converted', events: [`confirmed:${last}`, 'dust_converted'] })
    // The domain's transition accepts every state written, in order.
    let record: ConversionRecord | undefined
    for (const event of [...batches.flat(), ...run.events]) {
      if (event.event_type !== 'conversion_state_changed') continue
      const next = applyConversionEvent(record, event, 0)
      expect(next.ok).toBe(true)
      if (next.ok) record = next.record
    }
    expect([record?.state, record?.references]).toEqual(['confirmed', [CLAIM_TX, SWAP_TX]])
  })

  it('records nothing without a journal, and fails with no_executor when there is no execution manager', async () => {
    const instruction = await plannedInstruction()
    const { deps, batches } = setup()
    const run = await runConversion(deps, { instruction, executionManager: undefined, noExecutorDetail: 'Strategy usdt_test runs in dry-run mode with no execution manager.', journaled: false })
    expect(batches).toEqual([])
    expect(run.outcome).toEqual({ status: 'failed', reason: 'no_executor', detail: 'Strategy usdt_test runs in dry-run mode with no execution manager.', retryable: false })
    expect(run.events.map(summary)).toEqual(['dust_conversion_failed'])
  })

  it('turns a thrown execution into execution_error, and fails at the step the receipts reached', async () => {
    const instruction = await plannedInstruction()
    const { deps } = setup()
    const throwing: ExecutionManager = { name: 'throwing', execute: async () => Promise.reject(new Error('socket hang up')) }
    const run = await runConversion(deps, { instruction, executionManager: throwing, noExecutorDetail: 'none', journaled: true })
    expect(run.outcome).toEqual({ status: 'failed', reason: 'execution_error', detail: 'socket hang up', retryable: false })
    expect(run.events.map(summary)).toEqual(['failed:0', 'dust_conversion_failed'])
    expect((run.events[0] as ConversionStateChanged).detail).toBe('execution_error: socket hang up')
  })

  it('leaves a journaled conversion open, recording no outcome, when a step was sent and no answer came', async () => {
    const instruction = await plannedInstruction()
    const unknown: ExecutionManager = { name: 'silent', execute: async () => ({ status: 'failed', reason: OUTCOME_UNKNOWN, detail: 'No receipt within 60 s', retryable: false }) }
    const journaled = await runConversion(setup().deps, { instruction, executionManager: unknown, noExecutorDetail: 'none', journaled: true })
    expect({ open: journaled.open, events: journaled.events }).toEqual({ open: true, events: [] })
    // Without a journal nothing can be recovered: the outcome is recorded as a failure.
    const unjournaled = await runConversion(setup().deps, { instruction, executionManager: unknown, noExecutorDetail: 'none', journaled: false })
    expect({ open: unjournaled.open, events: unjournaled.events.map(summary) }).toEqual({ open: false, events: ['dust_conversion_failed'] })
  })
})
