import type { Amount } from '../domain/money/index.js'
import type { DustConversionInstruction } from '../domain/planning/ConversionPlan.js'

/** How a conversion ended. */
export type ExecutionOutcome =
  | { readonly status: 'converted'; readonly amountIn: Amount; readonly output: Amount; readonly fees: Amount }
  | { readonly status: 'failed'; readonly reason: string; readonly detail: string; readonly retryable: boolean }

/** Carries out conversion instructions on their venues (claim, transfer, approve, swap or sell). */
export type ExecutionManager = {
  readonly name: string
  /** Executes every step of the instruction; failures are returned, not thrown. */
  execute(instruction: DustConversionInstruction): Promise<ExecutionOutcome>
}
