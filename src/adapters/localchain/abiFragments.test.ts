import type { Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { merkleDistributorAbi } from '../merkle/createMerkleRewardsSource.js'
import { quoterV2Abi, swapRouterAbi, v2FactoryAbi, v2PairAbi, v2RouterAbi, v3FactoryAbi, v3PoolAbi } from '../uniswap/uniswapAbis.js'
import { demoTokenAbi, positionManagerAbi, v2RouterLiquidityAbi, wethAbi } from './demoAbis.js'
import { loadContractArtifact } from './loadContractArtifact.js'
import { npmArtifact } from './npmArtifact.js'

type Parameter = { readonly name?: string | undefined; readonly type: string; readonly components?: readonly Parameter[] | undefined }

/** A parameter list as text: its types, and the names of tuple components (viem encodes structs by them). */
function describeParameters(parameters: readonly Parameter[], named = false): string {
  return parameters
    .map((parameter) => {
      const type = parameter.components ? `(${describeParameters(parameter.components, true)})${parameter.type.slice('tuple'.length)}` : parameter.type
      return named && parameter.name ? `${type} ${parameter.name}` : type
    })
    .join(', ')
}

/** Each function of a hand-written ABI fragment, and the same function in the artifact's ABI, as text. */
function compare(fragment: Abi, artifact: Abi): { declared: string[]; published: string[] } {
  const describe = (abi: Abi, name: string) =>
    abi
      .filter((item) => item.type === 'function' && item.name === name)
      .map((item) => (item.type === 'function' ? `${item.name}(${describeParameters(item.inputs)}) ${item.stateMutability} returns (${describeParameters(item.outputs)})` : ''))
  const names = fragment.flatMap((item) => (item.type === 'function' ? [item.name] : []))
  return { declared: names.flatMap((name) => describe(fragment, name)), published: names.flatMap((name) => describe(artifact, name)) }
}

/** The hand-written `as const` fragments, each beside the artifact it was taken from. */
const FRAGMENTS: ReadonlyArray<readonly [string, Abi, () => Abi]> = [
  ['v2RouterAbi', v2RouterAbi, () => npmArtifact('@uniswap/v2-periphery/build/UniswapV2Router02.json').abi],
  ['v2FactoryAbi', v2FactoryAbi, () => npmArtifact('@uniswap/v2-core/build/UniswapV2Factory.json').abi],
  ['v2PairAbi', v2PairAbi, () => npmArtifact('@uniswap/v2-core/build/UniswapV2Pair.json').abi],
  ['v3FactoryAbi', v3FactoryAbi, () => npmArtifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json').abi],
  ['v3PoolAbi', v3PoolAbi, () => npmArtifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json').abi],
  ['quoterV2Abi', quoterV2Abi, () => npmArtifact('@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json').abi],
  ['swapRouterAbi', swapRouterAbi, () => npmArtifact('@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json').abi],
  ['v2RouterLiquidityAbi', v2RouterLiquidityAbi, () => npmArtifact('@uniswap/v2-periphery/build/UniswapV2Router02.json').abi],
  ['positionManagerAbi', positionManagerAbi, () => npmArtifact('@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json').abi],
  ['wethAbi', wethAbi, () => npmArtifact('@uniswap/v2-periphery/build/WETH9.json').abi],
  ['demoTokenAbi', demoTokenAbi, () => loadContractArtifact('DemoToken').abi],
  ['merkleDistributorAbi', merkleDistributorAbi, () => npmArtifact('@uniswap/merkle-distributor/build/MerkleDistributor.json').abi],
]

describe('the hand-written ABI fragments', () => {
  it.each(FRAGMENTS)('%s declares its functions as the artifact does', (_name, fragment, artifact) => {
    const { declared, published } = compare(fragment, artifact())
    expect(declared.length).toBeGreaterThan(0)
    expect(declared).toEqual(published)
  })
})
