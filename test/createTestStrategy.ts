import type { z } from 'zod'
import { type StrategyConfig, strategyConfigSchema } from '../src/config/schema.js'
import type { Strategy } from '../src/engine/Strategy.js'
import { createStrategy } from '../src/interfaces/createStrategy.js'
import type { Clock } from '../src/ports/index.js'
import { fixtureClock } from './fixtureMoney.js'

/** A strategy configuration as written by hand, before the schema fills in its defaults. */
export type TestConfigInput = z.input<typeof strategyConfigSchema>

/**
 * The what-if portfolio as a plain object: EIGEN 1,500 claimable at ether.fi and 20 in
 * the wallet at 1.25 USDT, ETHFI 800 at 0.95, equity 1,000,000 USDT, a static binance book
 * (10 bps taker fee) and static uniswap V2 pools, gas at 2.5 gwei.
 */
export function testConfigInput(): TestConfigInput {
  return {
    mode: 'usdt_test',
    share_class: 'USDT',
    asset: 'ETH',
    lst_type: 'weeth',
    staking_enabled: true,
    dust_delta: '0.002',
    dust_conversion_venue: 'binance',
    dust_conversion_path: ['EIGEN', 'USDT'],
    tokens: [
      { symbol: 'USDT', decimals: 6, address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
      { symbol: 'ETH', decimals: 18 },
      { symbol: 'WETH', decimals: 18, address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' },
      { symbol: 'EIGEN', decimals: 18, address: '0xec53bF9167f50cDEB3Ae105f56099aaaB9A17E5c' },
      { symbol: 'ETHFI', decimals: 18, address: '0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB' },
      { symbol: 'weETH', decimals: 18, address: '0xCd5fE23C85820F7B72D0926FC9b05b43E359b7ee' },
    ],
    venues: {
      etherfi: { type: 'static', source: 'claimable_rewards', balances: { EIGEN: '1500' } },
      wallet: { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800' } },
      binance: {
        type: 'static_cex',
        taker_fee_bps: '10',
        markets: {
          'EIGEN/USDT': { min_notional: '5', amount_step: '0.01', bids: [['1.249', '1000'], ['1.247', '5000']], asks: [['1.251', '1000']] },
          'ETHFI/USDT': { min_notional: '5', amount_step: '0.1', bids: [['0.949', '500'], ['0.948', '5000']], asks: [['0.951', '1000']] },
          'ETH/USDT': { min_notional: '5', amount_step: '0.0001', bids: [['2499.5', '10']], asks: [['2500.5', '10']] },
        },
      },
      uniswap: {
        type: 'static_amm',
        pools: [
          { tokens: ['EIGEN', 'WETH'], reserves: ['400000', '200'] },
          { tokens: ['ETHFI', 'WETH'], reserves: ['500000', '190'] },
          { tokens: ['WETH', 'USDT'], reserves: ['2000', '5000000'] },
        ],
      },
    },
    prices: [{ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500' } }],
    equity: { type: 'static', value: '1000000' },
    gas_price: { ethereum: { type: 'static', gwei: '2.5' } },
  }
}

/** Validates a configuration object with the real schema. */
export function testConfig(edit?: (config: TestConfigInput) => void): StrategyConfig {
  const input = testConfigInput()
  edit?.(input)
  return strategyConfigSchema.parse(input)
}

export type CreateTestStrategyParameters = {
  /** Changes the configuration object before it is validated. */
  edit?: ((config: TestConfigInput) => void) | undefined
  /** Replaces parts of the wired strategy (a failing source, a venue that throws). */
  override?: ((strategy: Strategy) => Partial<Strategy>) | undefined
  /** The clock static prices are stamped with; the fixed fixture clock unless given. */
  clock?: Clock | undefined
}

/** Builds a strategy from the test configuration through the real composition root. */
export function createTestStrategy(parameters: CreateTestStrategyParameters = {}): Strategy {
  const strategy = createStrategy({ config: testConfig(parameters.edit), clock: parameters.clock ?? fixtureClock() })
  return parameters.override ? { ...strategy, ...parameters.override(strategy) } : strategy
}

/** The currency of a symbol in a strategy's registry; throws when the registry lacks it. */
export function currencyOf(strategy: Strategy, symbol: string) {
  const currency = strategy.registry.get(symbol)
  if (!currency) throw new Error(`test setup: ${symbol} is not in the registry of ${strategy.policy.mode}`)
  return currency
}
