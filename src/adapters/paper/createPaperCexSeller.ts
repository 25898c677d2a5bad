import { Amount, type Currency } from '../../domain/money/index.js'
import type { SellExecutor, StepJournal, StepResult } from '../../ports/index.js'
import type { StaticBalanceSource } from '../static/createStaticBalanceSource.js'
import type { StaticCexVenue } from '../static/createStaticCexVenue.js'

/**
 * Creates a paper seller on a CEX: market orders fill against the venue's order-book
 * snapshot with its taker fee, minimum notional and amount step, and move the paper account's
 * balances. Nothing is sent to the exchange. A fill under the floor fails and keeps the tokens.
 */
export function createPaperCexSeller(parameters: { venue: StaticCexVenue; account: StaticBalanceSource }): SellExecutor {
  const { venue, account } = parameters
  return {
    async sell(path: readonly Currency[], amountIn: Amount, minOutput: Amount, clientOrderId: string, journal?: StepJournal): Promise<StepResult> {
      const held = account.balanceOf(amountIn.currency)
      if (held.lessThan(amountIn)) {
        return { ok: false, reason: 'insufficient_funds', detail: `The ${venue.name} paper account holds ${held.toString()}, less than the ${amountIn.toString()} to sell.`, retryable: false }
      }
      await journal?.submitting(`paper:${clientOrderId}`)
      const fill = await venue.execute(path, amountIn)
      if (!fill.ok) return { ok: false, reason: fill.reason, detail: fill.detail, retryable: false }
      if (fill.amountOut.raw < minOutput.raw) {
        return {
          ok: false,
          reason: 'slippage',
          detail: `${venue.name} would give ${fill.amountOut.toString()}, under the floor of ${minOutput.toDecimalString()}; nothing was sold.`,
          retryable: false,
        }
      }
      account.debit(fill.amountIn)
      account.credit(fill.amountOut)
      for (const leftover of fill.leftovers) account.credit(leftover)
      const fee = fill.hops.at(-1)?.fee
      return {
        ok: true,
        receipt: { kind: 'market_sell', venue: venue.name, reference: `paper:${clientOrderId}` },
        amountIn: fill.amountIn,
        amountOut: Amount.fromRaw(fill.amountOut.currency, fill.amountOut.raw),
        fee,
      }
    },
  }
}
