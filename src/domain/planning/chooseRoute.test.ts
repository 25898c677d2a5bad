import { describe, expect, it } from 'vitest'
import { EIGEN, ETHFI, USDT, amount } from '../../../test/fixtureMoney.js'
import type { RouteCandidate } from './ConversionPlan.js'
import type { SkipReason } from './SkipReason.js'
import { chooseRoute } from './chooseRoute.js'

function candidate(venue: string, path: string[], net: string, rejection?: { reason: SkipReason; detail: string }): RouteCandidate {
  const token = path[0] === 'ETHFI' ? ETHFI : EIGEN
  const zero = amount(USDT, '0')
  return {
    venue,
    path,
    amountIn: amount(token, '1520'),
    residual: amount(token, '0'),
    leftovers: [],
    estimatedOutput: amount(USDT, net),
    tradingFees: zero,
    priceImpact: zero,
    gasUnits: 0n,
    gasCost: zero,
    estimatedFees: zero,
    netOutput: amount(USDT, net),
    minOutput: zero,
    steps: [],
    rejection,
  }
}

const binanceDirect = candidate('binance', ['EIGEN', 'USDT'], '1894.57381')
const uniswapTwoHop = candidate('uniswap', ['EIGEN', 'WETH', 'USDT'], '1878.312407')
const uniswapBetter = candidate('uniswap', ['EIGEN', 'WETH', 'USDT'], '1900')

describe('chooseRoute', () => {
  it('answers undefined when there is no usable route', () => {
    expect(chooseRoute([], {})).toBeUndefined()
    expect(chooseRoute([candidate('binance', ['EIGEN', 'USDT'], '0', { reason: 'net_output_not_positive', detail: 'no' })], {})).toBeUndefined()
  })

  it('picks the best net output when nothing is preferred, and says so', () => {
    const choice = chooseRoute([uniswapTwoHop, binanceDirect], {})
    expect(choice?.chosen).toBe(binanceDirect)
    expect(choice?.reason).toBe('binance EIGEN→USDT nets the most (1894.57381 USDT) of 2 usable routes.')
    expect(chooseRoute([uniswapTwoHop], {})?.reason).toBe('uniswap EIGEN→WETH→USDT nets the most (1878.312407 USDT) of 1 usable route.')
  })

  it('never picks a rejected route, however much it would net', () => {
    const rejected = candidate('kraken', ['EIGEN', 'USDT'], '5000', { reason: 'below_venue_minimum', detail: 'too small' })
    expect(chooseRoute([rejected, uniswapTwoHop], {})?.chosen).toBe(uniswapTwoHop)
  })

  it('breaks a tie in net output by the shorter path, then by venue and path in code-unit order', () => {
    const twoHop = candidate('aaa', ['EIGEN', 'WETH', 'USDT'], '100')
    const direct = candidate('zzz', ['EIGEN', 'USDT'], '100')
    expect(chooseRoute([twoHop, direct], {})?.chosen).toBe(direct)
    const b = candidate('bybit', ['EIGEN', 'USDT'], '100')
    const a = candidate('binance', ['EIGEN', 'USDT'], '100')
    expect(chooseRoute([b, a], {})?.chosen).toBe(a)
    expect(chooseRoute([a, b], {})?.chosen).toBe(a)
  })

  it('honours the preferred venue and path when no route nets more', () => {
    const choice = chooseRoute([uniswapTwoHop, binanceDirect], { venue: 'binance', path: ['EIGEN', 'USDT'] })
    expect(choice?.chosen).toBe(binanceDirect)
    expect(choice?.reason).toBe('Preferred route binance EIGEN→USDT nets 1894.57381 USDT; no route nets more.')
  })

  it('keeps the preferred route when another only nets the same', () => {
    const same = candidate('aaa', ['EIGEN', 'USDT'], '1894.57381')
    const choice = chooseRoute([same, binanceDirect], { venue: 'binance' })
    expect(choice?.chosen).toBe(binanceDirect)
    expect(choice?.reason).toBe('Preferred route binance EIGEN→USDT nets 1894.57381 USDT; no route nets more.')
  })

  it('takes a route that nets more than the preferred one and says by how much', () => {
    const choice = chooseRoute([binanceDirect, uniswapBetter], { venue: 'binance', path: ['EIGEN', 'USDT'] })
    expect(choice?.chosen).toBe(uniswapBetter)
    expect(choice?.reason).toBe('uniswap EIGEN→WETH→USDT nets 1900 USDT, 5.42619 USDT more than the preferred binance EIGEN→USDT (1894.57381 USDT).')
  })

  it('says why the preferred route cannot be used when it is rejected', () => {
    const blocked = candidate('binance', ['EIGEN', 'USDT'], '4', {
      reason: 'below_venue_minimum',
      detail: 'EIGEN/USDT on binance: the order is worth 4 USDT, under the minimum 5 USDT plus the 100 bps safety buffer (5.05 USDT).',
    })
    const choice = chooseRoute([blocked, uniswapTwoHop], { venue: 'binance', path: ['EIGEN', 'USDT'] })
    expect(choice?.chosen).toBe(uniswapTwoHop)
    expect(choice?.reason).toBe(
      'uniswap EIGEN→WETH→USDT nets 1878.312407 USDT; the preferred route cannot be used (below_venue_minimum: EIGEN/USDT on binance: the order is worth 4 USDT, under the minimum 5 USDT plus the 100 bps safety buffer (5.05 USDT).).',
    )
  })

  it('says when the preferred route is not offered at all', () => {
    const choice = chooseRoute([uniswapTwoHop], { venue: 'binance', path: ['EIGEN', 'USDT'] })
    expect(choice?.chosen).toBe(uniswapTwoHop)
    expect(choice?.reason).toBe('uniswap EIGEN→WETH→USDT nets 1878.312407 USDT; the preferred route cannot be used (no such route is offered).')
  })

  it('does not count a route on the preferred venue with another path as the preferred one', () => {
    const binanceTwoHop = candidate('binance', ['EIGEN', 'USDT', 'ETH'], '1900')
    const choice = chooseRoute([binanceTwoHop, binanceDirect], { venue: 'binance', path: ['EIGEN', 'USDT'] })
    expect(choice?.chosen).toBe(binanceTwoHop)
    expect(choice?.reason).toBe('binance EIGEN→USDT→ETH nets 1900 USDT, 5.42619 USDT more than the preferred binance EIGEN→USDT (1894.57381 USDT).')
  })

  it('applies the preferred path to the token it starts with only; for others the preferred venue alone counts', () => {
    const binanceEthfi = candidate('binance', ['ETHFI', 'USDT'], '757.73485')
    const uniswapEthfi = candidate('uniswap', ['ETHFI', 'WETH', 'USDT'], '752.22366')
    const choice = chooseRoute([uniswapEthfi, binanceEthfi], { venue: 'binance', path: ['EIGEN', 'USDT'] })
    expect(choice?.chosen).toBe(binanceEthfi)
    expect(choice?.reason).toBe('Preferred route binance ETHFI→USDT nets 757.73485 USDT; no route nets more.')
  })

  it('honours a preferred path on any venue when no venue is preferred', () => {
    const choice = chooseRoute([binanceDirect, uniswapTwoHop], { path: ['EIGEN', 'WETH', 'USDT'] })
    expect(choice?.chosen).toBe(binanceDirect)
    expect(choice?.reason).toBe('binance EIGEN→USDT nets 1894.57381 USDT, 16.261403 USDT more than the preferred uniswap EIGEN→WETH→USDT (1878.312407 USDT).')
  })
})
