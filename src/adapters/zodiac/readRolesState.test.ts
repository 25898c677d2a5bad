import { type Address, type Hex, HttpRequestError, type PublicClient, RpcRequestError, createPublicClient, custom, encodeFunctionData, getAddress, pad, parseAbi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Role, c, callsPlannedForApplyRole, encodeCalls, encodeKey, processPermissions } from 'zodiac-roles-sdk'
import { SourceError } from '../../errors/index.js'
import { type LocalDeployer, createLocalDeployer } from '../localchain/createLocalDeployer.js'
import { deploySafeWithRoles, type SafeWithRoles } from '../localchain/deploySafeWithRoles.js'
import { execSafeTransaction } from '../localchain/execSafeTransaction.js'
import { artifacts } from '../localchain/npmArtifact.js'
import { type LocalChain, startLocalChain } from '../localchain/startLocalChain.js'
import { readRolesState } from './readRolesState.js'

const ROLE = encodeKey('dust-keeper')
const OTHER_ROLE = encodeKey('treasurer')
const SPENDER = getAddress('0x1111111111111111111111111111111111111111')
const RECIPIENT = getAddress('0x2222222222222222222222222222222222222222')
const ROUTER = getAddress('0x3333333333333333333333333333333333333333')
const DEPOSIT = getAddress('0x4444444444444444444444444444444444444444')
/** Calls the lead's ABI fragments leave out: the modifier's default role and its ownership. */
const extraRolesAbi = parseAbi(['function setDefaultRole(address module, bytes32 roleKey)', 'function transferOwnership(address newOwner)'])

const emptyRole = (key: Hex): Role => ({ key, members: [], targets: [], annotations: [], lastUpdate: 0 })

describe('readRolesState on a Safe with a Roles modifier on the local node', () => {
  let chain: LocalChain
  let deployer: LocalDeployer
  let ownerKey: Hex
  let keeper: Address
  let deployed: SafeWithRoles
  let token: Address
  let fromBlock: bigint

  /** The role the tests apply: approve to SPENDER, transfer to RECIPIENT or DEPOSIT on the token, any call to ROUTER with ether. */
  const keeperRole = (): Role => {
    const { targets } = processPermissions([
      { targetAddress: token, signature: 'approve(address,uint256)', condition: c.calldataMatches([SPENDER], ['address', 'uint256']) },
      { targetAddress: token, signature: 'transfer(address,uint256)', condition: c.calldataMatches([c.or(RECIPIENT, DEPOSIT)], ['address', 'uint256']) },
      { targetAddress: token, signature: 'decimals()' },
      { targetAddress: ROUTER, send: true },
    ])
    return { key: ROLE, members: [keeper], targets, annotations: [], lastUpdate: 0 }
  }

  const apply = async (current: Role, next: Role) =>
    execSafeTransaction({
      deployer,
      safe: deployed.safe,
      ownerKeys: [ownerKey],
      calls: encodeCalls(callsPlannedForApplyRole(current, next), deployed.roles).map((call) => ({ to: getAddress(call.to), value: 0n, data: call.data })),
      multiSend: deployed.multiSend,
    })

  beforeAll(async () => {
    chain = await startLocalChain()
    const [deployerKey, owner, keeperKey] = chain.accounts
    if (deployerKey === undefined || owner === undefined || keeperKey === undefined) throw new Error('The local node funds fewer than three accounts.')
    ownerKey = owner
    keeper = privateKeyToAccount(keeperKey).address
    deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: deployerKey })
    fromBlock = await deployer.client.getBlockNumber()
    deployed = await deploySafeWithRoles({ deployer, ownerKeys: [ownerKey] })
    token = await deployer.deploy(artifacts.testErc20(), ['Eigen', 'EIGEN', 10n ** 24n])
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('reads the modifier and the Safe, and a role never configured as empty', async () => {
    const state = await readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock })
    expect(state.modifier).toEqual({ avatar: deployed.safe, target: deployed.safe, owner: deployed.safe })
    expect(state.safeOwners).toEqual([privateKeyToAccount(ownerKey).address])
    expect(state.safeThreshold).toBe(1n)
    expect(state.rolesEnabled).toBe(true)
    expect(state.safeModules).toEqual([deployed.roles])
    expect(state.role).toEqual(emptyRole(ROLE))
    expect(state.memberships).toEqual([])
    expect(state.defaultRoles).toEqual([])
    expect(state.logs).toBe(0)
    expect(state.block).toBe(await deployer.client.getBlockNumber())
    // The modifier's set-up is in the logs read: nothing before it can be missing.
    const setUpBlock = state.setUpBlock ?? -1n
    expect(setUpBlock > fromBlock && setUpBlock <= state.block).toBe(true)
    const late = await readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock: setUpBlock + 1n })
    expect(late.setUpBlock).toBeUndefined()
  })

  it('rebuilds the role applied through the Safe, so that planning from it to the same role plans nothing', async () => {
    const role = keeperRole()
    const hash = await apply(emptyRole(ROLE), role)
    const { blockNumber } = await deployer.client.getTransactionReceipt({ hash })
    const state = await readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock })

    expect(callsPlannedForApplyRole(state.role, role)).toEqual([])
    expect(state.role.members).toEqual([keeper])
    expect(state.role.lastUpdate).toBe(Number(blockNumber))
    expect(state.memberships).toEqual([{ member: keeper, roleKey: ROLE }])
    const byAddress = Object.fromEntries(state.role.targets.map((target) => [target.address, target]))
    expect(byAddress[ROUTER.toLowerCase()]).toEqual({ address: ROUTER.toLowerCase(), clearance: 1, executionOptions: 1, functions: [] })
    const onToken = byAddress[token.toLowerCase()]
    expect(onToken?.clearance).toBe(2)
    expect(onToken?.executionOptions).toBe(0)
    const bySelector = Object.fromEntries((onToken?.functions ?? []).map((fn) => [fn.selector, fn]))
    // decimals() is allowed with any arguments, and carries no condition at all.
    expect(bySelector['0x313ce567']).toEqual({ selector: '0x313ce567', executionOptions: 0, wildcarded: true })
    // approve(SPENDER, any): calldata matching one static parameter equal to SPENDER, the amount left free.
    expect(bySelector['0x095ea7b3']).toEqual({
      selector: '0x095ea7b3',
      executionOptions: 0,
      wildcarded: false,
      condition: { paramType: 5, operator: 5, children: [{ paramType: 1, operator: 16, compValue: pad(SPENDER.toLowerCase() as Hex) }] },
    })
    // transfer(RECIPIENT or DEPOSIT, any): an Or of two EqualTo under the first parameter.
    const transfer = bySelector['0xa9059cbb']
    expect(transfer?.condition?.children?.[0]?.operator).toBe(2)
    expect(transfer?.condition?.children?.[0]?.children?.map((child) => child.compValue)).toEqual([RECIPIENT, DEPOSIT].map((address) => pad(address.toLowerCase() as Hex)).sort())
  })

  it('folds revocations, other roles and default roles in the order the modifier recorded them', async () => {
    const before = (await readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock })).role
    const narrowed: Role = {
      ...before,
      targets: before.targets.filter((target) => target.address !== ROUTER.toLowerCase()).map((target) => ({ ...target, functions: target.functions.filter((fn) => fn.selector !== '0x313ce567') })),
    }
    const otherRole: Role = { ...emptyRole(OTHER_ROLE), members: [keeper, DEPOSIT] }
    await apply(before, narrowed)
    await apply(emptyRole(OTHER_ROLE), otherRole)
    await execSafeTransaction({
      deployer,
      safe: deployed.safe,
      ownerKeys: [ownerKey],
      calls: [
        { to: deployed.roles, value: 0n, data: encodeFunctionData({ abi: extraRolesAbi, functionName: 'setDefaultRole', args: [keeper, OTHER_ROLE] }) },
        { to: deployed.roles, value: 0n, data: encodeFunctionData({ abi: extraRolesAbi, functionName: 'setDefaultRole', args: [DEPOSIT, OTHER_ROLE] }) },
        { to: deployed.roles, value: 0n, data: encodeFunctionData({ abi: extraRolesAbi, functionName: 'setDefaultRole', args: [DEPOSIT, pad('0x', { size: 32 })] }) },
      ],
      multiSend: deployed.multiSend,
    })
    const state = await readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock })

    expect(callsPlannedForApplyRole(state.role, narrowed)).toEqual([])
    // RevokeTarget keeps the target, cleared for nothing, as the modifier does.
    expect(state.role.targets.find((target) => target.address === ROUTER.toLowerCase())).toEqual({ address: ROUTER.toLowerCase(), clearance: 0, executionOptions: 0, functions: [] })
    expect(
      state.role.targets
        .find((target) => target.address === token.toLowerCase())
        ?.functions.map((fn) => fn.selector)
        .sort(),
    ).toEqual(['0x095ea7b3', '0xa9059cbb'])
    expect(state.memberships).toEqual([
      { member: keeper, roleKey: ROLE },
      { member: keeper, roleKey: OTHER_ROLE },
      { member: DEPOSIT, roleKey: OTHER_ROLE },
    ])
    expect(state.defaultRoles).toEqual([{ module: keeper, roleKey: OTHER_ROLE }])
  })

  /** A client on the node whose transport answers `eth_getLogs` through `getLogs`, and every other request as the node does. */
  const clientWith = (getLogs: (params: { fromBlock: Hex; toBlock: Hex }, forward: () => Promise<unknown>) => Promise<unknown>): PublicClient => {
    const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
      const forward = () => deployer.client.request({ method, params } as never)
      if (method !== 'eth_getLogs') return forward()
      const [range] = params as [{ fromBlock: Hex; toBlock: Hex }]
      return getLogs(range, forward)
    }
    return createPublicClient({ transport: custom({ request }, { retryCount: 0 }) })
  }

  it('halves a log range the node refuses as too large, down to what it accepts, and reads the same state', async () => {
    const ranges: bigint[] = []
    const client = clientWith(async (params, forward) => {
      const size = BigInt(params.toBlock) - BigInt(params.fromBlock) + 1n
      ranges.push(size)
      if (size > 3n) throw new RpcRequestError({ body: { method: 'eth_getLogs' }, error: { code: -32005, message: 'query returned more than 10000 results' }, url: 'http://node.invalid' })
      return forward()
    })
    const direct = await readRolesState({ client: deployer.client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock })
    const halved = await readRolesState({ client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock, toBlock: direct.block, blockRange: 16n })

    expect(halved).toEqual(direct)
    // 16 refused, 8 refused, 4 refused, then ranges of 2 blocks (the last one maybe shorter).
    expect(ranges.slice(0, 4)).toEqual([16n, 8n, 4n, 2n])
    expect(ranges.slice(3).every((size) => size <= 2n)).toBe(true)
  })

  it('throws a SourceError, never a partial state, when the node fails to answer the logs', async () => {
    const client = clientWith(async () => {
      throw new HttpRequestError({ url: 'http://node.invalid', status: 503, details: 'Service Unavailable' })
    })
    const reading = readRolesState({ client, roles: deployed.roles, safe: deployed.safe, roleKey: ROLE, fromBlock, chain: 'local' })
    await expect(reading).rejects.toBeInstanceOf(SourceError)
    await expect(reading).rejects.toThrow(`The local node did not answer the Roles modifier ${deployed.roles}'s logs in blocks ${fromBlock} to`)
  })

  it('throws a SourceError naming the address when the Roles modifier address holds no contract', async () => {
    const reading = readRolesState({ client: deployer.client, roles: DEPOSIT, safe: deployed.safe, roleKey: ROLE, fromBlock, chain: 'local' })
    await expect(reading).rejects.toBeInstanceOf(SourceError)
    await expect(reading).rejects.toThrow(`There is no contract at the Roles modifier address ${DEPOSIT} on local at block`)
  })

  it('reads the modifier owner another account took over, and every module the Safe enabled', async () => {
    const stranger = getAddress('0x5555555555555555555555555555555555555555')
    const second = await deploySafeWithRoles({ deployer, ownerKeys: [ownerKey] })
    await execSafeTransaction({
      deployer,
      safe: second.safe,
      ownerKeys: [ownerKey],
      calls: [
        { to: second.roles, value: 0n, data: encodeFunctionData({ abi: extraRolesAbi, functionName: 'transferOwnership', args: [stranger] }) },
        { to: second.safe, value: 0n, data: encodeFunctionData({ abi: parseAbi(['function enableModule(address module)']), functionName: 'enableModule', args: [keeper] }) },
      ],
      multiSend: second.multiSend,
    })
    const state = await readRolesState({ client: deployer.client, roles: second.roles, safe: second.safe, roleKey: ROLE, fromBlock })
    expect(state.modifier).toEqual({ avatar: second.safe, target: second.safe, owner: stranger })
    // The Safe lists its modules newest first.
    expect(state.safeModules).toEqual([keeper, second.roles])
    expect(state.role).toEqual(emptyRole(ROLE))
  })
})
