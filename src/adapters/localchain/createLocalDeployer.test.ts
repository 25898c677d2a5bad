import { erc20Abi, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { wethAbi } from './demoAbis.js'
import { artifacts } from './npmArtifact.js'
import { type LocalChain, startLocalChain } from './startLocalChain.js'

describe('createLocalDeployer on a local node', () => {
  let chain: LocalChain
  let deployer: LocalDeployer

  beforeAll(async () => {
    chain = await startLocalChain({ accountCount: 1 })
    const [key] = chain.accounts
    if (key === undefined) throw new Error('the node has no account')
    deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: key })
  }, 60_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('deploys a contract without constructor arguments, and sends a call without arguments with ether', async () => {
    const weth = await deployer.deploy(artifacts.weth9())
    const hash = await deployer.write(weth, wethAbi, 'deposit', undefined, parseEther('2'))
    expect((await deployer.client.getTransactionReceipt({ hash })).status).toBe('success')
    expect(await deployer.client.readContract({ address: weth, abi: erc20Abi, functionName: 'balanceOf', args: [deployer.address] })).toBe(parseEther('2'))
  })
})
