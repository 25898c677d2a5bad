import type { ConversionFailureReason } from '../../domain/conversions/index.js'
import type { Custody } from '../../domain/dust/index.js'
import { Amount } from '../../domain/money/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type { RouteQuote } from '../../domain/planning/RouteQuote.js'
import type { Currency } from '../../domain/money/index.js'
import type { ExecutionManager, ExecutionOutcome } from '../../ports/index.js'
import type { StaticBalanceSource } from '../static/createStaticBalanceSource.js'
import type { PathQuoteFailure } from '../static/quotePath.js'

/** A venue paper execution can fill on. */
export type PaperVenue = {
  readonly name: string
  readonly kind: 'cex' | 'dex'
  execute(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | PathQuoteFailure>
}

export type CreatePaperExecutionManagerParameters = {
  /** Every static balance source of the strategy: claims, wallets and exchange accounts move between them. */
  balanceSources: readonly StaticBalanceSource[]
  venues: readonly PaperVenue[]
  /** Resolves a symbol of a path to its currency. */
  registry: ReadonlyMap<string, Currency>
}

function sameCustody(a: Custody, b: Custody): boolean {
  return a.kind === 'onchain' ? b.kind === 'onchain' && a.chain === b.chain : b.kind === 'exchange' && a.exchange === b.exchange
}

/**
 * Creates an execution manager that carries out instructions on paper: claims move claimable
 * rewards into the wallet, transfers move tokens to the exchange account, and sales fill
 * against the venue's book or pool at execution time. A fill under the instruction's
 * `min_output` fails the conversion and keeps the tokens, as a reverted swap would.
 */
export function createPaperExecutionManager(parameters: CreatePaperExecutionManagerParameters): ExecutionManager {
  const { balanceSources, venues, registry } = parameters
  const holder = (custody: Custody, source: 'wallet_balance' | 'exchange_balance') => balanceSources.find((candidate) => candidate.source === source && sameCustody(candidate.custody, custody))
  const failed = (reason: ConversionFailureReason, detail: string): ExecutionOutcome => ({ status: 'failed', reason, detail, retryable: false })

  return {
    name: 'paper',
    async lookup(step) {
      // Paper balances live in this process: whatever a paper step did is gone after a restart.
      return {
        status: 'not_found',
        detail: `The paper ${step.kind} ${step.reference} on ${step.venue} moved balances held in the memory of the process that made it; nothing of it outlives a restart.`,
      }
    },
    async execute(instruction: DustConversionInstruction): Promise<ExecutionOutcome> {
      const wallet = instruction.custody.kind === 'onchain' ? holder(instruction.custody, 'wallet_balance') : undefined
      for (const step of instruction.chosen.steps) {
        switch (step.kind) {
          case 'claim': {
            const rewards = balanceSources.find((candidate) => candidate.name === step.venue && candidate.source === 'claimable_rewards')
            if (!rewards || !wallet) return failed('claim_failed', `No claimable rewards at ${step.venue} or no wallet to claim into.`)
            const claimable = rewards.balanceOf(step.amount.currency)
            rewards.debit(claimable)
            wallet.credit(claimable)
            break
          }
          case 'transfer': {
            const account = holder({ kind: 'exchange', exchange: step.to }, 'exchange_balance')
            if (!wallet || !account) return failed('transfer_failed', `No wallet, or no ${step.to} account, to move ${step.amount.toString()} between.`)
            wallet.debit(step.amount)
            account.credit(step.amount)
            break
          }
          case 'approve':
            break
          case 'swap':
          case 'market_sell': {
            const venue = venues.find((candidate) => candidate.name === step.venue)
            const seller = step.kind === 'swap' ? wallet : holder({ kind: 'exchange', exchange: step.venue }, 'exchange_balance')
            if (!venue || !seller) return failed('venue_failed', `Venue ${step.venue} or the account that sells on it is not configured.`)
            const path: Currency[] = []
            for (const symbol of step.path) {
              const currency = registry.get(symbol)
              if (!currency) return failed('venue_failed', `The path names ${symbol}, which is not in the token registry.`)
              path.push(currency)
            }
            if (seller.balanceOf(step.amountIn.currency).lessThan(step.amountIn)) {
              return failed('insufficient_funds', `${seller.name} holds ${seller.balanceOf(step.amountIn.currency).toString()}, less than the ${step.amountIn.toString()} to sell.`)
            }
            const fill = await venue.execute(path, step.amountIn)
            if (!fill.ok) return failed(fill.reason, fill.detail)
            if (fill.amountOut.raw < step.minOutput.raw) {
              return failed(
                'slippage',
                `${step.venue} would give ${fill.amountOut.toString()}, under the floor of ${step.minOutput.toDecimalString()} ${instruction.targetCurrency}; nothing was sold.`,
              )
            }
            seller.debit(fill.amountIn)
            seller.credit(fill.amountOut)
            for (const leftover of fill.leftovers) seller.credit(leftover)
            const output = Amount.fromRaw(registry.get(instruction.targetCurrency) ?? fill.amountOut.currency, fill.amountOut.raw)
            return { status: 'converted', amountIn: fill.amountIn, output, fees: instruction.estimatedFees }
          }
        }
      }
      return failed('no_sale', `Instruction ${instruction.conversionId} has no swap or sale step.`)
    },
  }
}
