import { describe, expect, it } from 'vitest'
import { createCurrency } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'
import { requireTokenAddress } from './requireTokenAddress.js'

describe('requireTokenAddress', () => {
  it("returns a token's contract address", () => {
    const usdt = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
    expect(requireTokenAddress(usdt)).toBe('0xdAC17F958D2ee523a2206206994597C13D831ec7')
  })

  it('refuses a native coin, naming it', () => {
    const eth = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' })
    let caught: unknown
    try {
      requireTokenAddress(eth)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(BaseError)
    expect(caught).toMatchObject({ code: 'invalid_parameter', message: 'ETH has no contract address: a token was expected, found a native coin.' })
  })
})
