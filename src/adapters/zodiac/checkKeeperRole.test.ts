import { type Address, type Hex, encodeFunctionData, getAddress, parseAbi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Role, type Target, c, callsPlannedForApplyRole, encodeCalls, encodeKey, processPermissions } from 'zodiac-roles-sdk'
import { UsageError } from '../../errors/index.js'
import { type LocalDeployer, createLocalDeployer } from '../localchain/createLocalDeployer.js'
import { deploySafeWithRoles, type SafeWithRoles } from '../localchain/deploySafeWithRoles.js'
import { execSafeTransaction } from '../localchain/execSafeTransaction.js'
import { artifacts } from '../localchain/npmArtifact.js'
import { type LocalChain, startLocalChain } from '../localchain/startLocalChain.js'
import { type KeeperRoleDifference, checkKeeperRole } from './checkKeeperRole.js'
import { type RolesState, readRolesState } from './readRolesState.js'

const ROLE = encodeKey('dust-keeper')
const SAFE = getAddress('0x5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe')
const ROLES = getAddress('0x7070707070707070707070707070707070707070')
const OWNER = getAddress('0x0aaa0aaa0aaa0aaa0aaa0aaa0aaa0aaa0aaa0aaa')
const KEEPER = getAddress('0x0bbb0bbb0bbb0bbb0bbb0bbb0bbb0bbb0bbb0bbb')
const TOKEN = getAddress('0x1010101010101010101010101010101010101010')
const ROUTER = getAddress('0x2020202020202020202020202020202020202020')
const DEPOSIT = getAddress('0x3030303030303030303030303030303030303030')
const OTHER = getAddress('0x4040404040404040404040404040404040404040')
const APPROVE: Hex = '0x095ea7b3'
const TRANSFER: Hex = '0xa9059cbb'

/** The role the config needs: approve to the router and transfer to the deposit address, on the token. */
const targetsFor = (spender: Address, extra: Parameters<typeof processPermissions>[0] = []): Target[] =>
  processPermissions([
    { targetAddress: TOKEN, signature: 'approve(address,uint256)', condition: c.calldataMatches([spender], ['address', 'uint256']) },
    { targetAddress: TOKEN, signature: 'transfer(address,uint256)', condition: c.calldataMatches([DEPOSIT], ['address', 'uint256']) },
    ...extra,
  ]).targets
const needed: Role = { key: ROLE, members: [KEEPER], targets: targetsFor(ROUTER), annotations: [], lastUpdate: 0 }

/** The chain as it should be: the modifier owned by and acting for the Safe, the keeper a member of the needed role and nothing else. */
const stateWith = (changes: Omit<Partial<RolesState>, 'role'> & { role?: Partial<Role> } = {}): RolesState => ({
  roles: ROLES,
  safe: SAFE,
  block: 100n,
  fromBlock: 1n,
  modifier: { avatar: SAFE, target: SAFE, owner: SAFE },
  safeOwners: [OWNER],
  safeThreshold: 1n,
  rolesEnabled: true,
  safeModules: [ROLES],
  memberships: [{ member: KEEPER, roleKey: ROLE }],
  defaultRoles: [],
  logs: 5,
  setUpBlock: 1n,
  ...changes,
  role: { ...needed, lastUpdate: 90, ...changes.role },
})

const check = (state: RolesState, labels?: Record<string, string>) => checkKeeperRole({ state, needed, safe: SAFE, keeper: KEEPER, roleName: 'dust-keeper', labels })
const codes = (differences: KeeperRoleDifference[]) => differences.map((difference) => [difference.code, difference.danger])

describe('checkKeeperRole', () => {
  it('finds no difference when the chain holds exactly what the config needs', () => {
    expect(check(stateWith())).toEqual([])
  })

  it('compares addresses and selectors whatever their case', () => {
    const checksummed = needed.targets.map((target) => ({
      ...target,
      address: getAddress(target.address),
      functions: target.functions.map((fn) => ({ ...fn, selector: fn.selector.toUpperCase().replace('0X', '0x') as Hex })),
    }))
    expect(check(stateWith({ role: { targets: checksummed, key: ROLE.toUpperCase().replace('0X', '0x') as Hex } }))).toEqual([])
  })

  it('names a modifier that acts for, sends through or is owned by another account, and a module the Safe has not enabled', () => {
    const differences = check(stateWith({ modifier: { avatar: OTHER, target: OTHER, owner: OTHER }, rolesEnabled: false }))
    expect(codes(differences)).toEqual([
      ['modifier_avatar_not_safe', true],
      ['modifier_target_not_safe', true],
      ['modifier_owner_not_safe', true],
      ['roles_module_not_enabled', false],
    ])
    expect(differences[2]?.words).toBe(
      `The Roles modifier ${ROLES} is owned by ${OTHER}, not by the Safe ${SAFE}: whoever holds ${OTHER} can rewrite the role "dust-keeper" without the Safe's owners.`,
    )
    expect(differences[3]?.words).toBe(`The Safe ${SAFE} has not enabled the Roles modifier ${ROLES} as a module: every call through the role "dust-keeper" will fail.`)
  })

  it('names a keeper that owns the Safe or is a module of its own: it could bypass the role', () => {
    const differences = check(stateWith({ safeOwners: [OWNER, KEEPER], safeThreshold: 1n, safeModules: [KEEPER, ROLES] }))
    expect(codes(differences)).toEqual([
      ['keeper_is_safe_owner', true],
      ['keeper_is_safe_module', true],
    ])
    expect(differences[0]?.words).toBe(`The keeper ${KEEPER} is an owner of the Safe ${SAFE} (threshold 1 of 2): alone it can sign any Safe transaction, bypassing the role "dust-keeper".`)
    expect(check(stateWith({ safeOwners: [OWNER, KEEPER, OTHER], safeThreshold: 2n }))[0]?.words).toBe(
      `The keeper ${KEEPER} is an owner of the Safe ${SAFE} (threshold 2 of 3): with 1 other owner signature(s) it can sign any Safe transaction, bypassing the role "dust-keeper".`,
    )
  })

  it('names logs read from after the modifier was set up, and a module of the Safe the config does not use', () => {
    const differences = check(stateWith({ setUpBlock: undefined, safeModules: [OTHER, ROLES] }))
    expect(differences).toEqual([
      {
        code: 'role_history_incomplete',
        danger: true,
        words: `The Roles modifier ${ROLES} was not set up between blocks 1 and 100: changes to the role "dust-keeper" made before block 1 were not read, so it may allow more than shown; read from the block the modifier was deployed in.`,
      },
      {
        code: 'safe_has_other_module',
        danger: false,
        module: OTHER,
        words: `The Safe ${SAFE} also has ${OTHER} enabled as a module, which the config does not use: a module can move anything the Safe holds, and this check cannot tell who controls it.`,
      },
    ])
  })

  it('names a keeper outside the role, holding another role, or with a default role', () => {
    const treasurer = encodeKey('treasurer')
    const differences = check(
      stateWith({
        role: { members: [] },
        memberships: [{ member: KEEPER, roleKey: treasurer }],
        defaultRoles: [
          { module: OTHER, roleKey: treasurer },
          { module: KEEPER, roleKey: treasurer },
        ],
      }),
    )
    expect(codes(differences)).toEqual([
      ['keeper_not_member', false],
      ['keeper_holds_other_role', true],
      ['keeper_has_default_role', true],
    ])
    expect(differences.map((difference) => difference.words)).toEqual([
      `The keeper ${KEEPER} is not a member of the role "dust-keeper": the modifier will refuse its calls (NoMembership).`,
      `The keeper ${KEEPER} is also a member of role "treasurer", which the config does not give it: it can do whatever that role allows.`,
      `The keeper ${KEEPER} has role "treasurer" as its default role: its execTransactionFromModule calls run with it, and the config does not give it that role.`,
    ])
    // A default role that is the keeper's own role grants nothing more, but is still not what the config sets up.
    expect(codes(check(stateWith({ defaultRoles: [{ module: KEEPER, roleKey: ROLE }] })))).toEqual([['keeper_has_default_role', false]])
  })

  it('names a member the config does not name, and one it needs that is missing', () => {
    const withOther = checkKeeperRole({ state: stateWith({ role: { members: [KEEPER, OTHER] } }), needed, safe: SAFE, keeper: KEEPER, roleName: 'dust-keeper' })
    expect(withOther).toEqual([
      {
        code: 'member_not_needed',
        danger: true,
        member: OTHER,
        words: `${OTHER} is a member of the role "dust-keeper" but the config does not name it: it can do whatever the role allows.`,
      },
    ])
    const twoNeeded = checkKeeperRole({ state: stateWith(), needed: { ...needed, members: [KEEPER, OTHER] }, safe: SAFE, keeper: KEEPER, roleName: 'dust-keeper' })
    expect(codes(twoNeeded)).toEqual([['member_missing', false]])
  })

  it('names a missing function, a condition that differs and a function allowed with any arguments, with the labels given', () => {
    const labels = { [TOKEN.toLowerCase()]: 'EIGEN', [APPROVE]: 'approve(address,uint256)', [TRANSFER]: 'transfer(address,uint256)' }
    const token = needed.targets.find((target) => target.address === TOKEN.toLowerCase())
    if (token === undefined) throw new Error('The needed role has no token target.')
    const otherSpender = targetsFor(OTHER)
    const onlyApprove = otherSpender.map((target) => ({ ...target, functions: target.functions.filter((fn) => fn.selector === APPROVE) }))
    const differences = check(stateWith({ role: { targets: onlyApprove } }), labels)
    expect(differences).toEqual([
      {
        code: 'condition_differs',
        danger: true,
        target: TOKEN.toLowerCase(),
        selector: APPROVE,
        words: `The role "dust-keeper" allows ${APPROVE} (approve(address,uint256)) on ${TOKEN.toLowerCase()} (EIGEN) under other conditions than the config needs: it may allow arguments the config does not, and refuse some it needs.`,
      },
      {
        code: 'function_missing',
        danger: false,
        target: TOKEN.toLowerCase(),
        selector: TRANSFER,
        words: `The config needs ${TRANSFER} (transfer(address,uint256)) on ${TOKEN.toLowerCase()} (EIGEN), but the role "dust-keeper" does not allow it.`,
      },
    ])
    const wildcarded = token.functions.map((fn) => (fn.selector === APPROVE ? { selector: APPROVE, executionOptions: fn.executionOptions, wildcarded: true } : fn))
    expect(codes(check(stateWith({ role: { targets: [{ ...token, functions: wildcarded }] } })))).toEqual([['function_wildcarded', true]])
  })

  it('names a target allowed whole, a target and a function the config does not need, and ether the config does not send', () => {
    const token = needed.targets.find((target) => target.address === TOKEN.toLowerCase())
    if (token === undefined) throw new Error('The needed role has no token target.')
    const extra = targetsFor(ROUTER, [
      { targetAddress: ROUTER, signature: 'multicall(bytes[])' },
      { targetAddress: TOKEN, signature: 'transferFrom(address,address,uint256)', send: true },
    ])
    // Sorted by target, each target's own difference before its functions'.
    const extraDifferences = check(stateWith({ role: { targets: extra } })).map(({ code, target, selector }) => [code, target, selector])
    expect(extraDifferences).toEqual([
      ['function_not_needed', TOKEN.toLowerCase(), '0x23b872dd'],
      ['target_not_needed', ROUTER.toLowerCase(), undefined],
      ['function_not_needed', ROUTER.toLowerCase(), '0xac9650d8'],
    ])
    const whole: Target[] = [{ ...token, clearance: 1, executionOptions: 0 }]
    expect(check(stateWith({ role: { targets: whole } }))).toEqual([
      {
        code: 'target_allowed_whole',
        danger: true,
        target: TOKEN.toLowerCase(),
        words: `The role "dust-keeper" allows ${TOKEN.toLowerCase()} whole: the keeper can call any function on it with any arguments, where the config needs only some functions under conditions.`,
      },
    ])
    const sending = [{ ...token, functions: token.functions.map((fn) => ({ ...fn, executionOptions: 1 })) }]
    expect(codes(check(stateWith({ role: { targets: sending } })))).toEqual([
      ['execution_options_differ', true],
      ['execution_options_differ', true],
    ])
  })

  it('names a permission kept on a revoked target, which comes back if the target is scoped again', () => {
    const revoked: Target = { address: ROUTER.toLowerCase() as Address, clearance: 0, executionOptions: 0, functions: [{ selector: '0xac9650d8', executionOptions: 0, wildcarded: true }] }
    expect(check(stateWith({ role: { targets: [...needed.targets, revoked] } }))).toEqual([
      {
        code: 'function_not_needed',
        danger: true,
        target: ROUTER.toLowerCase(),
        selector: '0xac9650d8',
        words: `The role "dust-keeper" keeps a permission for 0xac9650d8 on ${ROUTER.toLowerCase()}, which the config does not need: the target is not allowed now, but the permission comes back into force if the target is scoped again.`,
      },
    ])
  })

  it('names what a config needing a target whole or a function with any arguments finds narrower on chain', () => {
    const wide: Role = {
      ...needed,
      targets: processPermissions([
        { targetAddress: TOKEN, signature: 'approve(address,uint256)' },
        { targetAddress: ROUTER, send: true },
      ]).targets,
    }
    const narrow = processPermissions([
      { targetAddress: TOKEN, signature: 'approve(address,uint256)', condition: c.calldataMatches([ROUTER], ['address', 'uint256']) },
      { targetAddress: ROUTER },
    ]).targets
    const run = (targets: Target[]) => checkKeeperRole({ state: stateWith({ role: { targets } }), needed: wide, safe: SAFE, keeper: KEEPER, roleName: 'dust-keeper' })
    expect(run(narrow).map(({ code, danger, words }) => [code, danger, words])).toEqual([
      ['condition_differs', false, `The role "dust-keeper" allows ${APPROVE} on ${TOKEN.toLowerCase()} only under conditions, where the config needs it with any arguments.`],
      ['execution_options_differ', false, `The role "dust-keeper" allows ${ROUTER.toLowerCase()} whole with no ether and no delegate call; the config needs sending ether.`],
    ])
    const scopedRouter = narrow.map((target) => (target.address === ROUTER.toLowerCase() ? { ...target, clearance: 2 as const, executionOptions: 0 as const } : target))
    expect(run(scopedRouter).map(({ code, words }) => [code, words])[1]).toEqual([
      'target_missing',
      `The config needs ${ROUTER.toLowerCase()} allowed whole, but the role "dust-keeper" has it scoped to some of its functions.`,
    ])
  })

  it('names a target the config needs that the chain lacks', () => {
    expect(codes(check(stateWith({ role: { targets: [] } })))).toEqual([
      ['target_missing', false],
      ['function_missing', false],
      ['function_missing', false],
    ])
  })

  it('refuses to compare the state of another role', () => {
    expect(() => check(stateWith({ role: { key: encodeKey('treasurer') } }))).toThrow(UsageError)
    expect(() => check(stateWith({ role: { key: encodeKey('treasurer') } }))).toThrow(
      'The role read from the chain is "treasurer" but the role to check is "dust-keeper": read the state of the role the config names.',
    )
  })
})

describe('checkKeeperRole on a role applied through a Safe on the local node', () => {
  let chain: LocalChain
  let deployer: LocalDeployer
  let ownerKey: Hex
  let keeperKey: Hex
  let keeper: Address
  let fromBlock: bigint
  const spender = getAddress('0x5151515151515151515151515151515151515151')
  const otherSpender = getAddress('0x6161616161616161616161616161616161616161')
  const recipient = getAddress('0x7171717171717171717171717171717171717171')
  const stranger = getAddress('0x8181818181818181818181818181818181818181')

  beforeAll(async () => {
    chain = await startLocalChain()
    const [deployerKey, owner, keeperAccount] = chain.accounts
    if (deployerKey === undefined || owner === undefined || keeperAccount === undefined) throw new Error('The local node funds fewer than three accounts.')
    ownerKey = owner
    keeperKey = keeperAccount
    keeper = privateKeyToAccount(keeperKey).address
    deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: deployerKey })
    fromBlock = await deployer.client.getBlockNumber()
  }, 60_000)

  afterAll(async () => {
    await chain?.stop()
  })

  /** approve(spender, any) and transfer(recipient, any) on the token, for the keeper. */
  const roleFor = (token: Address, approveTo: Address, extra: Parameters<typeof processPermissions>[0] = []): Role => ({
    key: ROLE,
    members: [keeper],
    targets: processPermissions([
      { targetAddress: token, signature: 'approve(address,uint256)', condition: c.calldataMatches([approveTo], ['address', 'uint256']) },
      { targetAddress: token, signature: 'transfer(address,uint256)', condition: c.calldataMatches([recipient], ['address', 'uint256']) },
      ...extra,
    ]).targets,
    annotations: [],
    lastUpdate: 0,
  })
  const empty: Role = { key: ROLE, members: [], targets: [], annotations: [], lastUpdate: 0 }
  const apply = (deployed: SafeWithRoles, ownerKeys: readonly Hex[], current: Role, next: Role) =>
    execSafeTransaction({
      deployer,
      safe: deployed.safe,
      ownerKeys,
      calls: encodeCalls(callsPlannedForApplyRole(current, next), deployed.roles).map((call) => ({ to: getAddress(call.to), value: 0n, data: call.data })),
      multiSend: deployed.multiSend,
    })
  const read = (deployed: SafeWithRoles) => readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock })

  it('finds nothing when the chain holds the needed role, then names a changed condition and an extra target allowed whole', async () => {
    const deployed = await deploySafeWithRoles({ deployer, ownerKeys: [ownerKey] })
    const token = await deployer.deploy(artifacts.testErc20(), ['Eigen', 'EIGEN', 10n ** 24n])
    const needed = roleFor(token, spender)
    await apply(deployed, [ownerKey], empty, needed)

    const applied = await read(deployed)
    expect(callsPlannedForApplyRole(applied.role, needed)).toEqual([])
    expect(checkKeeperRole({ state: applied, needed, safe: deployed.safe, keeper, roleName: 'dust-keeper' })).toEqual([])

    // Someone with the Safe's keys lets the keeper approve another spender, and call a contract whole.
    const changed = roleFor(token, otherSpender, [{ targetAddress: stranger }])
    await apply(deployed, [ownerKey], applied.role, changed)
    const differences = checkKeeperRole({ state: await read(deployed), needed, safe: deployed.safe, keeper, roleName: 'dust-keeper', labels: { [token.toLowerCase()]: 'EIGEN' } })
    // In the order of their targets' addresses, which depend on the deployment.
    expect(differences).toHaveLength(2)
    expect(differences).toEqual(
      expect.arrayContaining([
        {
          code: 'condition_differs',
          danger: true,
          target: token.toLowerCase(),
          selector: '0x095ea7b3',
          words: `The role "dust-keeper" allows 0x095ea7b3 on ${token.toLowerCase()} (EIGEN) under other conditions than the config needs: it may allow arguments the config does not, and refuse some it needs.`,
        },
        {
          code: 'target_allowed_whole',
          danger: true,
          target: stranger.toLowerCase(),
          words: `The role "dust-keeper" has ${stranger.toLowerCase()} allowed whole, but the config needs nothing on it.`,
        },
      ]),
    )
  })

  it('names a modifier owned by someone else, and a keeper that owns the Safe or is a module of it', async () => {
    const deployed = await deploySafeWithRoles({ deployer, ownerKeys: [ownerKey, keeperKey], threshold: 1 })
    const token = await deployer.deploy(artifacts.testErc20(), ['Eigen', 'EIGEN', 10n ** 24n])
    const needed = roleFor(token, spender)
    await apply(deployed, [ownerKey], empty, needed)
    await execSafeTransaction({
      deployer,
      safe: deployed.safe,
      ownerKeys: [ownerKey],
      calls: [
        { to: deployed.safe, value: 0n, data: encodeFunctionData({ abi: parseAbi(['function enableModule(address module)']), functionName: 'enableModule', args: [keeper] }) },
        { to: deployed.roles, value: 0n, data: encodeFunctionData({ abi: parseAbi(['function transferOwnership(address newOwner)']), functionName: 'transferOwnership', args: [stranger] }) },
      ],
      multiSend: deployed.multiSend,
    })

    const differences = checkKeeperRole({ state: await read(deployed), needed, safe: deployed.safe, keeper, roleName: 'dust-keeper' })
    expect(differences.map((difference) => difference.code)).toEqual(['modifier_owner_not_safe', 'keeper_is_safe_owner', 'keeper_is_safe_module'])
    expect(differences[0]?.words).toBe(
      `The Roles modifier ${deployed.roles} is owned by ${stranger}, not by the Safe ${deployed.safe}: whoever holds ${stranger} can rewrite the role "dust-keeper" without the Safe's owners.`,
    )
    expect(differences[1]?.words).toBe(`The keeper ${keeper} is an owner of the Safe ${deployed.safe} (threshold 1 of 2): alone it can sign any Safe transaction, bypassing the role "dust-keeper".`)
  })
})
