import type { DustEvent } from '../domain/events.js'
import type { DustConversionInstruction } from '../domain/planning/ConversionPlan.js'
import type { ExecutionOutcome } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import type { DustManager } from './createDustManager.js'

/** The next thing a strategy does: sell its dust, rebalance, or nothing. */
export type StrategyAction<R> =
  | { readonly kind: 'dust_sale'; readonly instructions: readonly DustConversionInstruction[] }
  | { readonly kind: 'rebalance'; readonly rebalance: R }
  | { readonly kind: 'idle' }

/** What carrying out an action gave. */
export type StrategyStepResult<R> =
  | { readonly kind: 'dust_sale'; readonly outcomes: ReadonlyArray<{ instruction: DustConversionInstruction; outcome: ExecutionOutcome }> }
  | { readonly kind: 'rebalance'; readonly rebalance: R }
  | { readonly kind: 'idle' }

/**
 * Is the base of strategy managers that hold reward-paying LSTs.
 *
 * It registers the strategy's dust configuration with the dust manager, listens to its dust
 * events, and enforces the seed's rule: dust selling takes precedence over normal
 * rebalancing. While the last detection found dust over the threshold with instructions to
 * carry out, `nextAction` yields the dust sale, and only then a rebalance.
 */
export abstract class StrategyManager<R> {
  protected readonly strategy: Strategy
  protected readonly dustManager: DustManager
  private pending: readonly DustConversionInstruction[] = []
  private readonly unsubscribe: () => void

  constructor(parameters: { strategy: Strategy; dustManager: DustManager }) {
    this.strategy = parameters.strategy
    this.dustManager = parameters.dustManager
    if (!this.dustManager.strategies().some((known) => known.policy.mode === this.mode)) this.dustManager.register(this.strategy)
    this.unsubscribe = this.dustManager.subscribe('*', (event) => {
      if (event.strategy_mode === this.mode) this.handleDustEvent(event)
    })
  }

  get mode(): string {
    return this.strategy.policy.mode
  }

  /** Plans the strategy's own rebalance, if one is due. */
  protected abstract planRebalance(): Promise<R | undefined>

  /** Carries out a rebalance planned by `planRebalance`. */
  protected abstract executeRebalance(rebalance: R): Promise<void>

  /** Reacts to this strategy's dust events; subclasses that override it call `super`. */
  protected handleDustEvent(event: DustEvent): void {
    if (event.event_type === 'dust_detected') {
      this.pending = this.dustManager.lastPlan(this.mode)?.instructions ?? []
    } else if (event.event_type === 'dust_checked' && !event.snapshot.exceeds_threshold) {
      this.pending = []
    } else if (event.event_type === 'dust_converted') {
      this.pending = this.pending.filter((instruction) => instruction.conversionId !== event.conversion_id)
    }
  }

  /** Runs a dust cycle now and tells whether dust exceeds the threshold (the seed's `check_dust_threshold`). */
  async checkDustThreshold(): Promise<boolean> {
    const result = await this.dustManager.runCycle(this.mode)
    if (!result.ok) throw result.error
    return result.plan.snapshot.exceedsThreshold
  }

  /** The next action: the dust sale while one is pending, otherwise the rebalance. */
  async nextAction(): Promise<StrategyAction<R>> {
    if (this.pending.length > 0) return { kind: 'dust_sale', instructions: this.pending }
    const rebalance = await this.planRebalance()
    return rebalance === undefined ? { kind: 'idle' } : { kind: 'rebalance', rebalance }
  }

  /** Carries out the next action. A dust sale is executed through the dust manager, which records its events. */
  async step(): Promise<StrategyStepResult<R>> {
    const action = await this.nextAction()
    if (action.kind === 'dust_sale') {
      const outcomes = await this.dustManager.executeInstructions(this.mode, action.instructions)
      // A sale that failed stays pending: dust over the threshold still comes before any
      // rebalance, until the next dust cycle replans it or finds the dust under the threshold.
      const failed = new Set(outcomes.filter(({ outcome }) => outcome.status === 'failed').map(({ instruction }) => instruction.conversionId))
      this.pending = action.instructions.filter((instruction) => failed.has(instruction.conversionId))
      return { kind: 'dust_sale', outcomes }
    }
    if (action.kind === 'rebalance') {
      await this.executeRebalance(action.rebalance)
      return action
    }
    return action
  }

  /** Stops listening to dust events. */
  dispose(): void {
    this.unsubscribe()
  }
}
