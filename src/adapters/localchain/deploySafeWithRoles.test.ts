import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { type Address, BaseError, ContractFunctionRevertedError, type Hex, encodeFunctionData, erc20Abi, getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Role, c, callsPlannedForApplyRole, encodeCalls, encodeKey, processPermissions } from 'zodiac-roles-sdk'
import { buildSafeTransaction } from '../zodiac/buildSafeTransaction.js'
import { decodeRolesRevert } from '../zodiac/decodeRolesRevert.js'
import { safeTransactionHash } from '../zodiac/safeTransactionHash.js'
import { rolesModifierAbi, safeAbi } from '../zodiac/zodiacAbis.js'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { SINGLETON_FACTORY, SINGLETON_FACTORY_DEPLOYER, SINGLETON_FACTORY_DEPLOYMENT, type SafeWithRoles, deploySafeWithRoles } from './deploySafeWithRoles.js'
import { execSafeTransaction } from './execSafeTransaction.js'
import { artifacts } from './npmArtifact.js'
import { type LocalChain, startLocalChain } from './startLocalChain.js'

const require = createRequire(import.meta.url)
const zodiacRoot = dirname(require.resolve('@gnosis.pm/zodiac'))
/** Where `@gnosis.pm/zodiac` says its mastercopies are on every chain (`contracts.js`, mainnet's entry). */
const canonical: unknown = require('@gnosis.pm/zodiac').ContractAddresses[1]

const SPENDER = '0x00000000000000000000000000000000005beef1'
const OTHER_SPENDER = '0x00000000000000000000000000000000000bad00'
const ROLE_KEY = encodeKey('dust-keeper')

describe('deploySafeWithRoles on a local chain', () => {
  let chain: LocalChain
  let deployer: LocalDeployer
  let keeper: LocalDeployer
  let ownerKeys: Hex[]
  let deployed: SafeWithRoles
  let token: Address
  let otherToken: Address

  const signer = (index: number): LocalDeployer => {
    const privateKey = chain.accounts[index]
    if (privateKey === undefined) throw new Error(`The local node has no account ${index}.`)
    return createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey })
  }
  const approve = (spender: Address, amount: bigint) => encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender, amount] })
  const withRole = (from: LocalDeployer, to: Address, data: Hex) =>
    from.client.simulateContract({ account: from.address, address: deployed.roles, abi: rolesModifierAbi, functionName: 'execTransactionWithRole', args: [to, 0n, data, 0, ROLE_KEY, true] })
  const refusalOf = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => undefined,
      (failure: unknown) => failure,
    )
    expect(error).toBeInstanceOf(Error)
    return decodeRolesRevert(error)
  }

  beforeAll(async () => {
    chain = await startLocalChain()
    deployer = signer(0)
    keeper = signer(3)
    ownerKeys = [chain.accounts[1], chain.accounts[2]].filter((key): key is Hex => key !== undefined)
    deployed = await deploySafeWithRoles({ deployer, ownerKeys })
    token = await deployer.deploy(artifacts.testErc20(), ['Dust', 'DUST', 0n])
    otherToken = await deployer.deploy(artifacts.testErc20(), ['Other', 'OTHER', 0n])
    await deployer.write(token, artifacts.testErc20().abi, 'setBalance', [deployed.safe, 1_000n])
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('sets up a Safe with the owners, a threshold of all of them and the Roles modifier enabled', async () => {
    const read = <const name extends 'getOwners' | 'getThreshold' | 'VERSION'>(functionName: name) => deployer.client.readContract({ address: deployed.safe, abi: safeAbi, functionName })
    const owners = ownerKeys.map((key) => privateKeyToAccount(key).address)
    expect(deployed.owners).toEqual(owners)
    expect(await read('getOwners')).toEqual(owners)
    expect(await read('getThreshold')).toBe(2n)
    expect(await read('VERSION')).toBe('1.5.0')
    expect(await deployer.client.readContract({ address: deployed.safe, abi: safeAbi, functionName: 'isModuleEnabled', args: [deployed.roles] })).toBe(true)
    expect(await deployer.client.readContract({ address: deployed.safe, abi: safeAbi, functionName: 'nonce' })).toBe(1n)
  })

  it('makes the Safe the Roles modifier’s owner, avatar and target', async () => {
    for (const functionName of ['owner', 'avatar', 'target'] as const) {
      expect(await deployer.client.readContract({ address: deployed.roles, abi: rolesModifierAbi, functionName })).toBe(deployed.safe)
    }
  })

  it('deploys the singleton factory, ModuleProxyFactory and the Roles mastercopy at the addresses @gnosis.pm/zodiac names', async () => {
    const addresses = canonical as { factory: string; roles_v2: string }
    for (const address of [SINGLETON_FACTORY, addresses.factory, addresses.roles_v2]) {
      expect((await deployer.client.getCode({ address: getAddress(address) }))?.length ?? 0).toBeGreaterThan(2)
    }
  })

  it('takes the singleton factory’s pre-signed deployment from @gnosis.pm/zodiac, so that a change there is caught', () => {
    const source = readFileSync(join(zodiacRoot, 'factory', 'singletonFactory.js'), 'utf8')
    expect(source).toContain(`broadcastTransaction("${SINGLETON_FACTORY_DEPLOYMENT}")`)
    expect(source).toContain(`const singletonDeployer = "${SINGLETON_FACTORY_DEPLOYER}"`)
    expect(source).toContain(`exports.SingletonFactoryAddress = "${SINGLETON_FACTORY.toLowerCase()}"`)
    expect(source).toContain('parseEther)("0.0247")')
    expect(source).toContain('"function deploy(bytes memory _initCode, bytes32 _salt) public returns (address payable createdContract)"')
  })

  it('hashes a Safe transaction as the Safe’s getTransactionHash does', async () => {
    const nonce = await deployer.client.readContract({ address: deployed.safe, abi: safeAbi, functionName: 'nonce' })
    const calls = [
      { to: token, value: 0n, data: approve(SPENDER, 1n) },
      { to: otherToken, value: 3n, data: '0x' as Hex },
    ]
    for (const transaction of [
      buildSafeTransaction({ calls, nonce, multiSend: deployed.multiSend }),
      buildSafeTransaction({ calls: calls.slice(1), nonce: nonce + 4n, multiSend: deployed.multiSend }),
    ]) {
      const onChain = await deployer.client.readContract({
        address: deployed.safe,
        abi: safeAbi,
        functionName: 'getTransactionHash',
        args: [
          transaction.to,
          transaction.value,
          transaction.data,
          transaction.operation,
          transaction.safeTxGas,
          transaction.baseGas,
          transaction.gasPrice,
          transaction.gasToken,
          transaction.refundReceiver,
          transaction.nonce,
        ],
      })
      expect(safeTransactionHash({ safe: deployed.safe, chainId: chain.chainId, transaction })).toBe(onChain)
    }
  })

  describe('with a role configured through the Safe', () => {
    beforeAll(async () => {
      const { targets } = processPermissions([
        { targetAddress: token, signature: 'approve(address,uint256)', condition: c.calldataMatches([c.eq(SPENDER)], ['address', 'uint256']) },
        { targetAddress: token, signature: 'transferFrom(address,address,uint256)' },
      ])
      const empty: Role = { key: ROLE_KEY, members: [], targets: [], annotations: [], lastUpdate: 0 }
      const role: Role = { key: ROLE_KEY, members: [keeper.address], targets, annotations: [], lastUpdate: 0 }
      const calls = encodeCalls(callsPlannedForApplyRole(empty, role), deployed.roles).map((call) => ({ to: call.to, value: 0n, data: call.data }))
      expect(calls.length).toBeGreaterThan(1)
      await execSafeTransaction({ deployer, safe: deployed.safe, ownerKeys, calls, multiSend: deployed.multiSend })
    }, 60_000)

    it('lets the keeper approve the allowed spender from the Safe', async () => {
      await keeper.write(deployed.roles, rolesModifierAbi, 'execTransactionWithRole', [token, 0n, approve(SPENDER, 5n), 0, ROLE_KEY, true])
      expect(await deployer.client.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [deployed.safe, SPENDER] })).toBe(5n)
    })

    it('refuses an approval to another spender as ParameterNotAllowed, simulated or sent', async () => {
      const expected = {
        error: 'ConditionViolation',
        status: 'ParameterNotAllowed',
        words: 'the role does not allow this parameter value (ConditionViolation ParameterNotAllowed)',
      }
      expect(await refusalOf(withRole(keeper, token, approve(OTHER_SPENDER, 5n)))).toEqual(expected)
      expect(await refusalOf(keeper.write(deployed.roles, rolesModifierAbi, 'execTransactionWithRole', [token, 0n, approve(OTHER_SPENDER, 5n), 0, ROLE_KEY, true]))).toEqual(expected)
      expect(await deployer.client.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [deployed.safe, OTHER_SPENDER] })).toBe(0n)
    })

    it('refuses a transfer of the token as FunctionNotAllowed', async () => {
      const transfer = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [keeper.address, 1_000n] })
      expect(await refusalOf(withRole(keeper, token, transfer))).toMatchObject({ error: 'ConditionViolation', status: 'FunctionNotAllowed' })
      expect(await deployer.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [deployed.safe] })).toBe(1_000n)
    })

    it('refuses a call to another target as TargetAddressNotAllowed', async () => {
      expect(await refusalOf(withRole(keeper, otherToken, approve(SPENDER, 5n)))).toMatchObject({ error: 'ConditionViolation', status: 'TargetAddressNotAllowed' })
    })

    it('refuses a sender that is a member of no role as NotAuthorized, and a member using another role as NoMembership', async () => {
      expect(await refusalOf(withRole(deployer, token, approve(SPENDER, 5n)))).toEqual({
        error: 'NotAuthorized',
        words: `the sender ${deployer.address} is a member of no role of the Roles modifier (NotAuthorized)`,
      })
      const otherRole = keeper.client.simulateContract({
        account: keeper.address,
        address: deployed.roles,
        abi: rolesModifierAbi,
        functionName: 'execTransactionWithRole',
        args: [token, 0n, approve(SPENDER, 5n), 0, encodeKey('another-role'), true],
      })
      expect(await refusalOf(otherRole)).toEqual({ error: 'NoMembership', words: 'the sender is not a member of this role (NoMembership)' })
    })

    it('finds no refusal when the role allows a call that itself fails (ModuleTransactionFailed)', async () => {
      // transferFrom is allowed without conditions; the Safe has no allowance from the keeper, so the token reverts.
      const transferFrom = encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [keeper.address, deployed.safe, 1n] })
      const error = await withRole(keeper, token, transferFrom).then(
        () => undefined,
        (failure: unknown) => failure,
      )
      expect(error).toBeInstanceOf(BaseError)
      const reverted = error instanceof BaseError ? error.walk((cause) => cause instanceof ContractFunctionRevertedError) : undefined
      expect(reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined).toBe('ModuleTransactionFailed')
      expect(decodeRolesRevert(error)).toBeUndefined()
    })
  })

  it('reuses the factories and mastercopies for a second Safe on the same node', async () => {
    const key = chain.accounts[3]
    if (key === undefined) throw new Error('The local node has no account 3.')
    const before = await deployer.client.getTransactionCount({ address: deployer.address })
    const second = await deploySafeWithRoles({ deployer, ownerKeys: [key], threshold: 1 })
    const sent = (await deployer.client.getTransactionCount({ address: deployer.address })) - before
    expect(second.multiSend).toBe(deployed.multiSend)
    expect(second.safe).not.toBe(deployed.safe)
    expect(second.roles).not.toBe(deployed.roles)
    // createProxyWithNonce, deployModule and execTransaction(enableModule): nothing is deployed again.
    expect(sent).toBe(3)
    expect(await deployer.client.readContract({ address: second.safe, abi: safeAbi, functionName: 'isModuleEnabled', args: [second.roles] })).toBe(true)
  })

  it('refuses no owner keys, and a threshold above the owners', async () => {
    await expect(deploySafeWithRoles({ deployer, ownerKeys: [] })).rejects.toThrow('A Safe needs at least one owner key, and none was given.')
    await expect(deploySafeWithRoles({ deployer, ownerKeys, threshold: 3 })).rejects.toThrow("A Safe's threshold must be a whole number from 1 to its 2 owners, was 3.")
  })
})
