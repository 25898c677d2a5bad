import { describe, expect, it } from 'vitest'
import { KEEPER, ROLES, SAFE, fakeDemoWorld } from '../../test/fixtureKeeperConfigs.js'
import { strategyConfigSchema } from '../config/schema.js'
import { demoConfig } from './demoConfig.js'

describe('demoConfig', () => {
  it("signs with the wallet's own key, its wallet venue named wallet", () => {
    const config = strategyConfigSchema.parse(demoConfig(fakeDemoWorld({ keeper: false }), 'DUST_DEMO_KEY'))
    expect(config.execution.signer).toEqual({ private_key_env: 'DUST_DEMO_KEY' })
    expect(config.venues.wallet).toMatchObject({ type: 'evm_wallet', address: KEEPER })
    expect(config.venues).not.toHaveProperty('safe')
  })

  it('in keeper mode, reads the Safe and signs as its keeper through the Roles modifier, on the local chain', () => {
    const config = strategyConfigSchema.parse(demoConfig(fakeDemoWorld({ keeper: true }), 'DUST_DEMO_KEY'))
    expect(config.execution.signer).toEqual({
      type: 'roles',
      private_key_env: 'DUST_DEMO_KEY',
      chain: 'local',
      safe: SAFE,
      roles_modifier: ROLES,
      role: 'dust-keeper',
      keeper: KEEPER,
      multi_send: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
      roles_from_block: 0,
    })
    expect(config.venues.safe).toMatchObject({ type: 'evm_wallet', address: SAFE })
    expect(config.venues.etherfi_eigen).toMatchObject({ account: SAFE })
  })
})
