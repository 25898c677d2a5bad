import type { Hex } from 'viem'
import type { LocalDeployer } from '../../adapters/localchain/createLocalDeployer.js'
import { execSafeTransaction } from '../../adapters/localchain/execSafeTransaction.js'
import { buildKeeperRole } from '../../adapters/zodiac/buildKeeperRole.js'
import { emptyRole, planRoleCalls } from '../../adapters/zodiac/planRoleCalls.js'
import { strategyConfigSchema } from '../../config/schema.js'
import { BaseError } from '../../errors/index.js'
import type { DemoWorld } from '../DemoWorld.js'
import { demoConfig } from '../demoConfig.js'
import { deriveKeeperNeeds } from './deriveKeeperNeeds.js'

/**
 * Applies, on the demo's local node, the role its keeper configuration needs: the permissions
 * `deriveKeeperNeeds` finds in `demoConfig`, planned from an empty role, executed by the Safe in
 * one transaction its owner signs (EIP-712), as a desk would sign what `dust keeper permissions` writes.
 */
export async function applyDemoKeeperRole(parameters: { world: DemoWorld; deployer: LocalDeployer }): Promise<{ hash: Hex; functions: number }> {
  const { world, deployer } = parameters
  const keeper = world.keeper
  if (!keeper) throw new BaseError('The demo world has no Safe: it was created without keeper mode.')
  const needs = deriveKeeperNeeds(strategyConfigSchema.parse(demoConfig(world, 'DUST_DEMO_KEY')), { file: 'the demo configuration' })
  const { role } = buildKeeperRole(needs)
  const calls = planRoleCalls({ current: emptyRole(role.key), next: role, roles: keeper.roles })
  const hash = await execSafeTransaction({ deployer, safe: keeper.safe, ownerKeys: [keeper.ownerKey], calls, multiSend: keeper.multiSend })
  return { hash, functions: needs.needs.length }
}
