import { createRequire } from 'node:module'
import type { Abi, Hex } from 'viem'

/** A contract's ABI and creation bytecode. */
export type ContractArtifact = { readonly abi: Abi; readonly bytecode: Hex }

const require = createRequire(import.meta.url)

/**
 * Loads a contract artifact shipped in an npm package (`@uniswap/v2-core/build/UniswapV2Factory.json`).
 *
 * Truffle/Waffle builds (`bytecode` without `0x`), Hardhat artifacts and solc's
 * `evm.bytecode.object` are all read; a library placeholder left unlinked is refused.
 */
export function npmArtifact(path: string): ContractArtifact {
  const artifact = require(path) as { abi: Abi; bytecode?: string | { object: string }; evm?: { bytecode: { object: string } } }
  const raw = typeof artifact.bytecode === 'string' ? artifact.bytecode : (artifact.bytecode?.object ?? artifact.evm?.bytecode.object ?? '')
  const code = raw.startsWith('0x') ? raw : `0x${raw}`
  if (code.length <= 2 || code.includes('__')) throw new Error(`The npm artifact ${path} has no deployable bytecode (empty or with unlinked libraries).`)
  return { abi: artifact.abi, bytecode: code as Hex }
}

/** The artifacts the local chain deploys, each from the package that publishes it. */
export const artifacts = {
  weth9: () => npmArtifact('@uniswap/v2-periphery/build/WETH9.json'),
  v2Factory: () => npmArtifact('@uniswap/v2-core/build/UniswapV2Factory.json'),
  v2Router: () => npmArtifact('@uniswap/v2-periphery/build/UniswapV2Router02.json'),
  v3Factory: () => npmArtifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json'),
  v3PositionManager: () => npmArtifact('@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json'),
  v3SwapRouter: () => npmArtifact('@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json'),
  v3QuoterV2: () => npmArtifact('@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json'),
  merkleDistributor: () => npmArtifact('@uniswap/merkle-distributor/build/MerkleDistributor.json'),
  testErc20: () => npmArtifact('@uniswap/merkle-distributor/build/TestERC20.json'),
}
