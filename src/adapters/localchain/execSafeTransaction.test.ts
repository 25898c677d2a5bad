import { type Address, type Hex, encodeFunctionData, erc20Abi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeAbi } from '../zodiac/zodiacAbis.js'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { type SafeWithRoles, deploySafeWithRoles } from './deploySafeWithRoles.js'
import { execSafeTransaction } from './execSafeTransaction.js'
import { artifacts } from './npmArtifact.js'
import { type LocalChain, startLocalChain } from './startLocalChain.js'

const FIRST_SPENDER = '0x0000000000000000000000000000000000000a01'
const SECOND_SPENDER = '0x0000000000000000000000000000000000000a02'

describe('execSafeTransaction on a local chain', () => {
  let chain: LocalChain
  let deployer: LocalDeployer
  let ownerKeys: Hex[]
  let deployed: SafeWithRoles
  let token: Address

  const approve = (spender: Address, amount: bigint) => ({ to: token, value: 0n, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender, amount] }) })
  const allowance = (spender: Address) => deployer.client.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [deployed.safe, spender] })
  const nonce = () => deployer.client.readContract({ address: deployed.safe, abi: safeAbi, functionName: 'nonce' })

  beforeAll(async () => {
    chain = await startLocalChain()
    const key = chain.accounts[0]
    if (key === undefined) throw new Error('The local node has no account 0.')
    deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: key })
    ownerKeys = [chain.accounts[1], chain.accounts[2]].filter((owner): owner is Hex => owner !== undefined)
    deployed = await deploySafeWithRoles({ deployer, ownerKeys })
    token = await deployer.deploy(artifacts.testErc20(), ['Dust', 'DUST', 0n])
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('runs a batch as one Safe transaction signed by both owners, whatever the order of their keys', async () => {
    const before = await nonce()
    const reversed = [...ownerKeys].sort((a, b) => (BigInt(privateKeyToAccount(a).address) > BigInt(privateKeyToAccount(b).address) ? -1 : 1))
    const hash = await execSafeTransaction({ deployer, safe: deployed.safe, ownerKeys: reversed, calls: [approve(FIRST_SPENDER, 11n), approve(SECOND_SPENDER, 22n)], multiSend: deployed.multiSend })
    expect((await deployer.client.getTransactionReceipt({ hash })).status).toBe('success')
    expect(await allowance(FIRST_SPENDER)).toBe(11n)
    expect(await allowance(SECOND_SPENDER)).toBe(22n)
    expect(await nonce()).toBe(before + 1n)
  })

  it('runs one call as a plain call', async () => {
    await execSafeTransaction({ deployer, safe: deployed.safe, ownerKeys, calls: [approve(FIRST_SPENDER, 33n)], multiSend: deployed.multiSend })
    expect(await allowance(FIRST_SPENDER)).toBe(33n)
  })

  it('says the Safe refused a transaction signed by fewer owners than its threshold (GS020)', async () => {
    const before = await nonce()
    await expect(execSafeTransaction({ deployer, safe: deployed.safe, ownerKeys: ownerKeys.slice(0, 1), calls: [approve(FIRST_SPENDER, 1n)], multiSend: deployed.multiSend })).rejects.toThrow(
      `The Safe ${deployed.safe} transaction ${before} (1 call) was refused before it was sent: GS020.`,
    )
    expect(await nonce()).toBe(before)
  })

  it('passes on the reason of a call that fails (Safe 1.5 reverts with it), and leaves the batch undone', async () => {
    const before = await nonce()
    const failing = { to: token, value: 0n, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [FIRST_SPENDER, 1n] }) }
    await expect(execSafeTransaction({ deployer, safe: deployed.safe, ownerKeys, calls: [approve(SECOND_SPENDER, 44n), failing], multiSend: deployed.multiSend })).rejects.toThrow(
      `The Safe ${deployed.safe} transaction ${before} (2 calls) was refused before it was sent: ERC20: transfer amount exceeds balance.`,
    )
    expect(await allowance(SECOND_SPENDER)).toBe(22n)
    expect(await nonce()).toBe(before)
  })
})
