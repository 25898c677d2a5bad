import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../../errors/index.js'
import { createCurrency, isSameCurrency } from './Currency.js'

describe('createCurrency', () => {
  it('creates a frozen currency with its chain and address', () => {
    const usdt = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
    expect(usdt).toEqual({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
    expect(Object.isFrozen(usdt)).toBe(true)
    expect(createCurrency({ symbol: 'ETH', decimals: 18 }).address).toBeUndefined()
  })

  it.each(['weETH', 'USDC.e', 'PT-weETH', 'a_b', 'X', 'A'.repeat(32)])('accepts the symbol "%s"', (symbol) => {
    expect(createCurrency({ symbol, decimals: 18 }).symbol).toBe(symbol)
  })

  it.each(['', 'has space', 'A'.repeat(33), 'EIGEN/USDT', 'Ξ'])('refuses the symbol "%s"', (symbol) => {
    expect(() => createCurrency({ symbol, decimals: 18 })).toThrow(InvalidAmountError)
    expect(() => createCurrency({ symbol, decimals: 18 })).toThrow(`found "${symbol}"`)
  })

  it.each([0, 6, 36])('accepts %i decimals', (decimals) => {
    expect(createCurrency({ symbol: 'T', decimals }).decimals).toBe(decimals)
  })

  it.each([-1, 37, 1.5, Number.NaN])('refuses %d decimals, saying what it found', (decimals) => {
    expect(() => createCurrency({ symbol: 'T', decimals })).toThrow(InvalidAmountError)
    expect(() => createCurrency({ symbol: 'T', decimals })).toThrow(`T decimals must be a whole number from 0 to 36, found ${decimals}.`)
  })
})

describe('isSameCurrency', () => {
  const usdt = createCurrency({ symbol: 'USDT', decimals: 6 })

  it('tells one unit from another by symbol, decimals, chain and address', () => {
    const mainnet = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
    expect(isSameCurrency(usdt, usdt)).toBe(true)
    expect(isSameCurrency(mainnet, createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdac17f958d2ee523a2206206994597c13d831ec7' }))).toBe(true)
    expect(isSameCurrency(mainnet, createCurrency({ symbol: 'USDT', decimals: 6, chain: 'arbitrum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' }))).toBe(false)
    expect(isSameCurrency(mainnet, createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0x0000000000000000000000000000000000000001' }))).toBe(false)
    expect(isSameCurrency(usdt, mainnet)).toBe(false)
    expect(isSameCurrency(usdt, createCurrency({ symbol: 'USDT', decimals: 18 }))).toBe(false)
    expect(isSameCurrency(usdt, createCurrency({ symbol: 'USDC', decimals: 6 }))).toBe(false)
  })
})
