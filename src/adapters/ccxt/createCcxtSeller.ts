import type { Amount, Currency } from '../../domain/money/index.js'
import { BaseError, VenueError } from '../../errors/index.js'
import type { SellExecutor, StepJournal, StepResult } from '../../ports/index.js'
import type { StaticBalanceSource } from '../static/createStaticBalanceSource.js'
import type { CcxtVenue } from './createCcxtVenue.js'
import { classifyCcxtError } from './parseCcxt.js'

/** An account a paper sale moves; `load` brings it up to date first (a paper copy of a real account). */
export type CcxtSellerAccount = StaticBalanceSource & { load?: (() => Promise<void>) | undefined }

export type CreateCcxtSellerParameters = {
  venue: CcxtVenue
  /** The paper account a paper venue sells from: required when `venue.paper`, unused otherwise (the exchange keeps the real one). */
  account?: CcxtSellerAccount | undefined
}

/**
 * Creates the sell executor of a ccxt venue: its `sell`, as a step result.
 *
 * A live sale's receipt names the exchange's order ids (one per hop, comma-separated); a paper
 * sale's is `paper:<clientOrderId>`, and it first checks that the paper account holds what is
 * sold, then moves it: debits what was sold, credits what arrived and what later hops left.
 * The fee reported is the last hop's, in the currency that arrived.
 */
export function createCcxtSeller(parameters: CreateCcxtSellerParameters): SellExecutor {
  const { venue, account } = parameters
  if (venue.paper && !account) throw new VenueError(venue.name, `The paper venue ${venue.name} needs a paper account to sell from.`)
  const paperAccount = venue.paper ? account : undefined
  return {
    lookup: (clientOrderId, path) => venue.lookup(clientOrderId, path),
    async sell(path: readonly Currency[], amountIn: Amount, minOutput: Amount, clientOrderId: string, journal?: StepJournal): Promise<StepResult> {
      if (paperAccount) {
        try {
          await paperAccount.load?.()
        } catch (error) {
          const cause = error instanceof BaseError && error.cause !== undefined ? error.cause : error
          return {
            ok: false,
            reason: 'account_unavailable',
            detail: `The ${venue.name} paper account could not copy the exchange's balances: ${error instanceof Error ? error.message : String(error)}`,
            retryable: classifyCcxtError(cause).retryable,
          }
        }
        const held = paperAccount.balanceOf(amountIn.currency)
        if (held.lessThan(amountIn)) {
          return { ok: false, reason: 'insufficient_funds', detail: `The ${venue.name} paper account holds ${held.toString()}, less than the ${amountIn.toString()} to sell.`, retryable: false }
        }
      }
      // The client order id is known before the order leaves: on record, a restart can ask the exchange for it.
      await journal?.submitting(venue.paper ? `paper:${clientOrderId}` : clientOrderId)
      const result = await venue.sell(path, amountIn, minOutput, clientOrderId)
      if (!result.ok) return { ok: false, reason: result.reason, detail: result.detail, retryable: result.retryable }
      if (paperAccount) {
        paperAccount.debit(result.amountIn)
        paperAccount.credit(result.amountOut)
        for (const leftover of result.leftovers) paperAccount.credit(leftover)
      }
      const reference = result.paper ? `paper:${clientOrderId}` : result.hops.map((hop) => hop.orderId ?? hop.clientOrderId ?? 'unknown').join(',')
      return {
        ok: true,
        receipt: { kind: 'market_sell', venue: venue.name, reference },
        amountIn: result.amountIn,
        amountOut: result.amountOut,
        fee: result.hops.at(-1)?.fee,
      }
    },
  }
}
