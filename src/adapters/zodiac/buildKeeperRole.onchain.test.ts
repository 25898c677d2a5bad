import { type Abi, type Address, type Hex, encodeFunctionData, erc20Abi, getAddress, toFunctionSignature } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalDeployer, createLocalDeployer } from '../localchain/createLocalDeployer.js'
import { type SafeWithRoles, deploySafeWithRoles } from '../localchain/deploySafeWithRoles.js'
import { execSafeTransaction } from '../localchain/execSafeTransaction.js'
import { artifacts } from '../localchain/npmArtifact.js'
import { type LocalChain, startLocalChain } from '../localchain/startLocalChain.js'
import { encodeV3Path } from '../uniswap/v3Math.js'
import { KEEPER_FUNCTIONS, type KeeperFunction, type KeeperNeeds } from './KeeperNeeds.js'
import { buildKeeperRole } from './buildKeeperRole.js'
import { decodeRolesRevert } from './decodeRolesRevert.js'
import { emptyRole, planRoleCalls } from './planRoleCalls.js'
import { rolesModifierAbi } from './zodiacAbis.js'

// The contracts the role names other than the token need no code: the modifier checks the
// condition before it calls, and a call to an address without code succeeds, so `ok` below means
// "the role let it through" and a refusal is the modifier's own.
const WETH = getAddress('0x00000000000000000000000000000000000000e1')
const USDT = getAddress('0x00000000000000000000000000000000000000e2')
const V3_ROUTER = getAddress('0x00000000000000000000000000000000000000a3')
const V2_ROUTER = getAddress('0x00000000000000000000000000000000000000a2')
const DISTRIBUTOR = getAddress('0x00000000000000000000000000000000000000d1')
const MERKL = getAddress('0x00000000000000000000000000000000000000d9')
const DEPOSIT = getAddress('0x00000000000000000000000000000000000000b1')
const STRANGER = getAddress('0x00000000000000000000000000000000000000ff')
const ROLE_KEY: Hex = `0x${'00'.repeat(31)}01`
const PROOF: Hex[] = [`0x${'11'.repeat(32)}`]

const signature = (fn: KeeperFunction) => toFunctionSignature(KEEPER_FUNCTIONS[fn])

describe('buildKeeperRole on a local chain (Safe + Roles v2)', () => {
  let chain: LocalChain
  let deployer: LocalDeployer
  let keeper: LocalDeployer
  let deployed: SafeWithRoles
  let eigen: Address

  /** Sends a need's function through the role (simulated): `ok`, or the status or error the modifier refused it with. */
  const viaRole = (to: Address, fn: KeeperFunction, args: readonly unknown[]): Promise<string> => {
    const abi: Abi = [KEEPER_FUNCTIONS[fn]]
    const data = encodeFunctionData({ abi, functionName: KEEPER_FUNCTIONS[fn].name, args })
    return keeper.client
      .simulateContract({ account: keeper.address, address: deployed.roles, abi: rolesModifierAbi, functionName: 'execTransactionWithRole', args: [to, 0n, data, 0, ROLE_KEY, true] })
      .then(
        () => 'ok',
        (error: unknown) => {
          const refusal = decodeRolesRevert(error)
          return refusal?.status ?? refusal?.error ?? `not refused by the role: ${error instanceof Error ? error.message : String(error)}`
        },
      )
  }
  const v3 = (tokens: Address[], fees: number[], recipient: Address) => [{ path: encodeV3Path(tokens, fees), recipient, deadline: 1n, amountIn: 1n, amountOutMinimum: 0n }]

  beforeAll(async () => {
    chain = await startLocalChain()
    const account = (index: number) => {
      const privateKey = chain.accounts[index]
      if (privateKey === undefined) throw new Error(`The local node has no account ${index}.`)
      return createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey })
    }
    deployer = account(0)
    keeper = account(3)
    const ownerKeys = [chain.accounts[1]].filter((key): key is Hex => key !== undefined)
    deployed = await deploySafeWithRoles({ deployer, ownerKeys })
    eigen = await deployer.deploy(artifacts.testErc20(), ['Eigen', 'EIGEN', 0n])
    await deployer.write(eigen, artifacts.testErc20().abi, 'setBalance', [deployed.safe, 1_000n])
    const needs: KeeperNeeds = {
      chain: { name: 'local', id: chain.chainId },
      safe: deployed.safe,
      rolesModifier: deployed.roles,
      role: { key: ROLE_KEY },
      keeper: keeper.address,
      needs: [
        { target: DISTRIBUTOR, label: 'etherfi', function: 'claim_merkle_rewards', signature: signature('claim_merkle_rewards'), constraint: { kind: 'claim', distributor: 'merkle_rewards' } },
        { target: MERKL, label: 'merkl', function: 'claim_merkl', signature: signature('claim_merkl'), constraint: { kind: 'claim', distributor: 'merkl' } },
        {
          target: eigen,
          label: 'EIGEN',
          function: 'approve',
          signature: signature('approve'),
          constraint: {
            kind: 'approve',
            spenders: [
              { address: V3_ROUTER, label: 'uniswap' },
              { address: V2_ROUTER, label: 'uniswap_v2' },
            ],
          },
        },
        { target: eigen, label: 'EIGEN', function: 'transfer', signature: signature('transfer'), constraint: { kind: 'transfer', recipients: [{ address: DEPOSIT, label: 'binance' }] } },
        {
          target: V3_ROUTER,
          label: 'uniswap',
          function: 'swap_v3',
          signature: signature('swap_v3'),
          constraint: {
            kind: 'swap_v3',
            router: V3_ROUTER,
            paths: [
              { tokens: ['EIGEN', 'WETH', 'USDT'], addresses: [eigen, WETH, USDT], fees: [3000, 500] },
              { tokens: ['EIGEN', 'USDT'], addresses: [eigen, USDT], fees: [500] },
            ],
          },
        },
        {
          target: V2_ROUTER,
          label: 'uniswap_v2',
          function: 'swap_v2',
          signature: signature('swap_v2'),
          constraint: {
            kind: 'swap_v2',
            router: V2_ROUTER,
            paths: [
              { tokens: ['EIGEN', 'WETH', 'USDT'], addresses: [eigen, WETH, USDT] },
              { tokens: ['EIGEN', 'USDT'], addresses: [eigen, USDT] },
            ],
          },
        },
      ],
    }
    const { role } = buildKeeperRole(needs)
    await execSafeTransaction({ deployer, safe: deployed.safe, ownerKeys, calls: planRoleCalls({ current: emptyRole(ROLE_KEY), next: role, roles: deployed.roles }), multiSend: deployed.multiSend })
  }, 180_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('lets claims through only to the Safe', async () => {
    const safe = deployed.safe
    expect(await viaRole(DISTRIBUTOR, 'claim_merkle_rewards', [0n, safe, 5n, PROOF])).toBe('ok')
    expect(await viaRole(DISTRIBUTOR, 'claim_merkle_rewards', [0n, STRANGER, 5n, PROOF])).toBe('ParameterNotAllowed')
    expect(
      await viaRole(MERKL, 'claim_merkl', [
        [safe, safe],
        [eigen, WETH],
        [1n, 2n],
        [PROOF, PROOF],
      ]),
    ).toBe('ok')
    expect(
      await viaRole(MERKL, 'claim_merkl', [
        [safe, STRANGER],
        [eigen, WETH],
        [1n, 2n],
        [PROOF, PROOF],
      ]),
    ).toBe('NotEveryArrayElementPasses')
  })

  it('lets approvals through only to the routers, and transfers only to the deposit address', async () => {
    expect(await viaRole(eigen, 'approve', [V3_ROUTER, 10n])).toBe('ok')
    expect(await viaRole(eigen, 'approve', [V2_ROUTER, 10n])).toBe('ok')
    expect(await viaRole(eigen, 'approve', [STRANGER, 10n])).toBe('OrViolation')
    expect(await viaRole(eigen, 'transfer', [DEPOSIT, 10n])).toBe('ok')
    expect(await viaRole(eigen, 'transfer', [keeper.address, 10n])).toBe('ParameterNotAllowed')
    expect(await deployer.client.readContract({ address: eigen, abi: erc20Abi, functionName: 'balanceOf', args: [deployed.safe] })).toBe(1_000n)
  })

  it('lets V3 swaps through only along the allowed encoded paths (fee tiers included) to the Safe', async () => {
    const safe = deployed.safe
    expect(await viaRole(V3_ROUTER, 'swap_v3', v3([eigen, WETH, USDT], [3000, 500], safe))).toBe('ok')
    expect(await viaRole(V3_ROUTER, 'swap_v3', v3([eigen, USDT], [500], safe))).toBe('ok')
    expect(await viaRole(V3_ROUTER, 'swap_v3', v3([eigen, WETH, USDT], [3000, 3000], safe))).toBe('OrViolation')
    expect(await viaRole(V3_ROUTER, 'swap_v3', v3([eigen, WETH], [3000], safe))).toBe('OrViolation')
    expect(await viaRole(V3_ROUTER, 'swap_v3', v3([eigen, WETH, USDT], [3000, 500], STRANGER))).toBe('ParameterNotAllowed')
  })

  it('lets V2 swaps through only along the allowed paths to the Safe', async () => {
    const safe = deployed.safe
    expect(await viaRole(V2_ROUTER, 'swap_v2', [1n, 0n, [eigen, WETH, USDT], safe, 1n])).toBe('ok')
    expect(await viaRole(V2_ROUTER, 'swap_v2', [1n, 0n, [eigen, USDT], safe, 1n])).toBe('ok')
    expect(await viaRole(V2_ROUTER, 'swap_v2', [1n, 0n, [eigen, WETH], safe, 1n])).toBe('OrViolation')
    expect(await viaRole(V2_ROUTER, 'swap_v2', [1n, 0n, [eigen, WETH, USDT, WETH], safe, 1n])).toBe('OrViolation')
    expect(await viaRole(V2_ROUTER, 'swap_v2', [1n, 0n, [eigen, WETH, USDT], STRANGER, 1n])).toBe('ParameterNotAllowed')
  })

  it('refuses every function the needs do not name', async () => {
    expect(await viaRole(eigen, 'swap_v2', [1n, 0n, [eigen, USDT], deployed.safe, 1n])).toBe('FunctionNotAllowed')
    expect(await viaRole(STRANGER, 'approve', [V3_ROUTER, 1n])).toBe('TargetAddressNotAllowed')
  })
})
