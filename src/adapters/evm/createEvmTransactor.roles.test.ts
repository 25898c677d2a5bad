import { type Abi, type Address, erc20Abi, getAddress, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { c, callsPlannedForApplyRole, encodeCalls, processPermissions } from 'zodiac-roles-sdk'
import { type DemoChain, startDemoChain } from '../../../test/demoChain.js'
import { ROLE_EXECUTION_GAS } from '../../config/schema.js'
import { createLocalDeployer } from '../localchain/createLocalDeployer.js'
import { type SafeWithRoles, deploySafeWithRoles } from '../localchain/deploySafeWithRoles.js'
import { execSafeTransaction } from '../localchain/execSafeTransaction.js'
import { emptyRole } from '../zodiac/planRoleCalls.js'
import { roleKeyOf } from '../zodiac/roleKeyOf.js'
import { createEvmTransactor, type EvmTransactor } from './createEvmTransactor.js'

// The demo chain's wallet key is the keeper here: it owns nothing, and may act only through the role.
describe('EVM transactions sent by a keeper through a Safe and its Zodiac Roles modifier', () => {
  let demo: DemoChain
  let deployed: SafeWithRoles
  let keeper: EvmTransactor
  let eigen: Address
  let weeth: Address
  let router: Address
  const roleKey = roleKeyOf('dust-keeper')
  const deposit = getAddress('0x00000000000000000000000000000000000de905')

  const balanceOf = (token: Address, account: Address) => demo.evm.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [account] })

  beforeAll(async () => {
    demo = await startDemoChain()
    const ownerKey = demo.chain.accounts[3]
    if (!ownerKey) throw new Error('test setup: the node funds no fourth account')
    deployed = await deploySafeWithRoles({ deployer: demo.deployer, ownerKeys: [ownerKey] })
    eigen = demo.currencies.EIGEN.address as Address
    weeth = demo.currencies.weETH.address as Address
    router = demo.environment.uniswapV3.swapRouter
    // The strategy's funds move into the Safe; the keeper keeps only its gas.
    const wallet = createLocalDeployer({ rpcUrl: demo.chain.rpcUrl, chainId: demo.chain.chainId, privateKey: demo.walletKey })
    await wallet.write(eigen, erc20Abi, 'transfer', [deployed.safe, parseEther('100')])
    await wallet.write(weeth, erc20Abi, 'transfer', [deployed.safe, parseEther('10')])
    // The role: approve EIGEN to the router only, transfer EIGEN to the deposit address only.
    const { targets } = processPermissions([
      { targetAddress: eigen, signature: 'approve(address,uint256)', condition: c.calldataMatches([c.eq(router)], ['address', 'uint256']) },
      { targetAddress: eigen, signature: 'transfer(address,uint256)', condition: c.calldataMatches([c.eq(deposit)], ['address', 'uint256']) },
    ])
    const role = { ...emptyRole(roleKey), members: [demo.wallet], targets }
    const calls = encodeCalls(callsPlannedForApplyRole(emptyRole(roleKey), role), deployed.roles).map(({ to, data }) => ({ to, data, value: 0n }))
    await execSafeTransaction({ deployer: demo.deployer, safe: deployed.safe, ownerKeys: [ownerKey], calls, multiSend: deployed.multiSend })
    keeper = createEvmTransactor({
      chain: demo.evm,
      account: privateKeyToAccount(demo.walletKey),
      native: demo.currencies.ETH,
      via: { type: 'roles', safe: deployed.safe, roles: deployed.roles, roleKey, roleName: 'dust-keeper' },
    })
  }, 180_000)

  afterAll(async () => {
    await demo?.stop()
  })

  it('acts for the Safe: an allowed approval is the Safe’s, sent and paid by the keeper, and found again by recovery', async () => {
    expect(keeper.account).toBe(deployed.safe)
    const result = await keeper.send({ address: eigen, abi: erc20Abi as Abi, functionName: 'approve', args: [router, 7n] })
    if (!result.ok) throw new Error(result.detail)
    expect(await demo.evm.client.readContract({ address: eigen, abi: erc20Abi, functionName: 'allowance', args: [deployed.safe, router] })).toBe(7n)
    const transaction = await demo.evm.client.getTransaction({ hash: result.hash })
    expect([transaction.from, transaction.to]).toEqual([demo.wallet.toLowerCase(), deployed.roles.toLowerCase()])
    expect(await keeper.lookup({ hash: result.hash, kind: 'approve', venue: 'uniswap' })).toMatchObject({ status: 'confirmed', receipt: { reference: result.hash, block: result.block } })
  })

  it('moves the Safe’s tokens to the deposit address, and recovery reads what left the Safe from the receipt', async () => {
    const before = await balanceOf(eigen, deployed.safe)
    const result = await keeper.send({ address: eigen, abi: erc20Abi as Abi, functionName: 'transfer', args: [deposit, parseEther('2')] })
    if (!result.ok) throw new Error(result.detail)
    expect(before - (await balanceOf(eigen, deployed.safe))).toBe(parseEther('2'))
    expect(await balanceOf(eigen, deposit)).toBe(parseEther('2'))
    const lookup = await keeper.lookup({ hash: result.hash, kind: 'transfer', venue: 'binance', tokenIn: demo.currencies.EIGEN })
    expect(lookup.status === 'confirmed' && lookup.amountIn?.raw).toBe(parseEther('2'))
  })

  it('refuses, before anything is sent, what the role does not allow, in the role’s words', async () => {
    const nonce = await demo.evm.client.getTransactionCount({ address: demo.wallet })
    const attempts = [
      // An approval to a spender the configuration does not name.
      { call: { address: eigen, abi: erc20Abi as Abi, functionName: 'approve', args: [demo.wallet, parseEther('1')] }, words: 'ConditionViolation ParameterNotAllowed' },
      // The keeper moving the strategy's weETH to itself: weETH is no target of the role at all.
      { call: { address: weeth, abi: erc20Abi as Abi, functionName: 'transfer', args: [demo.wallet, parseEther('1')] }, words: 'ConditionViolation TargetAddressNotAllowed' },
      // EIGEN to itself rather than to the deposit address.
      { call: { address: eigen, abi: erc20Abi as Abi, functionName: 'transfer', args: [demo.wallet, parseEther('1')] }, words: 'ConditionViolation ParameterNotAllowed' },
      // A function the role lacks on an allowed target.
      { call: { address: eigen, abi: erc20Abi as Abi, functionName: 'transferFrom', args: [deployed.safe, demo.wallet, 1n] }, words: 'ConditionViolation FunctionNotAllowed' },
    ]
    for (const { call, words } of attempts) {
      const result = await keeper.send(call)
      expect(result).toMatchObject({ ok: false, reason: 'permission_refused', retryable: false })
      if (result.ok) continue
      expect(result.detail).toContain(
        `${call.functionName} on ${call.address} is not allowed to the keeper ${demo.wallet} by the role dust-keeper of the Roles modifier ${deployed.roles} on the Safe ${deployed.safe}:`,
      )
      expect(result.detail).toContain(`(${words})`)
      expect(result.detail).toMatch(/Nothing was sent\.$/)
    }
    expect(await demo.evm.client.getTransactionCount({ address: demo.wallet })).toBe(nonce)
    expect(await balanceOf(weeth, deployed.safe)).toBe(parseEther('10'))
  })

  it('refuses a key that is a member of no role', async () => {
    const stranger = createEvmTransactor({
      chain: demo.evm,
      account: privateKeyToAccount(demo.chain.accounts[2] as `0x${string}`),
      native: demo.currencies.ETH,
      via: { type: 'roles', safe: deployed.safe, roles: deployed.roles, roleKey, roleName: 'dust-keeper' },
    })
    const result = await stranger.send({ address: eigen, abi: erc20Abi as Abi, functionName: 'approve', args: [router, 1n] })
    expect(result).toMatchObject({ ok: false, reason: 'permission_refused' })
    expect(!result.ok && result.detail).toMatch(/is a member of no role of the Roles modifier \(NotAuthorized\)\. Nothing was sent\.$/)
  })

  it('reports a call the role allows but the token refuses as the venue’s failure, with its reason', async () => {
    const result = await keeper.send({ address: eigen, abi: erc20Abi as Abi, functionName: 'transfer', args: [deposit, parseEther('1000000')] })
    expect(result).toMatchObject({ ok: false, reason: 'simulation_failed' })
    expect(!result.ok && result.detail).toMatch(/^transfer on 0x[0-9a-fA-F]{40} would fail on local: .*(balance|subtraction|underflow|overflow).*\. Nothing was sent\.$/i)
  })

  it('costs less extra gas than the gas_units.role_execution default charges each step', async () => {
    const direct = await demo.transactor.send({ address: eigen, abi: erc20Abi as Abi, functionName: 'approve', args: [router, 11n] })
    const through = await keeper.send({ address: eigen, abi: erc20Abi as Abi, functionName: 'approve', args: [router, 11n] })
    if (!direct.ok || !through.ok) throw new Error('test setup: both approvals must go through')
    const overhead = through.gasUsed - direct.gasUsed
    expect(overhead > 0n).toBe(true)
    expect(overhead < ROLE_EXECUTION_GAS).toBe(true)
  })
})
