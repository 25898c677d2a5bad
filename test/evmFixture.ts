import { type Abi, type Address, type Hex, type PublicClient, type WalletClient, multicall3Abi } from 'viem'
import { loadMulticall3Bytecode } from '../src/adapters/evm/loadMulticall3Bytecode.js'
import { createLocalDeployer } from '../src/adapters/localchain/createLocalDeployer.js'
import { type LocalChain, startLocalChain } from '../src/adapters/localchain/startLocalChain.js'

export { npmArtifact } from '../src/adapters/localchain/npmArtifact.js'

/** A local Hardhat node with Multicall3 deployed, and clients for its first account. */
export type EvmFixture = {
  chain: LocalChain
  multicall: Address
  deployer: Address
  wallet: WalletClient
  client: PublicClient
  deploy(artifact: { abi: Abi; bytecode: Hex }, args?: readonly unknown[]): Promise<Address>
  stop(): Promise<void>
}

/** Starts a local node and deploys Multicall3 (viem's bytecode) on it, from the node's first account. */
export async function startEvmFixture(): Promise<EvmFixture> {
  const chain = await startLocalChain()
  const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as Hex })
  const multicall = await deployer.deploy({ abi: multicall3Abi as Abi, bytecode: loadMulticall3Bytecode() })
  return { chain, multicall, deployer: deployer.address, wallet: deployer.wallet, client: deployer.client, deploy: deployer.deploy, stop: () => chain.stop() }
}
