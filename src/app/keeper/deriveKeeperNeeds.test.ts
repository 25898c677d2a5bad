import { stringToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { DEMO, KEEPER, MAINNET, ROLES, SAFE, demoRolesConfig, mainnetRolesConfig, rolesSigner } from '../../../test/fixtureKeeperConfigs.js'
import { ConfigError } from '../../errors/index.js'
import { deriveKeeperNeeds } from './deriveKeeperNeeds.js'

const ROLE_KEY = stringToHex('dust-keeper', { size: 32 })

describe('deriveKeeperNeeds', () => {
  it('derives the demo strategy: both claims to the Safe, EIGEN and ETHFI approved to both routers and sent to Binance, swapped to USDT', () => {
    const needs = deriveKeeperNeeds(demoRolesConfig())
    expect(needs).toEqual({
      chain: { name: 'local', id: 31337 },
      safe: SAFE,
      rolesModifier: ROLES,
      role: { key: ROLE_KEY, name: 'dust-keeper' },
      keeper: KEEPER,
      needs: [
        {
          target: DEMO.eigenDistributor,
          label: 'merkle_rewards distributor of etherfi_eigen',
          function: 'claim_merkle_rewards',
          signature: 'claim(uint256,address,uint256,bytes32[])',
          constraint: { kind: 'claim', distributor: 'merkle_rewards' },
        },
        {
          target: DEMO.ethfiDistributor,
          label: 'merkle_rewards distributor of etherfi_ethfi',
          function: 'claim_merkle_rewards',
          signature: 'claim(uint256,address,uint256,bytes32[])',
          constraint: { kind: 'claim', distributor: 'merkle_rewards' },
        },
        {
          target: DEMO.EIGEN,
          label: 'EIGEN',
          function: 'approve',
          signature: 'approve(address,uint256)',
          constraint: {
            kind: 'approve',
            spenders: [
              { address: DEMO.v3Router, label: 'uniswap_v3 router of uniswap' },
              { address: DEMO.v2Router, label: 'uniswap_v2 router of uniswap_v2' },
            ],
          },
        },
        {
          target: DEMO.EIGEN,
          label: 'EIGEN',
          function: 'transfer',
          signature: 'transfer(address,uint256)',
          constraint: { kind: 'transfer', recipients: [{ address: DEMO.deposit, label: 'deposit address of binance' }] },
        },
        {
          target: DEMO.ETHFI,
          label: 'ETHFI',
          function: 'approve',
          signature: 'approve(address,uint256)',
          constraint: {
            kind: 'approve',
            spenders: [
              { address: DEMO.v3Router, label: 'uniswap_v3 router of uniswap' },
              { address: DEMO.v2Router, label: 'uniswap_v2 router of uniswap_v2' },
            ],
          },
        },
        {
          target: DEMO.ETHFI,
          label: 'ETHFI',
          function: 'transfer',
          signature: 'transfer(address,uint256)',
          constraint: { kind: 'transfer', recipients: [{ address: DEMO.deposit, label: 'deposit address of binance' }] },
        },
        {
          target: DEMO.v3Router,
          label: 'uniswap_v3 router of uniswap',
          function: 'swap_v3',
          signature: 'exactInput((bytes,address,uint256,uint256,uint256))',
          constraint: {
            kind: 'swap_v3',
            router: DEMO.v3Router,
            paths: [
              { tokens: ['EIGEN', 'WETH', 'USDT'], addresses: [DEMO.EIGEN, DEMO.WETH, DEMO.USDT], fees: [3000, 500] },
              { tokens: ['ETHFI', 'WETH', 'USDT'], addresses: [DEMO.ETHFI, DEMO.WETH, DEMO.USDT], fees: [3000, 500] },
            ],
          },
        },
        {
          target: DEMO.v2Router,
          label: 'uniswap_v2 router of uniswap_v2',
          function: 'swap_v2',
          signature: 'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)',
          constraint: {
            kind: 'swap_v2',
            router: DEMO.v2Router,
            paths: [
              { tokens: ['EIGEN', 'WETH', 'USDT'], addresses: [DEMO.EIGEN, DEMO.WETH, DEMO.USDT] },
              { tokens: ['ETHFI', 'WETH', 'USDT'], addresses: [DEMO.ETHFI, DEMO.WETH, DEMO.USDT] },
            ],
          },
        },
      ],
    })
  })

  it('derives a mainnet strategy: a Merkl claim, every path of at most max_hops to WETH, two deposit addresses, and nothing for ignored, disabled, LST or other-chain tokens', () => {
    const needs = deriveKeeperNeeds(mainnetRolesConfig())
    expect(needs.chain).toEqual({ name: 'ethereum', id: 1 })
    expect(needs.needs.map((need) => [need.target, need.label, need.signature])).toEqual([
      [MAINNET.merkl, 'merkl distributor of merkl', 'claim(address[],address[],uint256[],bytes32[][])'],
      [MAINNET.USDC, 'USDC', 'approve(address,uint256)'],
      [MAINNET.USDC, 'USDC', 'transfer(address,uint256)'],
      [MAINNET.EIGEN, 'EIGEN', 'approve(address,uint256)'],
      [MAINNET.EIGEN, 'EIGEN', 'transfer(address,uint256)'],
      [MAINNET.ARB, 'ARB', 'approve(address,uint256)'],
      [MAINNET.ARB, 'ARB', 'transfer(address,uint256)'],
      [MAINNET.v2Router, 'uniswap_v2 router of sushi', 'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)'],
      [MAINNET.v3Router, 'uniswap_v3 router of uniswap', 'exactInput((bytes,address,uint256,uint256,uint256))'],
    ])
    const constraints = Object.fromEntries(needs.needs.map((need) => [`${need.label} ${need.function}`, need.constraint]))
    expect(constraints['merkl distributor of merkl claim_merkl']).toEqual({ kind: 'claim', distributor: 'merkl' })
    const v3 = { address: MAINNET.v3Router, label: 'uniswap_v3 router of uniswap' }
    const v2 = { address: MAINNET.v2Router, label: 'uniswap_v2 router of sushi' }
    // USDC and ARB have no V2 pool: only the V3 router may spend them.
    expect(constraints['USDC approve']).toEqual({ kind: 'approve', spenders: [v3] })
    expect(constraints['EIGEN approve']).toEqual({ kind: 'approve', spenders: [v2, v3] })
    expect(constraints['ARB approve']).toEqual({ kind: 'approve', spenders: [v3] })
    // The Base deposit address takes nothing from Ethereum.
    const deposits = [
      { address: MAINNET.binanceDeposit, label: 'deposit address of binance' },
      { address: MAINNET.okxDeposit, label: 'deposit address of okx' },
    ]
    for (const token of ['USDC', 'EIGEN', 'ARB']) expect(constraints[`${token} transfer`]).toEqual({ kind: 'transfer', recipients: deposits })
    expect(constraints['uniswap_v2 router of sushi swap_v2']).toEqual({
      kind: 'swap_v2',
      router: MAINNET.v2Router,
      paths: [{ tokens: ['EIGEN', 'WETH'], addresses: [MAINNET.EIGEN, MAINNET.WETH] }],
    })
    expect(constraints['uniswap_v3 router of uniswap swap_v3']).toEqual({
      kind: 'swap_v3',
      router: MAINNET.v3Router,
      paths: [
        { tokens: ['USDC', 'WETH'], addresses: [MAINNET.USDC, MAINNET.WETH], fees: [500] },
        { tokens: ['USDC', 'EIGEN', 'WETH'], addresses: [MAINNET.USDC, MAINNET.EIGEN, MAINNET.WETH], fees: [500, 3000] },
        { tokens: ['EIGEN', 'WETH'], addresses: [MAINNET.EIGEN, MAINNET.WETH], fees: [3000] },
        { tokens: ['EIGEN', 'USDC', 'WETH'], addresses: [MAINNET.EIGEN, MAINNET.USDC, MAINNET.WETH], fees: [500, 500] },
        { tokens: ['ARB', 'USDC', 'WETH'], addresses: [MAINNET.ARB, MAINNET.USDC, MAINNET.WETH], fees: [3000, 500] },
        { tokens: ['ARB', 'USDC', 'EIGEN', 'WETH'], addresses: [MAINNET.ARB, MAINNET.USDC, MAINNET.EIGEN, MAINNET.WETH], fees: [3000, 500, 3000] },
      ],
    })
  })

  it('keeps paths within max_hops, as the planner does', () => {
    const needs = deriveKeeperNeeds(mainnetRolesConfig({ max_hops: 1 }))
    const v3 = needs.needs.find((need) => need.function === 'swap_v3')
    expect(v3?.constraint).toEqual({
      kind: 'swap_v3',
      router: MAINNET.v3Router,
      paths: [
        { tokens: ['USDC', 'WETH'], addresses: [MAINNET.USDC, MAINNET.WETH], fees: [500] },
        { tokens: ['EIGEN', 'WETH'], addresses: [MAINNET.EIGEN, MAINNET.WETH], fees: [3000] },
      ],
    })
    // ARB needs two hops: with one, no venue can sell it, so it is neither approved nor swapped (only sent to the exchanges).
    expect(needs.needs.filter((need) => need.label === 'ARB').map((need) => need.function)).toEqual(['transfer'])
  })

  it('shares one claim between the venues of one distributor, and one swap function between the venues of one router', () => {
    const base = mainnetRolesConfig()
    const config = mainnetRolesConfig({
      venues: {
        ...base.venues,
        merkl_arb: { type: 'merkl', account: SAFE, proofs_file: 'merkl-arb.json' },
        uniswap_b: {
          type: 'uniswap_v3',
          router: MAINNET.v3Router,
          quoter: '0x61ffe014ba17989e743c5f6cb21bf9697530b21e',
          factory: '0x1f98431c8ad98523631ae4a59f267346ea31f984',
          pools: [{ tokens: ['ARB', 'WETH'], fee: 500 }],
        },
      },
    })
    const needs = deriveKeeperNeeds(config)
    expect(needs.needs.filter((need) => need.function === 'claim_merkl').map((need) => [need.target, need.label])).toEqual([[MAINNET.merkl, 'merkl distributor of merkl, merkl_arb']])
    const swaps = needs.needs.filter((need) => need.function === 'swap_v3')
    expect(swaps.map((need) => need.label)).toEqual(['uniswap_v3 router of uniswap, uniswap_b'])
    const paths = swaps[0]?.constraint.kind === 'swap_v3' ? swaps[0].constraint.paths.map((path) => path.tokens.join('>')) : []
    expect(paths).toEqual(['USDC>WETH', 'USDC>EIGEN>WETH', 'EIGEN>WETH', 'EIGEN>USDC>WETH', 'ARB>USDC>WETH', 'ARB>USDC>EIGEN>WETH', 'ARB>WETH'])
    expect(needs.needs.find((need) => need.label === 'ARB' && need.function === 'approve')?.constraint).toEqual({
      kind: 'approve',
      spenders: [{ address: MAINNET.v3Router, label: 'uniswap_v3 router of uniswap, uniswap_b' }],
    })
  })

  it('takes a bytes32 role key as it is, with no name', () => {
    const key = `0x${'AB'.repeat(32)}`
    const needs = deriveKeeperNeeds(mainnetRolesConfig({ execution: { mode: 'live', signer: { ...rolesSigner, role: key } } }))
    expect(needs.role).toEqual({ key: key.toLowerCase() })
  })

  it('refuses a configuration whose signer is not a roles signer, in a ConfigError naming the key', () => {
    const config = mainnetRolesConfig({ execution: { mode: 'live', signer: { private_key_env: 'DUST_KEY' } } })
    const error = (() => {
      try {
        deriveKeeperNeeds(config, { file: 'configs/keeper.yaml' })
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      { path: 'execution.signer', expected: 'a roles signer (type: roles, with safe, roles_modifier, role and keeper) to derive a keeper role from', found: 'a private_key_env signer' },
    ])
    expect((error as ConfigError).file).toBe('configs/keeper.yaml')
  })

  it('refuses a roles signer whose chain is not under chains', () => {
    const config = mainnetRolesConfig({ execution: { mode: 'live', signer: { ...rolesSigner, chain: 'gnosis' } } })
    expect(() => deriveKeeperNeeds(config)).toThrow(ConfigError)
    try {
      deriveKeeperNeeds(config)
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([{ path: 'execution.signer.chain', expected: 'a chain configured under chains (ethereum)', found: 'gnosis' }])
    }
  })
})
