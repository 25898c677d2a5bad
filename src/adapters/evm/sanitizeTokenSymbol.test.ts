import { describe, expect, it } from 'vitest'
import { UNKNOWN_SYMBOL, sanitizeTokenSymbol } from './sanitizeTokenSymbol.js'

describe('sanitizeTokenSymbol', () => {
  it('keeps a plain symbol as it is', () => {
    expect(sanitizeTokenSymbol('EIGEN')).toBe('EIGEN')
    expect(sanitizeTokenSymbol('USDC.e')).toBe('USDC.e')
    expect(sanitizeTokenSymbol('wstETH-2_x')).toBe('wstETH-2_x')
  })

  it('drops spaces, control characters, markup and non-ASCII letters', () => {
    expect(sanitizeTokenSymbol('Visit\u0000 claim-eth.io\n')).toBe('Visitclaim-eth.io')
    expect(sanitizeTokenSymbol('<b>AIR</b>\u001b[31mDROP')).toBe('bAIRb31mDROP')
    expect(sanitizeTokenSymbol('USD₮')).toBe('USD')
  })

  it('gives UNKNOWN when nothing is left or more than 32 characters are', () => {
    expect(sanitizeTokenSymbol('')).toBe(UNKNOWN_SYMBOL)
    expect(sanitizeTokenSymbol('\u0000\u0000\u0000')).toBe(UNKNOWN_SYMBOL)
    expect(sanitizeTokenSymbol('A'.repeat(32))).toBe('A'.repeat(32))
    expect(sanitizeTokenSymbol('A'.repeat(33))).toBe(UNKNOWN_SYMBOL)
    expect(sanitizeTokenSymbol('X'.repeat(10_240))).toBe(UNKNOWN_SYMBOL)
  })
})
