import { describe, expect, it } from 'vitest'
import { custodyKey } from './Holding.js'

describe('custodyKey', () => {
  it('names on-chain and exchange custody apart', () => {
    expect(custodyKey({ kind: 'onchain', chain: 'ethereum' })).toBe('onchain:ethereum')
    expect(custodyKey({ kind: 'exchange', exchange: 'binance' })).toBe('exchange:binance')
  })
})
