import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ETH, USDT, fixturePolicy } from '../../../test/fixtureMoney.js'
import { classifyToken } from './classifyToken.js'

describe('classifyToken', () => {
  const policy = fixturePolicy()

  it('knows the share class, the asset and the configured LSTs', () => {
    expect(classifyToken(policy, 'USDT')).toBe('share_class')
    expect(classifyToken(policy, 'ETH')).toBe('asset')
    expect(classifyToken(policy, 'wstETH')).toBe('lst')
  })

  it('matches an LST without regard to case, so lst_type "weeth" covers the weETH token', () => {
    expect(classifyToken(policy, 'weETH')).toBe('lst')
    expect(classifyToken(policy, 'WEETH')).toBe('lst')
    expect(classifyToken(policy, 'WSTETH')).toBe('lst')
  })

  it('counts WETH as ETH: the asset of a USDT strategy, the share class of an ETH one', () => {
    expect(classifyToken(policy, 'WETH')).toBe('asset')
    expect(classifyToken(fixturePolicy({ shareClass: ETH, asset: ETH }), 'WETH')).toBe('share_class')
  })

  it('calls every other token dust, reward tokens and tokens nobody has heard of alike', () => {
    expect(classifyToken(policy, 'EIGEN')).toBe('dust')
    expect(classifyToken(policy, 'ETHFI')).toBe('dust')
    expect(classifyToken(policy, 'ZRO')).toBe('dust')
    // Case matters for everything but LSTs: "usdt" is not the share class.
    expect(classifyToken(policy, 'usdt')).toBe('dust')
  })

  it('keeps ignored tokens out, even one that would otherwise be the asset', () => {
    expect(classifyToken(policy, 'SPAM')).toBe('ignored')
    expect(classifyToken(fixturePolicy({ ignored: new Set(['WETH']) }), 'WETH')).toBe('ignored')
  })

  it('follows the policy: with no LSTs and no equivalents, weETH and WETH are dust', () => {
    const bare = fixturePolicy({ lsts: new Set(), equivalents: new Map(), ignored: new Set(), shareClass: USDT })
    expect(classifyToken(bare, 'weETH')).toBe('dust')
    expect(classifyToken(bare, 'WETH')).toBe('dust')
  })

  it('calls dust any symbol that is none of the known ones (property)', () => {
    const known = new Set(['usdt', 'eth', 'weth', 'weeth', 'wsteth', 'spam'])
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{1,12}$/).filter((symbol) => !known.has(symbol.toLowerCase())),
        (symbol) => {
          expect(classifyToken(policy, symbol)).toBe('dust')
        },
      ),
    )
  })
})
