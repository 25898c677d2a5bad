import type { ConversionFailureReason } from '../domain/conversions/index.js'
import type { Amount, Currency } from '../domain/money/index.js'
import type { DustConversionInstruction } from '../domain/planning/ConversionPlan.js'
import type { StepReceipt } from '../domain/planning/StepReceipt.js'

export type { StepReceipt }

/** How a conversion ended, or `failed` with reason `OUTCOME_UNKNOWN` when that is not known yet (the conversion stays open). */
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
      readonly reason: ConversionFailureReason
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
  submitting(step: number, kind: StepReceipt['kind'], reference: string, signed?: SignedTransaction): Promise<void>
  done(step: number, receipt: StepReceipt): Promise<void>
}

/**
 * What a signed transaction's hash does not tell: who signed it, with which nonce, and the
 * chain's last block before it was signed. Recorded with the hash, it lets a restart tell a
 * transaction never broadcast (its nonce still free) from one replaced by another (its nonce
 * used), and where to look for the one that replaced it.
 */
export type SignedTransaction = { readonly from: `0x${string}`; readonly nonce: number; readonly block: bigint }

/** Told a step's reference before its side effect leaves (one step's view of the journal). */
export type StepJournal = { submitting(reference: string, signed?: SignedTransaction): Promise<void> }

/**
 * What became of a step sent before a restart, as its venue answered, or `lookup_failed` when
 * it did not answer. Only an answer settles a conversion:
 *
 * - `confirmed`: a receipt with status success, or the sale's last order closed; with what the
 *   sale gave and took when the venue's answer shows it (a swap's ERC-20 transfers, an order's
 *   fill);
 * - `failed`: a receipt with status reverted, or an order canceled, expired or rejected;
 * - `pending`: known and not final yet (a transaction not mined, an order open);
 * - `not_found`: the venue answered that it has no such thing (no receipt, no transaction and
 *   the nonce still free; no order by that client order id): nothing of it was executed;
 * - `replaced`: the transaction's nonce was used by another transaction (`replacedBy`, when it
 *   was found): it can never be executed;
 * - `lookup_failed`: no answer (an RPC error, a timeout, an HTTP 5xx, an exchange network
 *   error); `error` says why, without endpoints or credentials. Nothing is known.
 */
export type StepLookup =
  | {
      readonly status: 'confirmed'
      /** The step's receipt: its reference and, on chain, the gas it used. */
      readonly receipt?: StepReceipt | undefined
      /** What the sale took, when the answer shows it. */
      readonly amountIn?: Amount | undefined
      /** What the sale gave, when the answer shows it. */
      readonly amountOut?: Amount | undefined
    }
  | { readonly status: 'failed'; readonly reason: ConversionFailureReason; readonly detail: string; readonly receipt?: StepReceipt | undefined }
  | { readonly status: 'pending'; readonly detail: string }
  | { readonly status: 'not_found'; readonly detail: string }
  | { readonly status: 'replaced'; readonly replacedBy: string | undefined; readonly detail: string }
  | { readonly status: 'lookup_failed'; readonly error: string }

/** A step sent before a restart, as recovery asks its venue about it. */
export type StepQuery = {
  readonly kind: StepReceipt['kind']
  readonly venue: string
  readonly chain?: string | undefined
  /** The transaction hash or client order id on record. */
  readonly reference: string
  /** The symbols a swap or sale goes through: a CEX finds its markets, a DEX what to read in the receipt. */
  readonly path?: readonly string[] | undefined
  /** How the transaction was signed, when the log recorded it. */
  readonly signed?: SignedTransaction | undefined
}

/** Carries out conversion instructions on their venues (claim, transfer, approve, swap or sell). */
export type ExecutionManager = {
  readonly name: string
  /** Executes every step of the instruction; failures are returned, not thrown. */
  execute(instruction: DustConversionInstruction, journal?: ExecutionJournal): Promise<ExecutionOutcome>
  /** Asks the venue of a step sent before a restart what became of it (receipt by hash, order by client order id); never throws. */
  lookup?(step: StepQuery): Promise<StepLookup>
}

/** A step's result: done (with its receipt and, for a sale, what arrived), or failed with its reason. */
export type StepResult =
  | { readonly ok: true; readonly receipt: StepReceipt; readonly amountIn?: Amount | undefined; readonly amountOut?: Amount | undefined; readonly fee?: Amount | undefined }
  | { readonly ok: false; readonly reason: ConversionFailureReason; readonly detail: string; readonly retryable: boolean }

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
  /** What became of an order placed before a restart, by its client order id and the path it sold along; never throws. */
  lookup?(clientOrderId: string, path: readonly Currency[]): Promise<StepLookup>
}

/** Moves tokens from the strategy's wallet on one chain to a CEX's deposit address. */
export type TransferExecutor = { transfer(to: string, amount: Amount, journal?: StepJournal): Promise<StepResult> }
