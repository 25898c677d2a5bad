import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, FIXED_TIME, USDT, amount, fixtureClock } from '../../../test/fixtureMoney.js'
import { InvalidAmountError } from '../../errors/index.js'
import { Fraction } from '../../domain/money/index.js'
import { createStaticPriceSource } from './createStaticPriceSource.js'

describe('createStaticPriceSource', () => {
  it('answers its prices exactly, stamped with the clock time at which they are asked for', async () => {
    const clock = fixtureClock()
    const source = createStaticPriceSource({
      name: 'static#0',
      quote: USDT,
      prices: [
        [EIGEN, '1.25'],
        [ETHFI, '0.95'],
        [ETH, '2500'],
      ],
      clock,
    })
    expect(source.name).toBe('static#0')
    const first = await source.fetchPrices()
    expect(first.map((p) => [p.base.symbol, p.quote.symbol, p.perToken().toDecimalString(18)])).toEqual([
      ['EIGEN', 'USDT', '1.25'],
      ['ETHFI', 'USDT', '0.95'],
      ['ETH', 'USDT', '2500'],
    ])
    expect(first.every((p) => p.origin.source === 'static#0' && p.origin.at === FIXED_TIME)).toBe(true)
    expect(first[0]?.quoteAmount(amount(EIGEN, '1520'), 'down').toString()).toBe('1900 USDT')
    expect(first[1]?.perToken().equals(new Fraction(19n, 20n))).toBe(true)

    clock.set(FIXED_TIME + 60_000)
    const second = await source.fetchPrices()
    expect(second.map((p) => p.origin.at)).toEqual([FIXED_TIME + 60_000, FIXED_TIME + 60_000, FIXED_TIME + 60_000])
  })

  it('answers no prices when it has none', async () => {
    expect(await createStaticPriceSource({ name: 'empty', quote: USDT, prices: [], clock: fixtureClock() }).fetchPrices()).toEqual([])
  })

  it('rejects a price that is not a decimal when asked', async () => {
    const source = createStaticPriceSource({ name: 'bad', quote: USDT, prices: [[EIGEN, '1,25']], clock: fixtureClock() })
    await expect(source.fetchPrices()).rejects.toThrow(InvalidAmountError)
  })
})
