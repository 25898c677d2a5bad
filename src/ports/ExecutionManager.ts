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

/**
 * Hears of each step of a conversion as it happens, to record it durably: `submitting` comes
 * with the transaction hash or client order id before anything leaves the process, so that a
 * restart can ask the chain or the exchange what became of it. A journal that throws stops
 * the step before it is sent.
 */
export type ExecutionJournal = {
  submitting(step: number, kind: StepReceipt['kind'], reference: string): Promise<void>
  done(step: number, receipt: StepReceipt): Promise<void>
}

/** Told a step's reference before its side effect leaves (one step's view of the journal). */
export type StepJournal = { submitting(reference: string): Promise<void> }

/** What became of a step sent before a restart. */
export type StepLookup = 'confirmed' | 'failed' | 'pending' | 'unknown'

/** Carries out conversion instructions on their venues (claim, transfer, approve, swap or sell). */
export type ExecutionManager = {
  readonly name: string
  /** Executes every step of the instruction; failures are returned, not thrown. */
  execute(instruction: DustConversionInstruction, journal?: ExecutionJournal): Promise<ExecutionOutcome>
  /** Asks the venue of a step sent before a restart what became of it (receipt by hash, order by client order id). */
  lookup?(step: {
    readonly kind: StepReceipt['kind']
    readonly venue: string
    readonly chain?: string | undefined
    readonly reference: string
    /** The symbols a sale goes through, for a CEX to find its markets. */
    readonly path?: readonly string[] | undefined
  }): Promise<StepLookup>
}

/** A step's result: done (with its receipt and, for a sale, what arrived), or failed with its reason. */
export type StepResult =
  | { readonly ok: true; readonly receipt: StepReceipt; readonly amountIn?: Amount | undefined; readonly amountOut?: Amount | undefined; readonly fee?: Amount | undefined }
  | { readonly ok: false; readonly reason: string; readonly detail: string; readonly retryable: boolean }

/** Claims rewards from a distributor into the strategy's wallet. */
export type ClaimExecutor = { claim(amount: Amount, journal?: StepJournal): Promise<StepResult> }

/** Approves and swaps on a DEX from the strategy's wallet. */
export type SwapExecutor = {
  /** Approves the router for exactly `amount`. */
  approve(amount: Amount, journal?: StepJournal): Promise<StepResult>
  swap(path: readonly Currency[], amountIn: Amount, minOutput: Amount, journal?: StepJournal): Promise<StepResult>
}

/** Sells on a CEX from the strategy's account there. */
export type SellExecutor = {
  sell(path: readonly Currency[], amountIn: Amount, minOutput: Amount, clientOrderId: string, journal?: StepJournal): Promise<StepResult>
  /** What became of an order placed before a restart, by its client order id and the path it sold along. */
  lookup?(clientOrderId: string, path: readonly Currency[]): Promise<StepLookup>
}

/** Moves tokens from the strategy's wallet on one chain to a CEX's deposit address. */
export type TransferExecutor = { transfer(to: string, amount: Amount, journal?: StepJournal): Promise<StepResult> }
