import { describe, expect, it } from 'vitest'
import { EIGEN, ETHFI, ONCHAIN, USDT, amount } from '../../../test/fixtureMoney.js'
import { InvalidAmountError } from '../../errors/index.js'
import { createStaticBalanceSource } from './createStaticBalanceSource.js'

function wallet() {
  return createStaticBalanceSource({
    name: 'wallet',
    source: 'wallet_balance',
    custody: ONCHAIN,
    balances: [amount(EIGEN, '20'), amount(ETHFI, '800'), amount(USDT, '0')],
  })
}

describe('createStaticBalanceSource', () => {
  it('reports every non-zero balance as a holding of its venue, source and custody', async () => {
    const source = wallet()
    expect(source.name).toBe('wallet')
    expect(source.source).toBe('wallet_balance')
    expect(source.custody).toEqual(ONCHAIN)
    const holdings = await source.fetchHoldings()
    expect(holdings.map((held) => [held.amount.toString(), held.venue, held.source, held.custody])).toEqual([
      ['20 EIGEN', 'wallet', 'wallet_balance', ONCHAIN],
      ['800 ETHFI', 'wallet', 'wallet_balance', ONCHAIN],
    ])
  })

  it('answers zero of a token it does not hold', () => {
    const zero = wallet().balanceOf(USDT)
    expect(zero.toString()).toBe('0 USDT')
    expect(zero.currency).toBe(USDT)
  })

  it('credits a held token and a new one', async () => {
    const source = wallet()
    source.credit(amount(EIGEN, '1500'))
    source.credit(amount(USDT, '1895.54256'))
    expect(source.balanceOf(EIGEN).toString()).toBe('1520 EIGEN')
    expect(source.balanceOf(USDT).toString()).toBe('1895.54256 USDT')
    expect((await source.fetchHoldings()).map((held) => held.amount.toString())).toEqual(['1520 EIGEN', '800 ETHFI', '1895.54256 USDT'])
  })

  it('debits down to zero, after which the token is no longer reported', async () => {
    const source = wallet()
    source.debit(amount(EIGEN, '5.5'))
    expect(source.balanceOf(EIGEN).toString()).toBe('14.5 EIGEN')
    source.debit(amount(EIGEN, '14.5'))
    expect(source.balanceOf(EIGEN).isZero()).toBe(true)
    expect((await source.fetchHoldings()).map((held) => held.amount.toString())).toEqual(['800 ETHFI'])
  })

  it('refuses to take more than is held and leaves the balance as it was', () => {
    const source = wallet()
    expect(() => source.debit(amount(EIGEN, '20.000000000000000001'))).toThrow(InvalidAmountError)
    expect(() => source.debit(amount(EIGEN, '20.5'))).toThrow('wallet holds 20 EIGEN; cannot take 20.5 EIGEN.')
    expect(() => source.debit(amount(USDT, '1'))).toThrow('wallet holds 0 USDT; cannot take 1 USDT.')
    expect(source.balanceOf(EIGEN).toString()).toBe('20 EIGEN')
  })
})
