import { performance } from 'node:perf_hooks'
import { isFinalConversionState } from '../domain/conversions/index.js'
import { type DustEvent, type DustEventType, type DustPolicyDecisionJson, type DustWarningRaised, dustChecked, dustDetected } from '../domain/events.js'
import type { DustSnapshot } from '../domain/dust/index.js'
import { custodyJsonSchema } from '../domain/events/eventSchemas.js'
import type { ConversionPlan, DustConversionInstruction } from '../domain/planning/ConversionPlan.js'
import type { Clock, ConversionRecord, EventSink, EventStore, ExecutionOutcome, Logger } from '../ports/index.js'
import { BaseError, type ErrorCode, isErrorCode } from '../errors/index.js'
import { recoverConversions } from './recoverConversions.js'
import { type RunConversionReturnType, runConversion } from './runConversion.js'
import type { Strategy } from './Strategy.js'
import { createPolicyPlanner, decidesByPolicy, policyDecisionOf } from './createPolicyPlanner.js'
import { inFlightKey, planConversions } from './planConversions.js'
import { scanStrategy } from './scanStrategy.js'

/** What one cycle of one strategy produced. */
export type CycleResult =
  | {
      readonly mode: string
      readonly ok: true
      readonly plan: ConversionPlan
      readonly outcomes: ReadonlyArray<{ instruction: DustConversionInstruction; outcome: ExecutionOutcome }>
      /** What the strategy's dust_policy decided, for a policy other than the seed's threshold. */
      readonly policy?: DustPolicyDecisionJson | undefined
    }
  | { readonly mode: string; readonly ok: false; readonly error: Error }

export type DustEventHandler<T extends DustEventType = DustEventType> = (event: Extract<DustEvent, { event_type: T }>) => void | Promise<void>

/** Tells whether an event is of the type a handler subscribed to (`*`: every type, the handler taking any event). */
function isEventOf<T extends DustEventType>(type: T | '*', event: DustEvent): event is Extract<DustEvent, { event_type: T }> {
  return type === '*' || event.event_type === type
}

/** The error code a `dust_cycle_failed` event records: the error's own when it is one of the project's codes, else `internal_error`. */
function codeOf(error: Error): ErrorCode {
  const code = 'code' in error ? error.code : undefined
  return typeof code === 'string' && isErrorCode(code) ? code : 'internal_error'
}

export type CreateDustManagerParameters = {
  strategies: readonly Strategy[]
  clock: Clock
  logger: Logger
  /** Where every event is appended, in order, before subscribers hear of it. */
  eventSink?: EventSink | undefined
  /** Whether the manager executes the plans it makes (the CLI's `run`); a strategy manager may execute them itself instead. */
  execute?: boolean | undefined
  /**
   * The durable log. When given, every event goes there (not to `eventSink`), each conversion
   * is a workflow persisted before each side effect, a conversion id is never executed twice,
   * and `recover` settles what a crash left open.
   */
  store?: EventStore | undefined
  /** Told how long each scan took, in seconds (the scan-duration histogram of `/metrics`). */
  observeScanDuration?: ((mode: string, seconds: number) => void) | undefined
  /**
   * How long recovery waits before asking again about a conversion its venue gave no answer on
   * (or still pending): `initialMs` after the first try (default 5,000), doubling each time, at
   * most `maxMs` (default 300,000). It asks at the strategy's cycles, once the wait is over.
   */
  recoveryBackoff?: { readonly initialMs?: number | undefined; readonly maxMs?: number | undefined } | undefined
}

/** How one cycle is run. */
export type RunCycleOptions = {
  /** Whether the cycle executes its plan (never in dry-run); the manager's `execute` unless given. `false` scans, plans and records only. */
  execute?: boolean | undefined
}

/** Is the dust manager: monitoring loops, subscriptions and the execution of plans. */
export type DustManager = {
  /** Hears events of one type, or of every type with `'*'`; returns the unsubscribe function. */
  subscribe<T extends DustEventType>(type: T | '*', handler: DustEventHandler<T>): () => void
  /**
   * Runs one cycle of one strategy, or joins the one under way: cycles never overlap. A cycle
   * that does not execute joins any cycle under way; one that executes joins only an executing
   * one, else runs after it.
   */
  runCycle(mode: string, options?: RunCycleOptions): Promise<CycleResult>
  /** Runs one cycle of every strategy; a failing one does not stop the others. */
  runOnce(): Promise<CycleResult[]>
  /**
   * Settles the conversions a crash left open whose venue answers (asking the chain or the
   * exchange); returns how many. Those without an answer stay open and are asked again, with
   * backoff, at later cycles of their strategy. Each cycle runs it for its strategy first.
   */
  recover(): Promise<number>
  /** Executes instructions of a strategy one after the other, recording each outcome. */
  executeInstructions(mode: string, instructions: readonly DustConversionInstruction[]): Promise<Array<{ instruction: DustConversionInstruction; outcome: ExecutionOutcome }>>
  /** Starts a loop per strategy at its `dust_monitoring_interval`. */
  start(): void
  /** Stops the loops and waits for the cycles in flight. */
  stop(): Promise<void>
  /** The last snapshot of a strategy, if any. */
  lastSnapshot(mode: string): DustSnapshot | undefined
  /** The last plan of a strategy, if any. */
  lastPlan(mode: string): ConversionPlan | undefined
  /**
   * Reads again the conversions of a strategy left open in the log, such as by another process
   * that held the strategy and died (a monitor worker taking over its lease); its next cycle asks
   * about them first, and their tokens are not converted again meanwhile.
   */
  adopt(mode: string): Promise<void>
  /** Adds a strategy (the seed's `set_dust_config`); a running manager starts its loop. */
  register(strategy: Strategy): void
  /** The strategies managed, in registration order. */
  strategies(): Strategy[]
}

/**
 * Creates the dust manager of a set of strategies.
 *
 * Each cycle scans a strategy, records `dust_checked` (under a `dust_policy` other than the seed's
 * threshold, once the policy has decided, with its decision), and when the dust exceeds the
 * threshold (or the strategy's `dust_policy` decides to convert, `createPolicyPlanner`) plans its
 * conversion (`dust_detected`) and, when asked to, executes it (`dust_converted` or
 * `dust_conversion_failed`). Errors are logged and recorded as `dust_cycle_failed`, never dropped.
 */
export function createDustManager(parameters: CreateDustManagerParameters): DustManager {
  const { clock, logger, eventSink } = parameters
  const strategies = new Map(parameters.strategies.map((strategy) => [strategy.policy.mode, strategy]))
  const handlers = new Map<string, Set<(event: DustEvent) => void | Promise<void>>>()
  const cycles = new Map<string, { readonly execute: boolean; readonly result: Promise<CycleResult> }>()
  const exceeded = new Map<string, boolean>()
  const snapshots = new Map<string, DustSnapshot>()
  const plans = new Map<string, ConversionPlan>()
  const policyPlanner = createPolicyPlanner({ logger })
  const inFlight = new Set<string>()
  let controller: AbortController | undefined
  let loops: Promise<void>[] = []

  const { store } = parameters

  /** Records events, in one transaction when there is a store, then tells the subscribers. */
  async function emitAll(events: readonly DustEvent[]): Promise<void> {
    if (events.length === 0) return
    if (store) await store.append(events)
    else for (const event of events) await eventSink?.append(event)
    for (const event of events) {
      for (const handler of [...(handlers.get(event.event_type) ?? []), ...(handlers.get('*') ?? [])]) {
        try {
          await handler(event)
        } catch (error) {
          // A subscriber's failure must not stop the manager; it is logged with the event it failed on.
          logger.error({ err: error, event_type: event.event_type, strategy: event.strategy_mode }, 'A dust event subscriber failed')
        }
      }
    }
  }
  const emit = (event: DustEvent) => emitAll([event])

  /** A conversion a previous run left open, until its venue's answer settles it. */
  type Unsettled = { readonly record: ConversionRecord; readonly key: string | undefined; attempts: number; nextAt: number }
  const unsettled = new Map<string, Unsettled>()
  const backoffInitialMs = parameters.recoveryBackoff?.initialMs ?? 5_000
  const backoffMaxMs = parameters.recoveryBackoff?.maxMs ?? 300_000
  /** Whether a token in a custody has a conversion under way: executing here, or left open by a previous run. */
  const busyKeys = (): ReadonlySet<string> => {
    const held = [...unsettled.values()].flatMap((entry) => (entry.key === undefined ? [] : [entry.key]))
    return held.length === 0 ? inFlight : new Set([...inFlight, ...held])
  }

  /** The `conversion_unsettled` warning of a conversion left open: why, and when it is asked about again. */
  function unsettledWarning(mode: string, subject: { id: string; token: string; venue: string }, detail: string, waitMs: number, attempt?: number): DustWarningRaised {
    const attemptText = attempt === undefined ? '' : ` (attempt ${attempt})`
    return {
      event_type: 'dust_warning',
      strategy_mode: mode,
      timestamp: clock.now(),
      code: 'conversion_unsettled',
      token: subject.token,
      venue: subject.venue,
      message: `Conversion ${subject.id} of ${subject.token} on ${subject.venue} stays open: ${detail.replace(/[^.]$/, '$&.')} It is asked about again in ${Math.ceil(waitMs / 1000)} s${attemptText}; its token is not converted again meanwhile.`,
    }
  }

  /** Holds a conversion left open until its venue's answer settles it, asked about at the next cycle. */
  function track(record: ConversionRecord): void {
    // The log is an edge: a custody it holds is read, not trusted.
    const custody = custodyJsonSchema.safeParse(record.instruction.custody)
    const key = custody.success ? inFlightKey(record.strategyMode, record.token, custody.data) : undefined
    unsettled.set(record.id, { record, key, attempts: 0, nextAt: clock.now() })
  }

  let loaded: Promise<void> | undefined
  /** Reads, once and before this process executes anything, the conversions a previous run left open. */
  function loadOpen(): Promise<void> {
    loaded ??= (async () => {
      if (!store) return
      for (const record of await store.conversions({ open: true })) track(record)
    })().catch((error: unknown) => {
      loaded = undefined
      throw error
    })
    return loaded
  }

  /**
   * Asks about the strategy's conversions left open whose wait is over, under the strategy's
   * executor lock (another process holding it is executing them: they are asked later). A
   * settled one's final state and outcome event are appended in one transaction, so that a
   * crash can neither lose nor repeat the outcome; one without an answer waits twice as long.
   */
  async function recoverStrategy(mode: string): Promise<number> {
    await loadOpen()
    if (!store) return 0
    const due = [...unsettled.values()].filter((entry) => entry.record.strategyMode === mode && entry.nextAt <= clock.now())
    if (due.length === 0) return 0
    const lock = await store.tryLock(mode)
    if (!lock) {
      logger.warn({ strategy: mode, open: due.length }, "Another process holds the strategy's lock; the conversions left open are asked about later")
      return 0
    }
    let settled = 0
    try {
      const executors = new Map([[mode, strategies.get(mode)?.executionManager]])
      for (const entry of due) {
        // Read again: another process may have settled it since it was loaded.
        const current = await store.conversion(entry.record.id)
        if (!current || isFinalConversionState(current.state)) {
          unsettled.delete(entry.record.id)
          continue
        }
        const [result] = await recoverConversions({ clock, logger }, { open: [current], executors })
        if (!result) continue
        if (result.settled) {
          await emitAll(result.events)
          unsettled.delete(entry.record.id)
          settled += 1
          continue
        }
        entry.attempts += 1
        const waitMs = Math.min(backoffMaxMs, backoffInitialMs * 2 ** (entry.attempts - 1))
        entry.nextAt = clock.now() + waitMs
        const warning = unsettledWarning(mode, { id: current.id, token: current.token, venue: current.venue }, result.detail, waitMs, entry.attempts)
        if (result.answer === 'pending') {
          logger.info({ strategy: mode, conversion: current.id, attempts: entry.attempts, waitMs }, warning.message)
          continue
        }
        logger.warn({ strategy: mode, conversion: current.id, attempts: entry.attempts, waitMs }, warning.message)
        await emit(warning)
      }
    } finally {
      await lock.release()
    }
    return settled
  }

  async function recover(): Promise<number> {
    let settled = 0
    for (const mode of strategies.keys()) settled += await recoverStrategy(mode)
    return settled
  }

  async function executeInstructions(mode: string, instructions: readonly DustConversionInstruction[]) {
    // What a previous run left open is read before this one records anything of its own.
    await loadOpen()
    if (!store || instructions.length === 0) return executeLocked(mode, instructions)
    // One executor per strategy: another process (a second monitor on the same database) holding it means this one does not convert.
    const lock = await store.tryLock(mode)
    if (!lock) {
      throw new BaseError(`Another process is executing strategy ${mode}; this one does not convert it.`, {
        code: 'strategy_locked',
        details: "Expected to take the strategy's one-executor lock in the event store; another holder has it.",
      })
    }
    try {
      return await executeLocked(mode, instructions)
    } finally {
      await lock.release()
    }
  }

  async function executeLocked(mode: string, instructions: readonly DustConversionInstruction[]) {
    const strategy = strategies.get(mode)
    const results: Array<{ instruction: DustConversionInstruction; outcome: ExecutionOutcome }> = []
    for (const instruction of instructions) {
      const key = inFlightKey(mode, instruction.token, instruction.custody)
      if (busyKeys().has(key)) continue
      if (store && (await store.conversion(instruction.conversionId))) {
        // The idempotency key: a conversion on record is never executed again.
        logger.warn({ strategy: mode, conversion: instruction.conversionId }, 'Conversion already on record; not executed again')
        continue
      }
      inFlight.add(key)
      let run: RunConversionReturnType
      try {
        run = await runConversion(
          { clock, emit: emitAll },
          {
            instruction,
            executionManager: strategy?.executionManager,
            noExecutorDetail: `Strategy ${mode} runs in ${strategy?.executionMode ?? 'an unknown'} mode with no execution manager.`,
            journaled: store !== undefined,
          },
        )
      } finally {
        inFlight.delete(key)
      }
      const { outcome } = run
      results.push({ instruction, outcome })
      if (outcome.status === 'converted') {
        logger.info({ strategy: mode, token: instruction.token, venue: instruction.venue, output: outcome.output.toString() }, 'Dust converted')
        await emitAll(run.events)
      } else if (store && run.open) {
        // Sent, and no answer came: no outcome is recorded. The conversion stays open at the step
        // and reference on record, its token held, until recovery hears from the venue.
        const now = clock.now()
        const record = await store.conversion(instruction.conversionId)
        if (record) unsettled.set(record.id, { record, key, attempts: 0, nextAt: now + backoffInitialMs })
        const warning = unsettledWarning(mode, { id: instruction.conversionId, token: instruction.token, venue: instruction.venue }, outcome.detail, backoffInitialMs)
        logger.warn({ strategy: mode, token: instruction.token, venue: instruction.venue, conversion: instruction.conversionId }, warning.message)
        await emit(warning)
      } else {
        logger.error({ strategy: mode, token: instruction.token, venue: instruction.venue, reason: outcome.reason }, outcome.detail)
        await emitAll(run.events)
      }
    }
    return results
  }

  async function cycle(strategy: Strategy, execute: boolean): Promise<CycleResult> {
    const mode = strategy.policy.mode
    try {
      // Crash-only: each cycle first settles what a previous run left open and its venue now answers about.
      await recoverStrategy(mode)
      const started = performance.now()
      const scan = await scanStrategy({ clock, logger }, { strategy, previouslyExceeded: exceeded.get(mode) })
      parameters.observeScanDuration?.(mode, (performance.now() - started) / 1000)
      for (const warning of scan.warnings) await emit(warning)
      snapshots.set(mode, scan.snapshot)
      // An incomplete snapshot judges nothing: the hysteresis keeps the last complete verdict.
      if (!scan.snapshot.incomplete) exceeded.set(mode, scan.snapshot.exceedsThreshold)
      // A dust_policy other than the seed's threshold decides (and plans) through the same code as the backtest,
      // and its decision, a hold too, rides on the cycle's dust_checked: that waits for it. Under the threshold
      // there is no decision to wait for, so the measurement is recorded before planning.
      const decides = decidesByPolicy(strategy)
      if (!decides) await emit(dustChecked(scan.snapshot))
      const planning = async () => {
        const byPolicy = await policyPlanner.plan(strategy, scan, busyKeys())
        return { byPolicy, ...(byPolicy ?? (await planConversions({ logger }, { strategy, scan, inFlight: busyKeys() }))) }
      }
      const { byPolicy, plan, warnings } = await planning().catch(async (error: unknown) => {
        // The measurement is recorded even when the policy could not decide: the cycle's failure follows it.
        if (decides) await emit(dustChecked(scan.snapshot))
        throw error
      })
      const policy = byPolicy && strategy.conversionPolicy ? policyDecisionOf(strategy.conversionPolicy, byPolicy) : undefined
      if (decides) await emit(dustChecked(scan.snapshot, policy))
      for (const warning of warnings) await emit(warning)
      plans.set(mode, plan)
      // Nothing is executed on partial data (incomplete_equity: a source failed or a holding has no price).
      if (scan.snapshot.incomplete || !(byPolicy ? byPolicy.decided : scan.snapshot.exceedsThreshold)) return { mode, ok: true, plan, outcomes: [], policy }
      logger.info(
        { strategy: mode, ratio: scan.snapshot.dustRatio.toSignificant(6), instructions: plan.instructions.length, ...(policy ? { policy: policy.name, why: policy.why } : {}) },
        policy ? 'Dust policy converts' : 'Dust above threshold',
      )
      await emit(dustDetected(plan, policy))
      // Dry-run records the plan only; execution needs a mode that executes and an executor.
      const outcomes = execute && strategy.executionMode !== 'dry-run' ? await executeInstructions(mode, plan.instructions) : []
      return { mode, ok: true, plan, outcomes, policy }
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught))
      logger.error({ err: error, strategy: mode }, 'Dust cycle failed')
      try {
        await emit({
          event_type: 'dust_cycle_failed',
          strategy_mode: mode,
          timestamp: clock.now(),
          error: error.name,
          code: codeOf(error),
          message: error.message,
        })
      } catch (recordError) {
        // The failure could not be recorded (the event sink is down): it is logged, and the
        // cycle still answers, so the other strategies and the monitor loop go on.
        logger.error({ err: recordError, strategy: mode, cycleError: error.message }, 'Recording dust_cycle_failed failed')
      }
      return { mode, ok: false, error }
    }
  }

  function runCycle(mode: string, options: RunCycleOptions = {}): Promise<CycleResult> {
    const strategy = strategies.get(mode)
    if (!strategy) return Promise.resolve({ mode, ok: false, error: new Error(`No strategy ${mode}; known: ${[...strategies.keys()].join(', ')}.`) })
    const execute = options.execute ?? parameters.execute === true
    const running = cycles.get(mode)
    if (running && (running.execute || !execute)) return running.result
    // An executing cycle asked for while a scan-only one runs waits for it: the scan must not stand in for an execution.
    const result: Promise<CycleResult> = (running ? running.result.then(() => cycle(strategy, execute)) : cycle(strategy, execute)).finally(() => {
      if (cycles.get(mode)?.result === result) cycles.delete(mode)
    })
    cycles.set(mode, { execute, result })
    return result
  }

  async function loop(strategy: Strategy, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await runCycle(strategy.policy.mode)
      await clock.sleep(strategy.monitoringIntervalMs, signal)
    }
  }

  return {
    strategies: () => [...strategies.values()],
    register(strategy) {
      const mode = strategy.policy.mode
      if (strategies.has(mode)) throw new Error(`Strategy ${mode} is registered already.`)
      strategies.set(mode, strategy)
      if (controller) loops.push(loop(strategy, controller.signal))
    },
    lastPlan: (mode) => plans.get(mode),
    subscribe(type, handler) {
      const set = handlers.get(type) ?? new Set()
      const stored = (event: DustEvent) => (isEventOf(type, event) ? handler(event) : undefined)
      set.add(stored)
      handlers.set(type, set)
      return () => set.delete(stored)
    },
    runCycle,
    runOnce: () => Promise.all([...strategies.keys()].map((mode) => runCycle(mode))),
    recover,
    async adopt(mode) {
      await loadOpen()
      if (!store) return
      for (const record of await store.conversions({ strategyMode: mode, open: true })) if (!unsettled.has(record.id)) track(record)
    },
    executeInstructions,
    start() {
      if (controller) return
      controller = new AbortController()
      const signal = controller.signal
      loops = [...strategies.values()].map((strategy) => loop(strategy, signal))
    },
    async stop() {
      // The controller stays set until the loops end, so a `start` during `stop` does nothing.
      controller?.abort()
      await Promise.all(loops)
      await Promise.all([...cycles.values()].map((running) => running.result))
      loops = []
      controller = undefined
    },
    lastSnapshot: (mode) => snapshots.get(mode),
  }
}
