import { createEvmChains } from '../adapters/evm/createEvmChains.js'
import { loadSigner } from '../adapters/evm/loadSigner.js'
import { checkStrategyConfig } from '../config/checkStrategyConfig.js'
import { strategyConfigSchema } from '../config/schema.js'
import type { Strategy } from '../engine/Strategy.js'
import { BaseError } from '../errors/index.js'
import type { Clock } from '../ports/index.js'
import { type DemoWorld, demoConfig } from './createDemoWorld.js'
import { createStrategy } from './createStrategy.js'
import { loadVenueBuilders } from './venues/loadVenueBuilders.js'

/** The variable the demo's signer key is read from. */
const SIGNER_ENV = 'DUST_DEMO_KEY'

/**
 * Builds the demo's strategy for a deployed world: its configuration checked as a file's would
 * be, signing with the world's wallet key, in paper mode on the local node.
 *
 * Throws `BaseError` when the demo configuration does not check.
 */
export async function createDemoStrategy(parameters: { world: DemoWorld; clock: Clock }): Promise<Strategy> {
  const { world, clock } = parameters
  const config = strategyConfigSchema.parse(demoConfig(world, SIGNER_ENV))
  const issues = checkStrategyConfig(config)
  if (issues.length > 0) throw new BaseError('The demo configuration does not check.', { details: issues.map((issue) => `${issue.path}: expected ${issue.expected}, found ${issue.found}`).join('\n') })
  const signer = await loadSigner({ private_key_env: SIGNER_ENV, env: { [SIGNER_ENV]: world.walletKey }, file: 'the demo configuration' })
  return createStrategy({ config, clock, chains: createEvmChains(), signer, venueBuilders: await loadVenueBuilders([config]) })
}
