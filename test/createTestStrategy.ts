import type { z } from 'zod'
import { type StrategyConfig, strategyConfigSchema } from '../src/config/schema.js'
import type { Strategy } from '../src/engine/Strategy.js'
import { createStrategy } from '../src/app/createStrategy.js'
import { loadVenueBuilders } from '../src/app/venues/loadVenueBuilders.js'
import type { Clock } from '../src/ports/index.js'
import { parseYaml } from '../src/config/parseYaml.js'
import { FIXTURE_CONFIG_YAML } from './fixtureConfig.js'
import { fixtureClock } from './fixtureMoney.js'

// Every venue type's builder, loaded once: tests edit the configuration's venues as they go.
const venueBuilders = await loadVenueBuilders()

/** A strategy configuration as written by hand, before the schema fills in its defaults. */
export type TestConfigInput = z.input<typeof strategyConfigSchema>

/**
 * The what-if portfolio (test/fixtureConfig.ts) as a plain object, read with the
 * project's own YAML reader so numbers stay exact strings: EIGEN 1,500 claimable at ether.fi
 * and 20 in the wallet at 1.25 USDT, ETHFI 800 at 0.95, equity 1,000,000 USDT, a static
 * binance book (10 bps taker fee) and static uniswap V2 pools, gas at 2.5 gwei.
 */
export function testConfigInput(): TestConfigInput {
  return parseYaml(FIXTURE_CONFIG_YAML, 'test/fixtureConfig.ts', {}).value as TestConfigInput
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
  const strategy = createStrategy({ config: testConfig(parameters.edit), clock: parameters.clock ?? fixtureClock(), venueBuilders })
  return parameters.override ? { ...strategy, ...parameters.override(strategy) } : strategy
}

/** The currency of a symbol in a strategy's registry; throws when the registry lacks it. */
export function currencyOf(strategy: Strategy, symbol: string) {
  const currency = strategy.registry.get(symbol)
  if (!currency) throw new Error(`test setup: ${symbol} is not in the registry of ${strategy.policy.mode}`)
  return currency
}
