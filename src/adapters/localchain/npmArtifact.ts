import { createRequire } from 'node:module'
import { type Abi, type Hex, isHex } from 'viem'
import { isAbi } from './isAbi.js'

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
  const artifact: unknown = require(path)
  const abi = field(artifact, 'abi')
  if (!isAbi(abi)) throw new Error(`The npm artifact ${path} has no ABI list.`)
  const bytecode = field(artifact, 'bytecode')
  const raw = typeof bytecode === 'string' ? bytecode : (field(bytecode, 'object') ?? field(field(field(artifact, 'evm'), 'bytecode'), 'object') ?? '')
  if (typeof raw !== 'string') throw new Error(`The npm artifact ${path} has bytecode that is not text.`)
  const code = raw.startsWith('0x') ? raw : `0x${raw}`
  // An unlinked library placeholder (`__$…$__`) is no hex, so it is refused here too.
  if (code.length <= 2 || code.includes('__') || !isHex(code)) throw new Error(`The npm artifact ${path} has no deployable bytecode (empty or with unlinked libraries).`)
  return { abi, bytecode: code }
}

/** A field of a JSON object, `undefined` when the value is no object or lacks it. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined
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
  safe: () => npmArtifact('@safe-global/safe-smart-account/build/artifacts/contracts/Safe.sol/Safe.json'),
  safeProxyFactory: () => npmArtifact('@safe-global/safe-smart-account/build/artifacts/contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json'),
  compatibilityFallbackHandler: () => npmArtifact('@safe-global/safe-smart-account/build/artifacts/contracts/handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json'),
  multiSendCallOnly: () => npmArtifact('@safe-global/safe-smart-account/build/artifacts/contracts/libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json'),
}
