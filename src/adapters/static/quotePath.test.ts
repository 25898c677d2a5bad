import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, USDT, amount } from '../../../test/fixtureMoney.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import { type HopResult, quotePath } from './quotePath.js'

/** A hop that converts at 2 output units per input unit, keeping back `keep` of its input. */
function doubling(keep: string) {
  return (from: Currency, to: Currency, input: Amount): HopResult => {
    const kept = Amount.parse(from, keep)
    const sold = input.subtract(kept)
    return { ok: true, residual: kept, hop: { market: `${from.symbol}/${to.symbol}`, amountIn: sold, amountOut: Amount.fromTokens(to, sold.toTokens().multiply(2n), 'down'), fee: Amount.zero(to) } }
  }
}

describe('quotePath', () => {
  it("feeds each hop's output to the next: the first hop's remainder is the residual, later ones are leftovers", () => {
    const quote = quotePath('cex', [EIGEN, USDT, ETH], amount(EIGEN, '10.5'), doubling('0.5'), (hops) => BigInt(hops) * 1000n)
    if (!quote.ok) throw new Error(quote.detail)
    expect(quote.amountIn.toString()).toBe('10 EIGEN')
    expect(quote.residual.toString()).toBe('0.5 EIGEN')
    // 20 USDT in, 0.5 kept back, 19.5 sold for 39 ETH.
    expect(quote.leftovers.map(String)).toEqual(['0.5 USDT'])
    expect(quote.amountOut.toString()).toBe('39 ETH')
    expect(quote.hops.map((hop) => hop.market)).toEqual(['EIGEN/USDT', 'USDT/ETH'])
    expect(quote.gasUnits).toBe(2000n)
  })

  it('stops at the first hop that fails, with its reason', () => {
    const failing = () => ({ ok: false, reason: 'insufficient_liquidity', detail: 'The book is empty.' }) as const
    expect(quotePath('cex', [EIGEN, USDT], amount(EIGEN, '1'), failing, () => 0n)).toEqual({ ok: false, reason: 'insufficient_liquidity', detail: 'The book is empty.' })
  })

  it('refuses a path of one token', () => {
    expect(quotePath('cex', [EIGEN], amount(EIGEN, '1'), doubling('0'), () => 0n)).toEqual({ ok: false, reason: 'no_route', detail: 'A path needs at least two tokens, found 1.' })
  })
})
