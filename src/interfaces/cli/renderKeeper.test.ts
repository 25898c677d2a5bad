import { describe, expect, it } from 'vitest'
import { DEMO, KEEPER, ROLES, SAFE, demoRolesConfig } from '../../../test/fixtureKeeperConfigs.js'
import { demoNeededRole, fixtureRolesState } from '../../../test/fixtureRolesState.js'
import { checkKeeper } from '../../app/keeper/checkKeeper.js'
import { planKeeperPermissions } from '../../app/keeper/planKeeperPermissions.js'
import { renderKeeperCheck, renderKeeperPermissions, serializeKeeperCheck, serializeKeeperPermissions } from './renderKeeper.js'

const KEY = '0x647573742d6b6565706572000000000000000000000000000000000000000000'
const HEADER = [`Keeper role "dust-keeper" (${KEY}) on local (chain 31337)`, `  keeper    ${KEEPER}`, `  Safe      ${SAFE}`, `  modifier  ${ROLES}`]

describe('renderKeeperCheck and serializeKeeperCheck', () => {
  it('says there is no difference, and ok in JSON', () => {
    const state = fixtureRolesState(demoNeededRole())
    const { needs, differences } = checkKeeper({ config: demoRolesConfig(), state })
    expect(renderKeeperCheck({ needs, state, differences })).toBe(
      [...HEADER, "  read at block 100 (the role's history from block 0)", '', 'No difference: the chain holds exactly the role the configuration needs.'].join('\n'),
    )
    expect(serializeKeeperCheck({ needs, state, differences })).toEqual({
      ok: true,
      chain_id: 31337,
      chain: 'local',
      safe: SAFE,
      roles_modifier: ROLES,
      role: { name: 'dust-keeper', key: KEY },
      keeper: KEEPER,
      read_at_block: '100',
      differences: [],
    })
  })

  it('marks dangerous differences, sums them up, and gives each with checksummed addresses in JSON', () => {
    const needed = demoNeededRole()
    const onChain = {
      ...needed,
      targets: needed.targets.map((target) => (target.address.toLowerCase() === DEMO.EIGEN.toLowerCase() ? { ...target, functions: target.functions.slice(1) } : target)),
    }
    const state = fixtureRolesState(onChain, { safeOwners: [KEEPER], rolesEnabled: false, safeModules: [] })
    const { needs, differences } = checkKeeper({ config: demoRolesConfig(), state })
    expect(differences.map((difference) => difference.code)).toEqual(['roles_module_not_enabled', 'keeper_is_safe_owner', 'function_missing'])
    const lines = renderKeeperCheck({ needs, state, differences }).split('\n')
    expect(lines.slice(5)).toEqual([
      '',
      `  [differs] ${differences[0]?.words}`,
      `  [danger]  ${differences[1]?.words}`,
      `  [differs] ${differences[2]?.words}`,
      '',
      '3 differences (1 dangerous): the chain does not hold the role the configuration needs. `dust keeper permissions` writes the Safe transaction that puts the role right.',
    ])
    const json = serializeKeeperCheck({ needs, state, differences })
    expect(json.ok).toBe(false)
    expect(json.differences).toEqual([
      { code: 'roles_module_not_enabled', danger: false, words: differences[0]?.words },
      { code: 'keeper_is_safe_owner', danger: true, words: differences[1]?.words },
      { code: 'function_missing', danger: false, words: differences[2]?.words, target: DEMO.EIGEN, selector: '0x095ea7b3' },
    ])
  })
})

describe('renderKeeperPermissions and serializeKeeperPermissions', () => {
  it('says the role matches and gives no transaction, but lists what the transaction could not change', () => {
    const state = fixtureRolesState(demoNeededRole(), { safeOwners: [KEEPER] })
    const plan = planKeeperPermissions({ config: demoRolesConfig(), state, nonce: 2n })
    const text = renderKeeperPermissions(plan, state)
    expect(text.split('\n').slice(0, 5)).toEqual([...HEADER, "  read at block 100 (the role's history from block 0); the modifier is enabled on the Safe"])
    expect(text).toContain('\nThe role on chain already matches the configuration: no transaction to sign.\n\nNot changed by this transaction (fix by hand):\n  [danger]  The keeper ')
    expect(text).not.toContain('safeTxHash')
    const json = serializeKeeperPermissions(plan, state, 1_700_000_000_000)
    expect({ ...json, review: undefined, other_differences: undefined }).toEqual({
      chain_id: 31337,
      chain: 'local',
      safe: SAFE,
      roles_modifier: ROLES,
      role: { name: 'dust-keeper', key: KEY },
      keeper: KEEPER,
      read_at_block: '100',
      assumed_empty: false,
      matches: true,
      review: undefined,
      calls: [],
      safe_transaction: null,
      transaction_builder: null,
      other_differences: undefined,
    })
    expect(json.review).toEqual(plan.review)
    expect((json.other_differences as Array<{ code: string }>).map((difference) => difference.code)).toEqual(['keeper_is_safe_owner'])
  })

  it('gives a single call as a plain CALL, its value and nonce as decimal strings, and the Transaction Builder batch its one call', () => {
    const state = fixtureRolesState(demoNeededRole(), { rolesEnabled: false, safeModules: [] })
    const plan = planKeeperPermissions({ config: demoRolesConfig(), state, nonce: 12n })
    const text = renderKeeperPermissions(plan, state)
    expect(text).toContain(`\nCalls the Safe makes (1):\n  1. enableModule ${ROLES} on the Safe ${SAFE}: `)
    expect(text).toContain(`\n  to          ${SAFE}\n  operation   0 (CALL)\n  value       0\n  data        36 bytes\n  nonce       12\n`)
    const json = serializeKeeperPermissions(plan, state, 1_700_000_000_000) as Record<string, Record<string, unknown>>
    expect(json.safe_transaction).toMatchObject({ to: SAFE, value: '0', operation: 0, nonce: '12', safe_tx_hash: plan.transaction?.safeTxHash })
    expect(json.transaction_builder).toMatchObject({ chainId: '31337', createdAt: 1_700_000_000_000, transactions: [{ to: SAFE, value: '0', data: plan.calls[0]?.data }] })
  })
})
