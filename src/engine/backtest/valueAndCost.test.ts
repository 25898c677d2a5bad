import { describe, expect, it } from 'vitest'
import { EIGEN, USDT, amount } from '../../../test/fixtureMoney.js'
import type { RouteCandidate } from '../../domain/planning/ConversionPlan.js'
import { valueAndCost } from './valueAndCost.js'

function route(priceImpact: string): RouteCandidate {
  return {
    venue: 'binance',
    path: ['EIGEN', 'USDT'],
    amountIn: amount(EIGEN, '10'),
    residual: amount(EIGEN, '0'),
    leftovers: [],
    estimatedOutput: amount(USDT, '9.9'),
    tradingFees: amount(USDT, '0.01'),
    priceImpact: amount(USDT, priceImpact),
    gasUnits: 155_000n,
    gasCost: amount(USDT, '0.31'),
    estimatedFees: amount(USDT, '0.32'),
    netOutput: amount(USDT, '9.59'),
    minOutput: amount(USDT, '9.85'),
    steps: [],
  }
}

describe('valueAndCost', () => {
  it('values the route as output plus fees plus impact, and costs it as fees, impact and gas', () => {
    const { value, cost } = valueAndCost(route('0.09'))
    expect(value.toString()).toBe('10 USDT')
    expect(cost.toString()).toBe('0.41 USDT')
  })

  it('lowers both by a negative price impact, when the venue beats the reference price', () => {
    const { value, cost } = valueAndCost(route('-0.01'))
    expect(value.toString()).toBe('9.9 USDT')
    expect(cost.toString()).toBe('0.31 USDT')
  })
})
