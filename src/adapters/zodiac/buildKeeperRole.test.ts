import { type Address, type Hex, encodeAbiParameters, pad } from 'viem'
import { describe, expect, it } from 'vitest'
import { Clearance, type Condition, ExecutionOptions, Operator, ParameterType } from 'zodiac-roles-sdk'
import { DEMO, KEEPER, MAINNET, demoRolesConfig, mainnetRolesConfig } from '../../../test/fixtureKeeperConfigs.js'
import { deriveKeeperNeeds } from '../../app/keeper/deriveKeeperNeeds.js'
import { encodeV3Path } from '../uniswap/v3Math.js'
import type { KeeperNeeds } from './KeeperNeeds.js'
import { buildKeeperRole, describeSwapPath } from './buildKeeperRole.js'

const calldata = (...children: Condition[]): Condition => ({ paramType: ParameterType.Calldata, operator: Operator.Matches, children })
const pass: Condition = { paramType: ParameterType.Static, operator: Operator.Pass }
const isAvatar: Condition = { paramType: ParameterType.Static, operator: Operator.EqualToAvatar }
const isAddress = (address: Address): Condition => ({ paramType: ParameterType.Static, operator: Operator.EqualTo, compValue: pad(address.toLowerCase() as Hex) })
const or = (...children: Condition[]): Condition => ({ paramType: ParameterType.None, operator: Operator.Or, children })

/** The condition on one function of one target of a role. */
function conditionOf(role: ReturnType<typeof buildKeeperRole>['role'], target: Address, selector: Hex): Condition | undefined {
  return role.targets.find((candidate) => candidate.address === target.toLowerCase())?.functions.find((fn) => fn.selector === selector)?.condition
}

describe('buildKeeperRole', () => {
  const demo = buildKeeperRole(deriveKeeperNeeds(demoRolesConfig()))

  it("gives the demo's role: the keeper its only member, each target scoped to the functions the manager calls", () => {
    expect(demo.role.key).toBe('0x647573742d6b6565706572000000000000000000000000000000000000000000')
    expect(demo.role.members).toEqual([KEEPER])
    expect(demo.role.annotations).toEqual([])
    expect(demo.role.targets.map((target) => [target.address, target.clearance, target.executionOptions, target.functions.map((fn) => fn.selector)])).toEqual([
      [DEMO.eigenDistributor.toLowerCase(), Clearance.Function, ExecutionOptions.None, ['0x2e7ba6ef']],
      [DEMO.ethfiDistributor.toLowerCase(), Clearance.Function, ExecutionOptions.None, ['0x2e7ba6ef']],
      [DEMO.EIGEN.toLowerCase(), Clearance.Function, ExecutionOptions.None, ['0x095ea7b3', '0xa9059cbb']],
      [DEMO.ETHFI.toLowerCase(), Clearance.Function, ExecutionOptions.None, ['0x095ea7b3', '0xa9059cbb']],
      [DEMO.v3Router.toLowerCase(), Clearance.Function, ExecutionOptions.None, ['0xc04b8d59']],
      [DEMO.v2Router.toLowerCase(), Clearance.Function, ExecutionOptions.None, ['0x38ed1739']],
    ])
  })

  it('conditions every function: none is wildcarded, none sends ether or delegatecalls, no target is allowed whole', () => {
    for (const { targets } of [demo.role, buildKeeperRole(deriveKeeperNeeds(mainnetRolesConfig())).role]) {
      for (const target of targets) {
        expect(target.clearance).toBe(Clearance.Function)
        for (const fn of target.functions) {
          expect(fn.wildcarded).toBe(false)
          expect(fn.executionOptions).toBe(ExecutionOptions.None)
          expect(fn.condition?.paramType).toBe(ParameterType.Calldata)
          expect(fn.condition?.operator).toBe(Operator.Matches)
        }
      }
    }
  })

  it('claims only with the Safe as the account', () => {
    expect(conditionOf(demo.role, DEMO.eigenDistributor, '0x2e7ba6ef')).toEqual(calldata(pass, isAvatar))
    expect(conditionOf(demo.role, DEMO.ethfiDistributor, '0x2e7ba6ef')).toEqual(calldata(pass, isAvatar))
  })

  it('approves only the routers that trade the token, and transfers only to the deposit address', () => {
    // The SDK orders the branches of an `or`.
    expect(conditionOf(demo.role, DEMO.EIGEN, '0x095ea7b3')).toEqual(calldata(or(isAddress(DEMO.v2Router), isAddress(DEMO.v3Router))))
    expect(conditionOf(demo.role, DEMO.EIGEN, '0xa9059cbb')).toEqual(calldata(isAddress(DEMO.deposit)))
  })

  it('swaps only along the planner paths, with the Safe as recipient', () => {
    const v3Path = (addresses: Address[]) => encodeAbiParameters([{ type: 'bytes' }], [encodeV3Path(addresses, [3000, 500]).toLowerCase() as Hex])
    expect(conditionOf(demo.role, DEMO.v3Router, '0xc04b8d59')).toEqual(
      calldata({
        paramType: ParameterType.Tuple,
        operator: Operator.Matches,
        children: [
          or(
            { paramType: ParameterType.Dynamic, operator: Operator.EqualTo, compValue: v3Path([DEMO.EIGEN, DEMO.WETH, DEMO.USDT]) },
            { paramType: ParameterType.Dynamic, operator: Operator.EqualTo, compValue: v3Path([DEMO.ETHFI, DEMO.WETH, DEMO.USDT]) },
          ),
          isAvatar,
        ],
      }),
    )
    const v2Path = (addresses: Address[]): Condition => ({
      paramType: ParameterType.Array,
      operator: Operator.EqualTo,
      compValue: encodeAbiParameters([{ type: 'address[]' }], [addresses.map((address) => address.toLowerCase() as Address)]),
      children: [pass],
    })
    expect(conditionOf(demo.role, DEMO.v2Router, '0x38ed1739')).toEqual(calldata(pass, pass, or(v2Path([DEMO.EIGEN, DEMO.WETH, DEMO.USDT]), v2Path([DEMO.ETHFI, DEMO.WETH, DEMO.USDT])), isAvatar))
  })

  it('claims from Merkl only when every user is the Safe, and uses plain equality for a single allowed value', () => {
    const { role } = buildKeeperRole(deriveKeeperNeeds(mainnetRolesConfig()))
    expect(conditionOf(role, MAINNET.merkl, '0x71ee95c0')).toEqual(calldata({ paramType: ParameterType.Array, operator: Operator.ArrayEvery, children: [isAvatar] }))
    expect(conditionOf(role, MAINNET.USDC, '0x095ea7b3')).toEqual(calldata(isAddress(MAINNET.v3Router)))
    expect(conditionOf(role, MAINNET.USDC, '0xa9059cbb')).toEqual(calldata(or(isAddress(MAINNET.okxDeposit), isAddress(MAINNET.binanceDeposit))))
  })

  it('gives one permission per need, on its target and signature', () => {
    expect(demo.permissions.map((permission) => [permission.targetAddress, 'signature' in permission ? permission.signature : permission.selector])).toEqual([
      [DEMO.eigenDistributor, 'claim(uint256,address,uint256,bytes32[])'],
      [DEMO.ethfiDistributor, 'claim(uint256,address,uint256,bytes32[])'],
      [DEMO.EIGEN, 'approve(address,uint256)'],
      [DEMO.EIGEN, 'transfer(address,uint256)'],
      [DEMO.ETHFI, 'approve(address,uint256)'],
      [DEMO.ETHFI, 'transfer(address,uint256)'],
      [DEMO.v3Router, 'exactInput((bytes,address,uint256,uint256,uint256))'],
      [DEMO.v2Router, 'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)'],
    ])
  })

  it('writes the review a signer reads: each target, function and condition in words', () => {
    expect(demo.review).toEqual([
      'Role "dust-keeper" (0x647573742d6b6565706572000000000000000000000000000000000000000000) on the Roles modifier 0x901e500000000000000000000000000000000001, local (chain 31337):',
      '  member: the keeper 0x4Ee9e40000000000000000000000000000000002, acting for the Safe 0x5AfE00000000000000000000000000000000cAfE',
      '  no target is allowed whole, no function wildcarded, no ether sent, no delegatecall',
      '0x00000000000000000000000000000000000000D1 (merkle_rewards distributor of etherfi_eigen): claim(uint256,address,uint256,bytes32[])',
      '  account = the Safe',
      '  index, amount, proof: any',
      '0x00000000000000000000000000000000000000D2 (merkle_rewards distributor of etherfi_ethfi): claim(uint256,address,uint256,bytes32[])',
      '  account = the Safe',
      '  index, amount, proof: any',
      '0x00000000000000000000000000000000000000E3 (EIGEN): approve(address,uint256)',
      '  spender = 0x00000000000000000000000000000000000000A3 (uniswap_v3 router of uniswap) or 0x00000000000000000000000000000000000000A2 (uniswap_v2 router of uniswap_v2)',
      '  amount: any',
      '0x00000000000000000000000000000000000000E3 (EIGEN): transfer(address,uint256)',
      '  to = 0x00000000000000000000000000000000000000B1 (deposit address of binance)',
      '  amount: any',
      '0x00000000000000000000000000000000000000E4 (ETHFI): approve(address,uint256)',
      '  spender = 0x00000000000000000000000000000000000000A3 (uniswap_v3 router of uniswap) or 0x00000000000000000000000000000000000000A2 (uniswap_v2 router of uniswap_v2)',
      '  amount: any',
      '0x00000000000000000000000000000000000000E4 (ETHFI): transfer(address,uint256)',
      '  to = 0x00000000000000000000000000000000000000B1 (deposit address of binance)',
      '  amount: any',
      '0x00000000000000000000000000000000000000A3 (uniswap_v3 router of uniswap): exactInput((bytes,address,uint256,uint256,uint256))',
      '  path one of: EIGEN -3000-> WETH -500-> USDT, ETHFI -3000-> WETH -500-> USDT',
      '  recipient = the Safe',
      '  deadline, amountIn, amountOutMinimum: any',
      '0x00000000000000000000000000000000000000A2 (uniswap_v2 router of uniswap_v2): swapExactTokensForTokens(uint256,uint256,address[],address,uint256)',
      '  path one of: EIGEN -> WETH -> USDT, ETHFI -> WETH -> USDT',
      '  to = the Safe',
      '  amountIn, amountOutMin, deadline: any',
    ])
  })

  it('describes V2 and V3 paths', () => {
    expect(describeSwapPath({ tokens: ['ARB', 'USDC', 'WETH'], addresses: [], fees: [3000, 500] })).toBe('ARB -3000-> USDC -500-> WETH')
    expect(describeSwapPath({ tokens: ['EIGEN', 'WETH'], addresses: [] })).toBe('EIGEN -> WETH')
  })

  it('builds a role with no target when nothing is needed, and names a role given by its key alone by that key', () => {
    const needs: KeeperNeeds = {
      chain: { name: 'ethereum', id: 1 },
      safe: DEMO.deposit,
      rolesModifier: DEMO.v2Router,
      role: { key: `0x${'ab'.repeat(32)}` },
      keeper: KEEPER,
      needs: [],
    }
    const built = buildKeeperRole(needs)
    expect(built.role).toEqual({ key: `0x${'ab'.repeat(32)}`, members: [KEEPER], targets: [], annotations: [], lastUpdate: 0 })
    expect(built.review[0]).toBe(`Role 0x${'ab'.repeat(32)} on the Roles modifier ${DEMO.v2Router}, ethereum (chain 1):`)
  })
})
