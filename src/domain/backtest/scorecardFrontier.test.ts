import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { type FrontierPoint, scorecardFrontier } from './scorecardFrontier.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
const point = (policy: string, parameter: string, cost: string, riskBps: string): FrontierPoint => ({
  policy,
  parameter,
  cost: Amount.parse(USDT, cost),
  riskBps: Fraction.fromDecimalString(riskBps),
})
const text = (lines: ReturnType<typeof scorecardFrontier>) => lines.map((line) => `${line.policy}: ${line.points.map((p) => `${p.parameter}${p.efficient ? '*' : ''}`).join(' ')}`)

describe('scorecardFrontier', () => {
  it('draws one line per policy in order of first appearance, each sorted by risk, and stars the runs nobody beats', () => {
    const lines = scorecardFrontier([
      point('threshold', 'd=0.004', '10', '40'),
      point('threshold', 'd=0.001', '40', '10'),
      point('threshold', 'd=0.002', '20', '20'),
      point('gas_aware', 'b=20', '15', '20'),
      point('gas_aware', 'b=10', '45', '10'),
      // Equal on both axes to another: neither beats the other.
      point('weekly', '-', '15', '20'),
      // More risk for the same cost as d=0.002: beaten.
      point('every_receipt', '-', '20', '25'),
    ])
    expect(text(lines)).toEqual(['threshold: d=0.001* d=0.002 d=0.004*', 'gas_aware: b=10 b=20*', 'weekly: -*', 'every_receipt: -'])
  })

  it('breaks ties in risk by cost, then by parameter, and stars only the cheapest of a tie', () => {
    const lines = scorecardFrontier([point('p', 'b', '5', '1'), point('p', 'a', '5', '1'), point('p', 'c', '4', '1'), point('p', 'z', '1', '0')])
    expect(text(lines)).toEqual(['p: z* c a b'])
  })

  it('has no line without runs', () => {
    expect(scorecardFrontier([])).toEqual([])
  })
})
