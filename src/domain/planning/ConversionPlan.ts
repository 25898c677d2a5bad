import type { Custody, DustSnapshot, DustSnapshotJson, Holding } from '../dust/index.js'
import type { ConversionStepJson, CustodyJson, InstructionJson, RouteCandidateJson, SkippedJson } from '../events/eventSchemas.js'
import { serializeSnapshot } from '../dust/index.js'
import type { Amount } from '../money/index.js'
import type { SkipReason } from './SkipReason.js'

/** One action of a conversion, in the order it is carried out. */
export type ConversionStep =
  | { readonly kind: 'claim'; readonly venue: string; readonly amount: Amount }
  | { readonly kind: 'transfer'; readonly to: string; readonly amount: Amount }
  | { readonly kind: 'approve'; readonly venue: string; readonly amount: Amount }
  | { readonly kind: 'swap'; readonly venue: string; readonly path: readonly string[]; readonly amountIn: Amount; readonly minOutput: Amount }
  | { readonly kind: 'market_sell'; readonly venue: string; readonly path: readonly string[]; readonly amountIn: Amount; readonly minOutput: Amount }

/** A route the planner priced, chosen or not. Every amount is in the target currency unless named otherwise. */
export type RouteCandidate = {
  readonly venue: string
  readonly path: readonly string[]
  /** What is sold, in the dust token. */
  readonly amountIn: Amount
  /** What stays unsold (amount step, per-run cap), in the dust token. */
  readonly residual: Amount
  /** Intermediate tokens a multi-hop route leaves unspent on the venue. */
  readonly leftovers: readonly Amount[]
  /** Venue output after trading fees and price impact: the seed's `estimated_output`. */
  readonly estimatedOutput: Amount
  readonly tradingFees: Amount
  /** Reference value minus output minus trading fees; negative when the venue beats the reference price. */
  readonly priceImpact: Amount
  readonly gasUnits: bigint
  readonly gasCost: Amount
  /** Trading fees plus gas: the seed's `estimated_fees`. */
  readonly estimatedFees: Amount
  /** Output less gas: what the strategy is better off by. */
  readonly netOutput: Amount
  /** The least output the swap or order accepts (`max_slippage_bps` under the quote). */
  readonly minOutput: Amount
  readonly steps: readonly ConversionStep[]
  /** Why this route cannot be used; absent when it can. */
  readonly rejection?: { readonly reason: SkipReason; readonly detail: string } | undefined
}

/** Is the decision to convert one token held in one custody: the seed's `DustConversionInstruction`. */
export type DustConversionInstruction = {
  /** Stable id of this conversion: strategy, token, custody and snapshot time. */
  readonly conversionId: string
  readonly strategyMode: string
  readonly token: string
  /** What is sold now. */
  readonly amount: Amount
  readonly targetCurrency: string
  readonly venue: string
  readonly conversionPath: readonly string[]
  readonly estimatedOutput: Amount
  readonly estimatedFees: Amount
  readonly minOutput: Amount
  readonly netOutput: Amount
  readonly custody: Custody
  /** The holdings the amount comes from (claimable rewards and wallet balance, say). */
  readonly sources: readonly Holding[]
  readonly chosen: RouteCandidate
  /** Why this route won, in words. */
  readonly reason: string
  readonly alternatives: readonly RouteCandidate[]
}

/** A decision not to convert a token, with its machine-readable reason. */
export type SkippedConversion = {
  readonly token: string
  readonly custody?: Custody | undefined
  readonly amount?: Amount | undefined
  readonly reason: SkipReason
  readonly detail: string
  readonly alternatives?: readonly RouteCandidate[] | undefined
}

/** Is the planner's answer for one strategy at one moment. */
export type ConversionPlan = {
  readonly snapshot: DustSnapshot
  readonly instructions: readonly DustConversionInstruction[]
  readonly skipped: readonly SkippedConversion[]
}

function custodyJson(custody: Custody): CustodyJson {
  return custody.kind === 'onchain' ? { kind: 'onchain', chain: custody.chain } : { kind: 'exchange', exchange: custody.exchange }
}

function stepJson(step: ConversionStep): ConversionStepJson {
  switch (step.kind) {
    case 'claim':
      return { kind: step.kind, venue: step.venue, token: step.amount.currency.symbol, amount: step.amount.toDecimalString() }
    case 'transfer':
      return { kind: step.kind, to: step.to, token: step.amount.currency.symbol, amount: step.amount.toDecimalString() }
    case 'approve':
      return { kind: step.kind, venue: step.venue, token: step.amount.currency.symbol, amount: step.amount.toDecimalString() }
    case 'swap':
    case 'market_sell':
      return {
        kind: step.kind,
        venue: step.venue,
        path: step.path,
        amount_in: step.amountIn.toDecimalString(),
        min_output: step.minOutput.toDecimalString(),
      }
  }
}

/** A route candidate as JSON. */
export function serializeCandidate(candidate: RouteCandidate): RouteCandidateJson {
  return {
    venue: candidate.venue,
    conversion_path: candidate.path,
    amount: candidate.amountIn.toDecimalString(),
    residual: candidate.residual.toDecimalString(),
    leftovers: candidate.leftovers.map((leftover) => ({ token: leftover.currency.symbol, amount: leftover.toDecimalString() })),
    estimated_output: candidate.estimatedOutput.toDecimalString(),
    estimated_fees: candidate.estimatedFees.toDecimalString(),
    trading_fees: candidate.tradingFees.toDecimalString(),
    price_impact: candidate.priceImpact.toDecimalString(),
    gas_units: candidate.gasUnits.toString(),
    gas_cost: candidate.gasCost.toDecimalString(),
    net_output: candidate.netOutput.toDecimalString(),
    min_output: candidate.minOutput.toDecimalString(),
    ...(candidate.rejection ? { rejected: candidate.rejection.reason, detail: candidate.rejection.detail } : {}),
  }
}

/** An instruction as JSON: the seed's fields first, snake_case, amounts as decimal strings. */
export function serializeInstruction(instruction: DustConversionInstruction): InstructionJson {
  return {
    token: instruction.token,
    amount: instruction.amount.toDecimalString(),
    target_currency: instruction.targetCurrency,
    venue: instruction.venue,
    conversion_path: instruction.conversionPath,
    estimated_output: instruction.estimatedOutput.toDecimalString(),
    estimated_fees: instruction.estimatedFees.toDecimalString(),
    min_output: instruction.minOutput.toDecimalString(),
    net_output: instruction.netOutput.toDecimalString(),
    conversion_id: instruction.conversionId,
    strategy_mode: instruction.strategyMode,
    custody: custodyJson(instruction.custody),
    sources: instruction.sources.map((holding) => ({ venue: holding.venue, source: holding.source, amount: holding.amount.toDecimalString() })),
    residual: instruction.chosen.residual.toDecimalString(),
    leftovers: instruction.chosen.leftovers.map((leftover) => ({ token: leftover.currency.symbol, amount: leftover.toDecimalString() })),
    costs: {
      trading_fees: instruction.chosen.tradingFees.toDecimalString(),
      price_impact: instruction.chosen.priceImpact.toDecimalString(),
      gas_units: instruction.chosen.gasUnits.toString(),
      gas_cost: instruction.chosen.gasCost.toDecimalString(),
    },
    steps: instruction.chosen.steps.map(stepJson),
    reason: instruction.reason,
    alternatives: instruction.alternatives.map(serializeCandidate),
  }
}

/** A skip as JSON. */
export function serializeSkipped(skipped: SkippedConversion): SkippedJson {
  return {
    token: skipped.token,
    ...(skipped.custody ? { custody: custodyJson(skipped.custody) } : {}),
    ...(skipped.amount ? { amount: skipped.amount.toDecimalString() } : {}),
    reason: skipped.reason,
    detail: skipped.detail,
    ...(skipped.alternatives && skipped.alternatives.length > 0 ? { alternatives: skipped.alternatives.map(serializeCandidate) } : {}),
  }
}

/** The plan as JSON: the snapshot's fields, then `instructions` and `skipped`. */
export function serializePlan(plan: ConversionPlan): DustSnapshotJson & { instructions: InstructionJson[]; skipped: SkippedJson[] } {
  return {
    ...serializeSnapshot(plan.snapshot),
    instructions: plan.instructions.map(serializeInstruction),
    skipped: plan.skipped.map(serializeSkipped),
  }
}
