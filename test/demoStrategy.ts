import { createEvmChains } from '../src/adapters/evm/createEvmChains.js'
import { loadSigner } from '../src/adapters/evm/loadSigner.js'
import { strategyConfigSchema } from '../src/config/schema.js'
import type { Strategy } from '../src/engine/Strategy.js'
import { createStrategy } from '../src/app/createStrategy.js'
import { loadVenueBuilders } from '../src/app/venues/loadVenueBuilders.js'
import { type DemoWorld, demoConfig } from '../src/app/createDemoWorld.js'
import { fixtureClock } from './fixtureMoney.js'

const KEY_ENV = 'DUST_TEST_KEY'

/** The demo's strategy on the world, through the real config schema, signer loading and composition root; `edit` changes the config first. */
export async function demoStrategy(world: DemoWorld, edit: (config: Record<string, unknown>) => void = () => {}): Promise<Strategy> {
  const input = demoConfig(world, KEY_ENV)
  edit(input)
  const config = strategyConfigSchema.parse(input)
  const signer = await loadSigner({ private_key_env: KEY_ENV, env: { [KEY_ENV]: world.walletKey } })
  return createStrategy({ config, clock: fixtureClock(Date.now()), chains: createEvmChains(), signer, venueBuilders: await loadVenueBuilders([config]) })
}
