import { type Address, erc20Abi, getAddress, multicall3Abi } from 'viem'
import { Fraction } from '../../domain/money/index.js'
import { loadMulticall3Bytecode } from '../evm/loadMulticall3Bytecode.js'
import { type ClaimsFile, createBalanceTree } from '../merkle/createBalanceTree.js'
import { v2FactoryAbi, v3FactoryAbi } from '../uniswap/uniswapAbis.js'
import { sqrtPriceX96FromRatio, tickAtRatio } from '../uniswap/v3Math.js'
import type { LocalDeployer } from './createLocalDeployer.js'
import { demoTokenAbi, positionManagerAbi, v2RouterLiquidityAbi, wethAbi } from './demoAbis.js'
import { loadContractArtifact } from './loadContractArtifact.js'
import { artifacts } from './npmArtifact.js'

/** The demo's tokens, with their decimals (USDT has 6, as on mainnet). */
export const DEMO_TOKENS = { WETH: 18, USDT: 6, EIGEN: 18, ETHFI: 18, weETH: 18 } as const
export type DemoTokenSymbol = keyof typeof DEMO_TOKENS

/** The tokens deployed from `DemoToken`, in the order they are deployed (WETH is WETH9). */
const DEMO_TOKEN_CONTRACTS = ['USDT', 'EIGEN', 'ETHFI', 'weETH'] as const

function isDemoTokenSymbol(symbol: string): symbol is DemoTokenSymbol {
  return Object.hasOwn(DEMO_TOKENS, symbol)
}

/** Prices the pools are seeded at, in whole tokens: the last real closes of `shared/data/prices`. */
export type DemoPrices = {
  /** USDT per WETH. */
  readonly ethUsdt: Fraction
  /** WETH per EIGEN. */
  readonly eigenWeth: Fraction
  /** WETH per ETHFI. */
  readonly ethfiWeth: Fraction
}

/** One pool to seed: its pair, and how much WETH-worth of depth each side gets. */
export type DemoPool = {
  readonly tokens: readonly [DemoTokenSymbol, DemoTokenSymbol]
  /** Depth of each side in WETH base units (its value in WETH). */
  readonly depthWeth: bigint
  /** V3 only: fee in hundredths of a bip (500, 3000). */
  readonly fee?: number
  /** V3 only: the position spans price / rangeFactor to price × rangeFactor; absent means full range. */
  readonly rangeFactor?: Fraction
}

export type DeployDemoEnvironmentParameters = {
  deployer: LocalDeployer
  prices: DemoPrices
  v2Pools: readonly DemoPool[]
  v3Pools: readonly DemoPool[]
  /** Balances minted to each account, in base units. */
  balances: ReadonlyArray<{ readonly account: Address; readonly token: DemoTokenSymbol; readonly amount: bigint }>
  /** Merkle distributions: per reward token, each account's amount in base units. */
  distributions: Partial<Record<DemoTokenSymbol, ReadonlyArray<{ readonly account: Address; readonly amount: bigint }>>>
  /** Told each step as it is done. */
  onProgress?: ((step: string) => void) | undefined
}

/** Every contract of the demo chain. */
export type DemoEnvironment = {
  readonly tokens: Readonly<Record<DemoTokenSymbol, Address>>
  readonly multicall: Address
  readonly uniswapV2: { readonly factory: Address; readonly router: Address; readonly pairs: ReadonlyArray<{ tokens: readonly [DemoTokenSymbol, DemoTokenSymbol]; address: Address }> }
  readonly uniswapV3: {
    readonly factory: Address
    readonly swapRouter: Address
    readonly quoterV2: Address
    readonly positionManager: Address
    readonly pools: ReadonlyArray<{ tokens: readonly [DemoTokenSymbol, DemoTokenSymbol]; fee: number; address: Address }>
  }
  readonly distributors: Partial<Record<DemoTokenSymbol, { readonly address: Address; readonly claims: ClaimsFile }>>
}

const TICK_SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10000: 200 }

/**
 * Deploys the demo's world on a development chain: WETH9, the tokens (USDT with 6 decimals),
 * Multicall3, Uniswap V2 (factory, router) and V3 (factory, position manager, SwapRouter,
 * QuoterV2) from their npm bytecode, pools seeded at the given prices, and a funded
 * `@uniswap/merkle-distributor` per reward token with its claims file.
 */
export async function deployDemoEnvironment(parameters: DeployDemoEnvironmentParameters): Promise<DemoEnvironment> {
  const { deployer, prices } = parameters
  const progress = parameters.onProgress ?? (() => {})
  const token = loadContractArtifact('DemoToken')

  progress('tokens')
  const weth = await deployer.deploy(artifacts.weth9())
  const tokens: Record<DemoTokenSymbol, Address> = { WETH: weth, USDT: weth, EIGEN: weth, ETHFI: weth, weETH: weth }
  const names: Record<(typeof DEMO_TOKEN_CONTRACTS)[number], string> = { USDT: 'Tether USD', EIGEN: 'Eigen', ETHFI: 'ether.fi governance token', weETH: 'Wrapped eETH' }
  for (const symbol of DEMO_TOKEN_CONTRACTS) {
    tokens[symbol] = await deployer.deploy(token, [names[symbol], symbol, DEMO_TOKENS[symbol]])
  }
  const multicall = await deployer.deploy({ abi: multicall3Abi, bytecode: loadMulticall3Bytecode() })

  /** Value of one whole token in WETH. */
  const inWeth = (symbol: DemoTokenSymbol): Fraction => {
    switch (symbol) {
      case 'WETH':
        return Fraction.ONE
      case 'USDT':
        return prices.ethUsdt.invert()
      case 'EIGEN':
        return prices.eigenWeth
      case 'ETHFI':
        return prices.ethfiWeth
      case 'weETH':
        throw new Error('The demo seeds no weETH pool.')
    }
  }
  /** Base units of `symbol` worth `weth` WETH base units, rounded down. */
  const worth = (symbol: DemoTokenSymbol, weth: bigint): bigint => new Fraction(weth * 10n ** BigInt(DEMO_TOKENS[symbol]), 10n ** 18n).divide(inWeth(symbol)).toBigInt('down')
  const fund = async (symbol: DemoTokenSymbol, amount: bigint, spender: Address) => {
    if (symbol === 'WETH') await deployer.write(weth, wethAbi, 'deposit', [], amount)
    else await deployer.write(tokens[symbol], demoTokenAbi, 'mint', [deployer.address, amount])
    await deployer.write(tokens[symbol], erc20Abi, 'approve', [spender, amount])
  }
  const deadline = async () => (await deployer.client.getBlock()).timestamp + 3_600n

  progress('Uniswap V2')
  const v2FactoryArtifact = artifacts.v2Factory()
  const v2RouterArtifact = artifacts.v2Router()
  const v2Factory = await deployer.deploy(v2FactoryArtifact, [deployer.address])
  const v2Router = await deployer.deploy(v2RouterArtifact, [v2Factory, weth])
  const pairs: Array<{ tokens: readonly [DemoTokenSymbol, DemoTokenSymbol]; address: Address }> = []
  for (const pool of parameters.v2Pools) {
    const [a, b] = pool.tokens
    const amountA = worth(a, pool.depthWeth)
    const amountB = worth(b, pool.depthWeth)
    await fund(a, amountA, v2Router)
    await fund(b, amountB, v2Router)
    await deployer.write(v2Router, v2RouterLiquidityAbi, 'addLiquidity', [tokens[a], tokens[b], amountA, amountB, amountA, amountB, deployer.address, await deadline()])
    const pair = await deployer.client.readContract({ address: v2Factory, abi: v2FactoryAbi, functionName: 'getPair', args: [tokens[a], tokens[b]] })
    pairs.push({ tokens: pool.tokens, address: getAddress(pair) })
  }

  progress('Uniswap V3')
  const v3FactoryArtifact = artifacts.v3Factory()
  const v3Factory = await deployer.deploy(v3FactoryArtifact)
  const positionManagerArtifact = artifacts.v3PositionManager()
  const positionManager = await deployer.deploy(positionManagerArtifact, [v3Factory, weth, '0x0000000000000000000000000000000000000000'])
  const swapRouter = await deployer.deploy(artifacts.v3SwapRouter(), [v3Factory, weth])
  const quoterV2 = await deployer.deploy(artifacts.v3QuoterV2(), [v3Factory, weth])
  const v3Pools: Array<{ tokens: readonly [DemoTokenSymbol, DemoTokenSymbol]; fee: number; address: Address }> = []
  for (const pool of parameters.v3Pools) {
    const fee = pool.fee ?? 3000
    const spacing = TICK_SPACING[fee]
    if (spacing === undefined) throw new Error(`Uniswap V3 has no fee tier ${fee}.`)
    const [a, b] = pool.tokens
    const [token0, token1] = BigInt(tokens[a]) < BigInt(tokens[b]) ? [a, b] : [b, a]
    // Price of the pool: token1 base units per token0 base unit.
    const ratio = inWeth(token0)
      .divide(inWeth(token1))
      .multiply(10n ** BigInt(DEMO_TOKENS[token1]))
      .divide(10n ** BigInt(DEMO_TOKENS[token0]))
    await deployer.write(positionManager, positionManagerAbi, 'createAndInitializePoolIfNecessary', [tokens[token0], tokens[token1], fee, sqrtPriceX96FromRatio(ratio)])
    const lower = pool.rangeFactor ? tickAtRatio(ratio.divide(pool.rangeFactor), spacing) : Math.ceil(-887_272 / spacing) * spacing
    const upper = pool.rangeFactor ? tickAtRatio(ratio.multiply(pool.rangeFactor), spacing) + spacing : Math.floor(887_272 / spacing) * spacing
    const amount0 = worth(token0, pool.depthWeth)
    const amount1 = worth(token1, pool.depthWeth)
    await fund(token0, amount0, positionManager)
    await fund(token1, amount1, positionManager)
    await deployer.write(positionManager, positionManagerAbi, 'mint', [
      {
        token0: tokens[token0],
        token1: tokens[token1],
        fee,
        tickLower: lower,
        tickUpper: upper,
        amount0Desired: amount0,
        amount1Desired: amount1,
        amount0Min: 0n,
        amount1Min: 0n,
        recipient: deployer.address,
        deadline: await deadline(),
      },
    ])
    const address = await deployer.client.readContract({ address: v3Factory, abi: v3FactoryAbi, functionName: 'getPool', args: [tokens[token0], tokens[token1], fee] })
    v3Pools.push({ tokens: pool.tokens, fee, address: getAddress(address) })
  }

  progress('balances')
  for (const { account, token: symbol, amount } of parameters.balances) {
    if (symbol === 'WETH') {
      await deployer.write(weth, wethAbi, 'deposit', [], amount)
      await deployer.write(weth, wethAbi, 'transfer', [account, amount])
    } else await deployer.write(tokens[symbol], demoTokenAbi, 'mint', [account, amount])
  }

  progress('merkle distributors')
  const distributors: Partial<Record<DemoTokenSymbol, { address: Address; claims: ClaimsFile }>> = {}
  for (const [symbol, entries] of Object.entries(parameters.distributions)) {
    if (!isDemoTokenSymbol(symbol) || entries === undefined) continue
    const tree = createBalanceTree(entries)
    const address = await deployer.deploy(artifacts.merkleDistributor(), [tokens[symbol], tree.root])
    const total = entries.reduce((sum, entry) => sum + entry.amount, 0n)
    await deployer.write(tokens[symbol], demoTokenAbi, 'mint', [address, total])
    distributors[symbol] = { address, claims: tree.claimsFile() }
  }
  return {
    tokens,
    multicall,
    uniswapV2: { factory: v2Factory, router: v2Router, pairs },
    uniswapV3: { factory: v3Factory, swapRouter, quoterV2, positionManager, pools: v3Pools },
    distributors,
  }
}
