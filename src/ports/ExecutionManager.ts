import type { Amount, Currency } from '../domain/money/index.js'
import type { DustConversionInstruction } from '../domain/planning/ConversionPlan.js'
import type { StepReceipt } from '../domain/planning/StepReceipt.js'

export type { StepReceipt }

/** How a conversion ended. */
export type ExecutionOutcome =
  | {
      readonly status: 'converted'
      readonly amountIn: Amount
      readonly output: Amount
      readonly fees: Amount
      readonly steps?: readonly StepReceipt[] | undefined
    }
  | {
      readonly status: 'failed'
      readonly reason: string
      readonly detail: string
      readonly retryable: boolean
      /** Steps carried out before the failure (a claim that went through before the swap reverted). */
      readonly steps?: readonly StepReceipt[] | undefined
    }

/** Carries out conversion instructions on their venues (claim, transfer, approve, swap or sell). */
export type ExecutionManager = {
  readonly name: string
  /** Executes every step of the instruction; failures are returned, not thrown. */
  execute(instruction: DustConversionInstruction): Promise<ExecutionOutcome>
}

/** A step's result: done (with its receipt and, for a sale, what arrived), or failed with its reason. */
export type StepResult =
  | { readonly ok: true; readonly receipt: StepReceipt; readonly amountIn?: Amount | undefined; readonly amountOut?: Amount | undefined; readonly fee?: Amount | undefined }
  | { readonly ok: false; readonly reason: string; readonly detail: string; readonly retryable: boolean }

/** Claims rewards from a distributor into the strategy's wallet. */
export type ClaimExecutor = { claim(amount: Amount): Promise<StepResult> }

/** Approves and swaps on a DEX from the strategy's wallet. */
export type SwapExecutor = {
  /** Approves the router for exactly `amount`. */
  approve(amount: Amount): Promise<StepResult>
  swap(path: readonly Currency[], amountIn: Amount, minOutput: Amount): Promise<StepResult>
}

/** Sells on a CEX from the strategy's account there. */
export type SellExecutor = {
  sell(path: readonly Currency[], amountIn: Amount, minOutput: Amount, clientOrderId: string): Promise<StepResult>
}

/** Moves tokens from the strategy's wallet on one chain to a CEX's deposit address. */
export type TransferExecutor = { transfer(to: string, amount: Amount): Promise<StepResult> }
