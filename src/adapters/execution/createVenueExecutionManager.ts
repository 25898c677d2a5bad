import { createHash } from 'node:crypto'
import { isHex } from 'viem'
import type { ConversionFailureReason } from '../../domain/conversions/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type {
  ClaimExecutor,
  ExecutionJournal,
  ExecutionManager,
  ExecutionOutcome,
  SellExecutor,
  StepJournal,
  StepLookup,
  StepReceipt,
  StepResult,
  SwapExecutor,
  TransferExecutor,
} from '../../ports/index.js'
import { redactUrls } from '../../errors/index.js'
import type { EvmTransactionQuery } from '../evm/createEvmTransactor.js'

export type CreateVenueExecutionManagerParameters = {
  readonly name?: string
  /** Per rewards venue name. */
  readonly claimers: ReadonlyMap<string, ClaimExecutor>
  /** Per DEX venue name. */
  readonly swappers: ReadonlyMap<string, SwapExecutor>
  /** Per CEX venue name. */
  readonly sellers: ReadonlyMap<string, SellExecutor>
  /** Per chain name. */
  readonly transferers: ReadonlyMap<string, TransferExecutor>
  /** Resolves a symbol of a path to its currency. */
  readonly registry: ReadonlyMap<string, Currency>
  /** Per chain, what became of a transaction signed before a restart (an `EvmTransactor`'s `lookup`). */
  readonly transactionLookups?: ReadonlyMap<string, (query: EvmTransactionQuery) => Promise<StepLookup>> | undefined
}

/** The reasons the step executors give a reverted transaction, by step, so that recovery reports a revert as the live path does. */
const REVERTED: Readonly<Record<StepReceipt['kind'], ConversionFailureReason>> = {
  claim: 'claim_reverted',
  transfer: 'transfer_reverted',
  approve: 'approval_reverted',
  swap: 'swap_reverted',
  market_sell: 'order_rejected',
}

/**
 * A client order id derived from the conversion: the same conversion always gets the same
 * id, so an exchange can tell a retried order from a new one. Binance takes up to 36
 * characters of `[.A-Z:/a-z0-9_-]`.
 */
export function clientOrderIdOf(conversionId: string, hop: number): string {
  return `dust-${createHash('sha256').update(conversionId).digest('hex').slice(0, 24)}-${hop}`
}

/**
 * Creates the execution manager of real venues: each step of an instruction goes, in order,
 * to the executor of its venue (claim to the distributor, approve and swap to the DEX,
 * transfer to the chain, sale to the CEX). The first step that fails stops the conversion;
 * its reason, and the steps already done, are returned.
 */
export function createVenueExecutionManager(parameters: CreateVenueExecutionManagerParameters): ExecutionManager {
  const { claimers, swappers, sellers, transferers, registry } = parameters
  const currencyOf = (symbol: string): Currency => {
    const currency = registry.get(symbol)
    if (!currency) throw new Error(`The path names ${symbol}, which is not in the token registry.`)
    return currency
  }
  return {
    name: parameters.name ?? 'venues',
    async lookup(step): Promise<StepLookup> {
      try {
        if (step.kind === 'market_sell') {
          if (step.reference.startsWith('paper:')) {
            return { status: 'not_found', detail: `The paper sale ${step.reference} on ${step.venue} filled in the memory of the process that made it, if at all; nothing of it outlives a restart.` }
          }
          const seller = sellers.get(step.venue)
          if (!seller?.lookup) return { status: 'lookup_failed', error: `This configuration has no ${step.venue} seller to ask about order ${step.reference}.` }
          return await seller.lookup(step.reference, (step.path ?? []).map(currencyOf))
        }
        const lookup = step.chain === undefined ? undefined : parameters.transactionLookups?.get(step.chain)
        if (!lookup) return { status: 'lookup_failed', error: `This configuration has no signer on ${step.chain ?? 'an exchange account'} to ask about ${step.reference}.` }
        // A swap's receipt shows what it took and gave; an unknown symbol only leaves those figures out.
        const swapped = step.kind === 'swap' ? (step.path ?? []).map((symbol) => registry.get(symbol)) : []
        const hash = step.reference
        if (!isHex(hash)) return { status: 'lookup_failed', error: `The ${step.kind} ${hash} on ${step.chain} has no transaction hash on record to ask about.` }
        const answer = await lookup({ hash, kind: step.kind, venue: step.venue, signed: step.signed, tokenIn: swapped[0], tokenOut: swapped.at(-1) })
        return answer.status === 'failed' && answer.reason === 'reverted' ? { ...answer, reason: REVERTED[step.kind] } : answer
      } catch (error) {
        // A lookup never throws; one that did gave no answer.
        return { status: 'lookup_failed', error: redactUrls(error instanceof Error ? error.message : String(error)) }
      }
    },
    async execute(instruction: DustConversionInstruction, journal?: ExecutionJournal): Promise<ExecutionOutcome> {
      const receipts: StepReceipt[] = []
      const failed = (reason: ConversionFailureReason, detail: string, retryable = false): ExecutionOutcome => ({ status: 'failed', reason, detail, retryable, steps: receipts })
      let sales = 0
      for (const [index, step] of instruction.chosen.steps.entries()) {
        const stepJournal: StepJournal | undefined = journal && { submitting: (reference) => journal.submitting(index, step.kind, reference) }
        let result: StepResult
        switch (step.kind) {
          case 'claim': {
            const claimer = claimers.get(step.venue)
            if (!claimer) return failed('venue_unavailable', `No claim executor for ${step.venue}.`)
            result = await claimer.claim(step.amount, stepJournal)
            break
          }
          case 'transfer': {
            const chain = instruction.custody.kind === 'onchain' ? instruction.custody.chain : undefined
            const transferer = chain === undefined ? undefined : transferers.get(chain)
            if (!transferer) return failed('venue_unavailable', `No transfer executor on ${chain ?? 'an exchange account'}.`)
            result = await transferer.transfer(step.to, step.amount, stepJournal)
            break
          }
          case 'approve': {
            const swapper = swappers.get(step.venue)
            if (!swapper) return failed('venue_unavailable', `No swap executor for ${step.venue}.`)
            result = await swapper.approve(step.amount, stepJournal)
            break
          }
          case 'swap': {
            const swapper = swappers.get(step.venue)
            if (!swapper) return failed('venue_unavailable', `No swap executor for ${step.venue}.`)
            result = await swapper.swap(step.path.map(currencyOf), step.amountIn, step.minOutput, stepJournal)
            break
          }
          case 'market_sell': {
            const seller = sellers.get(step.venue)
            if (!seller) return failed('venue_unavailable', `No sell executor for ${step.venue}.`)
            result = await seller.sell(step.path.map(currencyOf), step.amountIn, step.minOutput, clientOrderIdOf(instruction.conversionId, sales), stepJournal)
            sales += 1
            break
          }
        }
        if (!result.ok) return failed(result.reason, result.detail, result.retryable)
        receipts.push(result.receipt)
        await journal?.done(index, result.receipt)
        if ((step.kind === 'swap' || step.kind === 'market_sell') && result.amountOut) {
          const target = currencyOf(instruction.targetCurrency)
          return {
            status: 'converted',
            amountIn: result.amountIn ?? step.amountIn,
            output: Amount.fromRaw(target, result.amountOut.raw),
            fees: instruction.estimatedFees,
            steps: receipts,
          }
        }
      }
      return failed('no_sale', `Instruction ${instruction.conversionId} has no swap or sale step.`)
    },
  }
}
