import { describe, expect, it } from 'vitest'
import { EIGEN, USDT, amount } from '../../../test/fixtureMoney.js'
import { fixtureCexVenue } from '../../../test/fixtureVenues.js'
import { createStaticBalanceSource } from '../static/createStaticBalanceSource.js'
import { createPaperCexSeller } from './createPaperCexSeller.js'

function account(eigen: string) {
  return createStaticBalanceSource({ name: 'binance', source: 'exchange_balance', custody: { kind: 'exchange', exchange: 'binance' }, balances: [amount(EIGEN, eigen)] })
}

describe('createPaperCexSeller', () => {
  it('fills on the book with the taker fee, moves the paper account, and journals the paper order first', async () => {
    const paper = account('1500')
    const journal: string[] = []
    const seller = createPaperCexSeller({ venue: fixtureCexVenue(), account: paper })
    const result = await seller.sell([EIGEN, USDT], amount(EIGEN, '1000'), amount(USDT, '1200'), 'dust-abc-0', { submitting: async (reference) => void journal.push(reference) })
    // 1,000 EIGEN at 1.249 = 1,249 USDT, less the 10 bps fee (1.249) = 1,247.751.
    expect(result).toMatchObject({ ok: true, receipt: { kind: 'market_sell', venue: 'binance', reference: 'paper:dust-abc-0' } })
    expect(result.ok && result.amountOut?.toString()).toBe('1247.751 USDT')
    expect(journal).toEqual(['paper:dust-abc-0'])
    expect(paper.balanceOf(EIGEN).toString()).toBe('500 EIGEN')
    expect(paper.balanceOf(USDT).toString()).toBe('1247.751 USDT')
  })

  it('sells nothing under the floor, nor more than the account holds', async () => {
    const paper = account('100')
    const seller = createPaperCexSeller({ venue: fixtureCexVenue(), account: paper })
    expect(await seller.sell([EIGEN, USDT], amount(EIGEN, '100'), amount(USDT, '125'), 'x')).toMatchObject({ ok: false, reason: 'slippage' })
    expect(await seller.sell([EIGEN, USDT], amount(EIGEN, '101'), amount(USDT, '1'), 'y')).toMatchObject({
      ok: false,
      reason: 'insufficient_funds',
      detail: 'The binance paper account holds 100 EIGEN, less than the 101 EIGEN to sell.',
    })
    expect(paper.balanceOf(EIGEN).toString()).toBe('100 EIGEN')
  })
})
