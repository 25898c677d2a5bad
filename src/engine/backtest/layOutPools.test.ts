import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, USDT, WEETH, WETH } from '../../../test/fixtureMoney.js'
import { Fraction } from '../../domain/money/index.js'
import type { BacktestDexSettings } from './BacktestVenueSettings.js'
import { layOutPools } from './layOutPools.js'

const f = (text: string) => Fraction.fromDecimalString(text)
const E18 = 10n ** 18n
const TOKENS = { EIGEN, ETHFI, WETH, ETH, USDT, weETH: WEETH }
const DEX: BacktestDexSettings = { name: 'uniswap_v2', depthWeth: { EIGEN: f('500'), ETHFI: f('200'), USDT: f('10000') }, gas: { swap: 180_000n, extraHop: 70_000n } }
const FEES = { eigenWeth: new Fraction(30n), ethfiWeth: new Fraction(100n), ethUsdt: new Fraction(5n) }

describe('layOutPools', () => {
  it("lays out three pools at the hour's closes, each with the configured WETH depth and its file's fee", () => {
    const pools = layOutPools({ dex: DEX, tokens: TOKENS, closes: { eigenWeth: f('0.001'), ethfiWeth: f('0.0005'), ethUsdt: f('2000') }, feeBps: FEES })
    expect(pools.map((pool) => [pool.name, pool.token0.symbol, pool.token1.symbol, pool.reserve0, pool.reserve1, pool.feeBps.toDecimalString(0)])).toEqual([
      // 500 WETH and 500 / 0.001 = 500,000 EIGEN.
      ['uniswap_v2:EIGEN/WETH', 'EIGEN', 'WETH', 500_000n * E18, 500n * E18, '30'],
      // 200 WETH and 200 / 0.0005 = 400,000 ETHFI.
      ['uniswap_v2:ETHFI/WETH', 'ETHFI', 'WETH', 400_000n * E18, 200n * E18, '100'],
      // 10,000 WETH and 10,000 × 2,000 = 20,000,000 USDT (6 decimals).
      ['uniswap_v2:WETH/USDT', 'WETH', 'USDT', 10_000n * E18, 20_000_000n * 10n ** 6n, '5'],
    ])
  })

  it('rounds a reserve that is not a whole number of base units down', () => {
    const [eigen] = layOutPools({ dex: DEX, tokens: TOKENS, closes: { eigenWeth: f('0.0003'), ethfiWeth: f('0.0005'), ethUsdt: f('2000') }, feeBps: FEES })
    // 500 / 0.0003 = 1,666,666.666… EIGEN.
    expect(eigen?.reserve0).toBe(1_666_666_666_666_666_666_666_666n)
    expect(eigen?.reserve1).toBe(500n * E18)
  })
})
