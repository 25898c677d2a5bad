import { type Abi, type Address, type Hex, createPublicClient, createWalletClient, defineChain, http, multicall3Abi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { loadMulticall3Bytecode } from '../src/adapters/evm/loadMulticall3Bytecode.js'
import { type LocalChain, startLocalChain } from '../src/adapters/localchain/startLocalChain.js'

export { npmArtifact } from '../src/adapters/localchain/npmArtifact.js'

/** A local Hardhat node with Multicall3 deployed, and clients for its first account. */
export type EvmFixture = {
  chain: LocalChain
  multicall: Address
  deployer: Address
  wallet: ReturnType<typeof createWalletClient>
  client: ReturnType<typeof createPublicClient>
  deploy(artifact: { abi: Abi; bytecode: Hex }, args?: readonly unknown[]): Promise<Address>
  stop(): Promise<void>
}

/** Starts a local node and deploys Multicall3 (viem's bytecode) on it. */
export async function startEvmFixture(): Promise<EvmFixture> {
  const chain = await startLocalChain()
  const definition = defineChain({
    id: chain.chainId,
    name: 'local',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  })
  const account = privateKeyToAccount(chain.accounts[0] as Hex)
  const wallet = createWalletClient({ account, chain: definition, transport: http(chain.rpcUrl) })
  const client = createPublicClient({ chain: definition, transport: http(chain.rpcUrl) })
  const deploy = async (artifact: { abi: Abi; bytecode: Hex }, args: readonly unknown[] = []) => {
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, account, chain: definition } as never)
    const receipt = await client.waitForTransactionReceipt({ hash })
    if (!receipt.contractAddress) throw new Error(`test setup: deployment ${hash} made no contract`)
    return receipt.contractAddress
  }
  const multicall = await deploy({ abi: multicall3Abi as Abi, bytecode: loadMulticall3Bytecode() })
  return { chain, multicall, deployer: account.address, wallet, client, deploy, stop: () => chain.stop() }
}
