import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type WalletClient,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { ContractArtifact } from './npmArtifact.js'

/** Sends set-up transactions to a development chain from one funded account. */
export type LocalDeployer = {
  readonly address: Address
  /** Reads the chain; with an `as const` ABI, `client.readContract` infers what a call answers. */
  readonly client: PublicClient
  readonly wallet: WalletClient
  /** Deploys a contract and returns its address once mined. */
  deploy(artifact: ContractArtifact, args?: readonly unknown[]): Promise<Address>
  /** Sends a contract call, waits for its receipt and throws when it reverted; with an `as const` ABI, viem checks the function and its arguments. */
  write<const abi extends Abi, functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'>>(
    address: Address,
    abi: abi,
    functionName: functionName,
    args?: ContractFunctionArgs<abi, 'nonpayable' | 'payable', functionName>,
    value?: bigint,
  ): Promise<Hex>
  /** Sends ether. */
  sendEther(to: Address, value: bigint): Promise<void>
}

/** Creates a deployer for a development chain (automining: every transaction is mined at once). */
export function createLocalDeployer(parameters: { rpcUrl: string; chainId: number; privateKey: Hex }): LocalDeployer {
  const chain = defineChain({
    id: parameters.chainId,
    name: 'local',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  })
  const account = privateKeyToAccount(parameters.privateKey)
  const transport = http(parameters.rpcUrl, { retryCount: 0 })
  const client: PublicClient = createPublicClient({ chain, transport, pollingInterval: 20 })
  const wallet = createWalletClient({ account, chain, transport, pollingInterval: 20 })
  const mined = async (hash: Hex, what: string) => {
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    if (receipt.status !== 'success') throw new Error(`Set-up transaction ${what} (${hash}) reverted.`)
    return receipt
  }
  return {
    address: account.address,
    client,
    wallet,
    async deploy(artifact, args = []) {
      const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args })
      const receipt = await mined(hash, 'deployment')
      if (!receipt.contractAddress) throw new Error(`Deployment ${hash} made no contract.`)
      return receipt.contractAddress
    },
    async write(address, typedAbi, functionName, typedArgs, value) {
      const abi: Abi = typedAbi
      const args: readonly unknown[] = Array.isArray(typedArgs) ? typedArgs : []
      const hash = await wallet.writeContract({ address, abi, functionName, args, ...(value === undefined ? {} : { value }) })
      await mined(hash, `${functionName} on ${address}`)
      return hash
    },
    async sendEther(to, value) {
      await mined(await wallet.sendTransaction({ to, value }), `transfer of ether to ${to}`)
    },
  }
}
