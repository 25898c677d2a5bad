import { describe, expect, it } from 'vitest'
import { fakeDemoWorld } from '../../../test/fixtureKeeperConfigs.js'
import { createLocalDeployer } from '../../adapters/localchain/createLocalDeployer.js'
import { applyDemoKeeperRole } from './applyDemoKeeperRole.js'

// Applying the role on a deployed world is shown by keeperOnChain.test.ts (createDemoWorld calls it in keeper mode).
describe('applyDemoKeeperRole', () => {
  it('refuses a world created without keeper mode, before anything is sent', async () => {
    const deployer = createLocalDeployer({ rpcUrl: 'http://127.0.0.1:1', chainId: 31337, privateKey: `0x${'11'.repeat(32)}` })
    await expect(applyDemoKeeperRole({ world: fakeDemoWorld({ keeper: false }), deployer })).rejects.toThrow('The demo world has no Safe: it was created without keeper mode.')
  })
})
