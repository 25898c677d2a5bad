import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import {
  type Address,
  type Hex,
  createTestClient,
  custom,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  isHex,
  parseAbi,
  parseAbiParameters,
  parseEther,
  parseEventLogs,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { Integrity__factory, Packer__factory } from 'zodiac-roles-sdk/typechain'
import { BaseError } from '../../errors/index.js'
import { moduleProxyFactoryAbi, rolesModifierAbi, safeAbi, safeProxyFactoryAbi } from '../zodiac/zodiacAbis.js'
import type { LocalDeployer } from './createLocalDeployer.js'
import { execSafeTransaction } from './execSafeTransaction.js'
import { artifacts } from './npmArtifact.js'

/** A Safe with a Zodiac Roles v2 modifier enabled as its module, on a local chain. */
export type SafeWithRoles = {
  readonly safe: Address
  /** The Roles modifier: owner, avatar and target are the Safe. */
  readonly roles: Address
  /** The MultiSendCallOnly that Safe transactions of several calls are delegate-called into. */
  readonly multiSend: Address
  /** The Safe's owners, in the order of the keys given. */
  readonly owners: readonly Address[]
}

export type DeploySafeWithRolesParameters = {
  /** Sends and pays for every set-up transaction; it is no owner of the Safe. */
  readonly deployer: LocalDeployer
  /** The owners' keys: they sign the Safe transaction that enables the modifier. */
  readonly ownerKeys: readonly Hex[]
  /** Signatures a Safe transaction needs, from 1 to the number of owners (default: all of them). */
  readonly threshold?: number
}

/** ERC-2470's singleton factory (`SingletonFactoryAddress` of `@gnosis.pm/zodiac`). */
export const SINGLETON_FACTORY = '0xce0042B868300000d44A59004Da54A005ffdcf9f'
/** The one-time account that sends the singleton factory's pre-signed deployment (nonce 0, any chain). */
export const SINGLETON_FACTORY_DEPLOYER = '0xBb6e024b9cFFACB947A71991E386681B1Cd1477D'
/** What that deployment costs its sender: 247,000 gas at 100 gwei. */
export const SINGLETON_FACTORY_FUNDING = parseEther('0.0247')
/**
 * The singleton factory's pre-signed deployment, as `@gnosis.pm/zodiac` `dist/cjs/factory/singletonFactory.js`
 * sends it (a test checks that file still holds it). Signed without a chain id, so that it deploys
 * the factory at the same address on every chain.
 */
export const SINGLETON_FACTORY_DEPLOYMENT: Hex =
  '0xf9016c8085174876e8008303c4d88080b90154608060405234801561001057600080fd5b50610134806100206000396000f3fe6080604052348015600f57600080fd5b506004361060285760003560e01c80634af63f0214602d575b600080fd5b60cf60048036036040811015604157600080fd5b810190602081018135640100000000811115605b57600080fd5b820183602082011115606c57600080fd5b80359060200191846001830284011164010000000083111715608d57600080fd5b91908080601f016020809104026020016040519081016040528093929190818152602001838380828437600092019190915250929550509135925060eb915050565b604080516001600160a01b039092168252519081900360200190f35b6000818351602085016000f5939250505056fea26469706673582212206b44f8a82cb6b156bfcc3dc6aadd6df4eefd204bc928a4397fd15dacf6d5320564736f6c634300060200331b83247000822470'
/** The singleton factory's one function, as `@gnosis.pm/zodiac` declares it. */
export const singletonFactoryAbi = parseAbi(['function deploy(bytes memory _initCode, bytes32 _salt) public returns (address payable createdContract)'])
/** Where the Roles v2 mastercopy expects its libraries: the addresses linked into `@gnosis.pm/zodiac`'s `initData/RolesV2` creation code. */
export const ROLES_LIBRARIES = { integrity: '0x6a6Af4b16458Bc39817e4019fB02BD3b26d41049', packer: '0x61C5B1bE435391fDd7BC6703F3740C0d11728a8C' } as const
/** The gas given to a deployment through the singleton factory: Hardhat's Osaka cap on one transaction is 16,777,216. */
const DEPLOYMENT_GAS = 15_000_000n
/** The zero salt under which the Safe contracts are deployed through the singleton factory. */
const ZERO_SALT: Hex = `0x${'0'.repeat(64)}`

/** The creation code and salt `@gnosis.pm/zodiac` publishes for a mastercopy (`dist/cjs/initData/<name>.js`). */
function zodiacInitData(name: 'RolesV2' | 'ModuleProxyFactory'): { readonly initCode: Hex; readonly salt: Hex } {
  const require = createRequire(import.meta.url)
  // The package's `exports` open only its root, and its ESM build fails under Node 20: require the CommonJS file by path.
  const module: unknown = require(join(dirname(require.resolve('@gnosis.pm/zodiac')), 'initData', `${name}.js`))
  const initCode: unknown = typeof module === 'object' && module !== null ? Reflect.get(module, 'initCode') : undefined
  const salt: unknown = typeof module === 'object' && module !== null ? Reflect.get(module, 'salt') : undefined
  if (typeof initCode !== 'string' || !isHex(initCode) || typeof salt !== 'string' || !isHex(salt) || salt.length !== 66) {
    throw new BaseError(`@gnosis.pm/zodiac's initData/${name} has no hex initCode and 32-byte salt.`, { code: 'missing_artifact' })
  }
  return { initCode, salt }
}

/** Whether an address holds code. */
async function hasCode(deployer: LocalDeployer, address: Address): Promise<boolean> {
  const code = await deployer.client.getCode({ address })
  return code !== undefined && code !== '0x'
}

/** Deploys ERC-2470's singleton factory through its pre-signed transaction, unless the chain has it. */
async function ensureSingletonFactory(deployer: LocalDeployer): Promise<void> {
  if (await hasCode(deployer, SINGLETON_FACTORY)) return
  await deployer.sendEther(SINGLETON_FACTORY_DEPLOYER, SINGLETON_FACTORY_FUNDING)
  const hash = await deployer.wallet.sendRawTransaction({ serializedTransaction: SINGLETON_FACTORY_DEPLOYMENT })
  const receipt = await deployer.client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
  if (receipt.status !== 'success' || !(await hasCode(deployer, SINGLETON_FACTORY))) {
    throw new BaseError(`The singleton factory's pre-signed deployment (${hash}) left no code at ${SINGLETON_FACTORY}.`)
  }
}

/** Deploys creation code through the singleton factory (CREATE2), unless its address already holds code; returns that address. */
async function deployDeterministic(deployer: LocalDeployer, initCode: Hex, salt: Hex, what: string): Promise<Address> {
  const address = getContractAddress({ opcode: 'CREATE2', from: SINGLETON_FACTORY, salt, bytecode: initCode })
  if (await hasCode(deployer, address)) return address
  // The factory does not revert when CREATE2 runs out of gas (it returns the zero address), so an
  // estimate would find the gas of that failure: give a fixed limit, under Osaka's per-transaction cap.
  const hash = await deployer.wallet.writeContract({
    chain: deployer.client.chain,
    account: deployer.wallet.account ?? deployer.address,
    address: SINGLETON_FACTORY,
    abi: singletonFactoryAbi,
    functionName: 'deploy',
    args: [initCode, salt],
    gas: DEPLOYMENT_GAS,
  })
  const receipt = await deployer.client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
  if (receipt.status !== 'success' || !(await hasCode(deployer, address))) throw new BaseError(`The singleton factory deployed no ${what} at ${address} (transaction ${hash}).`)
  return address
}

/** Places a library's runtime code at the address the Roles mastercopy links it at, unless it is there. */
async function placeLibrary(deployer: LocalDeployer, address: Address, bytecode: Hex, what: string): Promise<void> {
  if (await hasCode(deployer, address)) return
  const deployed = await deployer.deploy({ abi: [], bytecode })
  const code = await deployer.client.getCode({ address: deployed })
  if (code === undefined || code === '0x') throw new BaseError(`The ${what} library deployed at ${deployed} has no code.`)
  // The library's call guard compares the address it runs at with its deployment address; Roles
  // only calls its view and pure functions, which skip that guard, so the copy works at another address.
  const test = createTestClient({ mode: 'hardhat', transport: custom({ request: (request) => deployer.client.request(request) }) })
  await test.setCode({ address, bytecode: code })
}

/**
 * Deploys a Safe 1.5.0 and a Zodiac Roles v2 modifier on a local Hardhat node, and enables the modifier on the Safe.
 *
 * The Safe singleton, its proxy factory, the compatibility fallback handler and MultiSendCallOnly
 * come from `@safe-global/safe-smart-account`; ModuleProxyFactory and the Roles mastercopy from
 * `@gnosis.pm/zodiac`'s `initData`, through ERC-2470's singleton factory (deployed from its
 * pre-signed transaction); the Integrity and Packer libraries from `zodiac-roles-sdk/typechain`,
 * copied to the addresses the mastercopy links (`hardhat_setCode`). Each of these is deployed
 * only when its address has no code yet, so a second Safe on the same node reuses them. Then a
 * Safe proxy with the given owners, a Roles proxy whose owner, avatar and target are the Safe,
 * and the Safe transaction `enableModule(roles)`, signed by the owners.
 */
export async function deploySafeWithRoles(parameters: DeploySafeWithRolesParameters): Promise<SafeWithRoles> {
  const { deployer, ownerKeys } = parameters
  const threshold = parameters.threshold ?? ownerKeys.length
  if (ownerKeys.length === 0) throw new BaseError('A Safe needs at least one owner key, and none was given.', { code: 'invalid_parameter' })
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > ownerKeys.length) {
    throw new BaseError(`A Safe's threshold must be a whole number from 1 to its ${ownerKeys.length} owners, was ${threshold}.`, { code: 'invalid_parameter' })
  }
  const owners = ownerKeys.map((key) => privateKeyToAccount(key).address)

  await ensureSingletonFactory(deployer)
  const singleton = await deployDeterministic(deployer, artifacts.safe().bytecode, ZERO_SALT, 'Safe singleton')
  const proxyFactory = await deployDeterministic(deployer, artifacts.safeProxyFactory().bytecode, ZERO_SALT, 'SafeProxyFactory')
  const fallbackHandler = await deployDeterministic(deployer, artifacts.compatibilityFallbackHandler().bytecode, ZERO_SALT, 'CompatibilityFallbackHandler')
  const multiSend = await deployDeterministic(deployer, artifacts.multiSendCallOnly().bytecode, ZERO_SALT, 'MultiSendCallOnly')
  const moduleFactoryData = zodiacInitData('ModuleProxyFactory')
  const moduleFactory = await deployDeterministic(deployer, moduleFactoryData.initCode, moduleFactoryData.salt, 'ModuleProxyFactory')
  await placeLibrary(deployer, ROLES_LIBRARIES.integrity, Integrity__factory.bytecode, 'Integrity')
  await placeLibrary(deployer, ROLES_LIBRARIES.packer, Packer__factory.bytecode, 'Packer')
  const rolesData = zodiacInitData('RolesV2')
  const mastercopy = await deployDeterministic(deployer, rolesData.initCode, rolesData.salt, 'Roles v2 mastercopy')

  // The deployer's nonce is a salt no earlier Safe or module of this deployer used.
  const saltNonce = BigInt(await deployer.client.getTransactionCount({ address: deployer.address }))
  const setup = encodeFunctionData({ abi: safeAbi, functionName: 'setup', args: [owners, BigInt(threshold), zeroAddress, '0x', fallbackHandler, zeroAddress, 0n, zeroAddress] })
  const safeHash = await deployer.write(proxyFactory, safeProxyFactoryAbi, 'createProxyWithNonce', [singleton, setup, saltNonce])
  const safe = await createdProxy(deployer, safeHash, proxyFactory, 'Safe')

  const rolesSetUp = encodeFunctionData({ abi: rolesModifierAbi, functionName: 'setUp', args: [encodeAbiParameters(parseAbiParameters('address, address, address'), [safe, safe, safe])] })
  const rolesHash = await deployer.write(moduleFactory, moduleProxyFactoryAbi, 'deployModule', [mastercopy, rolesSetUp, saltNonce])
  const roles = await createdProxy(deployer, rolesHash, moduleFactory, 'Roles modifier')

  const enableModule = encodeFunctionData({ abi: safeAbi, functionName: 'enableModule', args: [roles] })
  await execSafeTransaction({ deployer, safe, ownerKeys, calls: [{ to: safe, value: 0n, data: enableModule }], multiSend })
  return { safe, roles, multiSend, owners }
}

/** The proxy a factory's `ProxyCreation` or `ModuleProxyCreation` event reports in a transaction. */
async function createdProxy(deployer: LocalDeployer, hash: Hex, factory: Address, what: string): Promise<Address> {
  const receipt = await deployer.client.getTransactionReceipt({ hash })
  const logs = parseEventLogs({ abi: [...safeProxyFactoryAbi, ...moduleProxyFactoryAbi], logs: receipt.logs }).filter((log) => getAddress(log.address) === getAddress(factory))
  const proxy = logs[0]?.args.proxy
  if (proxy === undefined) throw new BaseError(`The transaction ${hash} that should have created the ${what} reported no proxy.`)
  return getAddress(proxy)
}
