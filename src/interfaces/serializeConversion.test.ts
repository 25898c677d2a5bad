import { describe, expect, it } from 'vitest'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { serializeConversion } from './serializeConversion.js'

describe('serializeConversion', () => {
  it('writes a conversion record in snake_case, with its detail only when it has one', () => {
    const record = {
      id: 'usdt:EIGEN:onchain:local:1',
      strategyMode: 'usdt',
      token: 'EIGEN',
      venue: 'uniswap',
      state: 'submitted' as const,
      step: 2,
      references: ['0xaa', '0xbb'],
      instruction: { token: 'EIGEN' },
      createdAt: FIXED_TIME,
      updatedAt: FIXED_TIME + 5,
    }
    expect(serializeConversion(record)).toEqual({
      id: 'usdt:EIGEN:onchain:local:1',
      strategy_mode: 'usdt',
      token: 'EIGEN',
      venue: 'uniswap',
      state: 'submitted',
      step: 2,
      references: ['0xaa', '0xbb'],
      instruction: { token: 'EIGEN' },
      created_at: FIXED_TIME,
      updated_at: FIXED_TIME + 5,
    })
    expect(serializeConversion({ ...record, state: 'failed', detail: 'swap_reverted: Too little received' })).toMatchObject({ detail: 'swap_reverted: Too little received' })
  })

  it('writes the outcome of a conversion that converted, as its dust_converted event holds it', () => {
    const outcome = { output: '171.4', fees: '0.981273', target_currency: 'USDT', steps: [{ kind: 'swap' as const, venue: 'uniswap', reference: '0xbb', gas_used: '150000', gas_cost: '0.000375' }] }
    const json = serializeConversion({
      id: 'usdt:EIGEN:onchain:local:1',
      strategyMode: 'usdt',
      token: 'EIGEN',
      venue: 'uniswap',
      state: 'confirmed',
      step: 2,
      references: ['0xbb'],
      instruction: { token: 'EIGEN' },
      createdAt: FIXED_TIME,
      updatedAt: FIXED_TIME + 5,
      outcome,
    })
    expect(json.outcome).toEqual(outcome)
    expect(Object.keys(json)).toEqual(['id', 'strategy_mode', 'token', 'venue', 'state', 'step', 'references', 'instruction', 'outcome', 'created_at', 'updated_at'])
  })
})
