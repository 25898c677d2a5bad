import { describe, expect, it } from 'vitest'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { errorStatus } from './http/errorStatus.js'
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
})

describe('errorStatus', () => {
  it('maps the stable error codes to HTTP statuses in one place, 500 for any other', () => {
    expect(['invalid_query', 'unauthorized', 'unknown_strategy', 'strategy_locked', 'source_failed', 'store_unavailable', 'internal_error'].map(errorStatus)).toEqual([400, 401, 404, 409, 502, 503, 500])
    expect(errorStatus('something_new')).toBe(500)
    expect(errorStatus('toString')).toBe(500)
  })
})
