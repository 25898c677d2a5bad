import { type Abi, type Hex, erc20Abi, keccak256, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoChain, startDemoChain } from '../../../test/demoChain.js'
import { Amount } from '../../domain/money/index.js'
import { createMerkleClaimExecutor } from '../merkle/createMerkleClaimExecutor.js'
import { createMerkleRewardsSource } from '../merkle/createMerkleRewardsSource.js'
import { loadMulticall3Bytecode } from './loadMulticall3Bytecode.js'
import { createErc20TransferExecutor } from './createErc20TransferExecutor.js'
import { createEvmGasPriceSource } from './createEvmGasPriceSource.js'
import { createEvmTransactor } from './createEvmTransactor.js'

describe('EVM transactions on a local node', () => {
  let demo: DemoChain

  beforeAll(async () => {
    demo = await startDemoChain()
  }, 120_000)

  afterAll(async () => {
    await demo?.stop()
  })

  it('hands the hash over before the transaction is sent, and finds it mined afterwards', async () => {
    const seen: Array<{ hash: Hex; known: boolean }> = []
    const result = await demo.transactor.send(
      { address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi as Abi, functionName: 'approve', args: [demo.other.address, 1n] },
      async (hash) => {
        // Nothing has left yet: the node does not know the transaction.
        seen.push({ hash, known: (await demo.transactor.lookup(hash)) !== 'unknown' })
      },
    )
    if (!result.ok) throw new Error(result.detail)
    expect(seen).toEqual([{ hash: result.hash, known: false }])
    expect(await demo.transactor.lookup(result.hash)).toBe('confirmed')
    expect(await demo.transactor.lookup(keccak256('0x1234'))).toBe('unknown')
    expect(result.gasCost.currency.symbol).toBe('ETH')
    expect(result.gasCost.raw > 0n).toBe(true)
  })

  it('sends nothing when the journal refuses the hash', async () => {
    const nonce = await demo.evm.client.getTransactionCount({ address: demo.wallet })
    await expect(
      demo.transactor.send({ address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi as Abi, functionName: 'approve', args: [demo.other.address, 2n] }, async () => {
        throw new Error('the log is down')
      }),
    ).rejects.toThrow('the log is down')
    expect(await demo.evm.client.getTransactionCount({ address: demo.wallet })).toBe(nonce)
  })

  it('claims the wallet\'s merkle rewards, once', async () => {
    const distributor = demo.environment.distributors.ETHFI
    const source = createMerkleRewardsSource({
      name: 'etherfi_ethfi',
      distributor: distributor?.address as `0x${string}`,
      token: demo.currencies.ETHFI,
      account: demo.wallet,
      claims: distributor?.claims as never,
      batcher: demo.evm.batcher,
    })
    const claimer = createMerkleClaimExecutor({ source, transactor: demo.transactor })
    expect(await claimer.claim(Amount.parse(demo.currencies.ETHFI, '1'))).toMatchObject({ ok: false, reason: 'claim_failed' })
    const claimed = await claimer.claim(Amount.parse(demo.currencies.ETHFI, '1068'))
    expect(claimed).toMatchObject({ ok: true, receipt: { kind: 'claim', venue: 'etherfi_ethfi' } })
    expect(await demo.evm.client.readContract({ address: demo.currencies.ETHFI.address as `0x${string}`, abi: erc20Abi, functionName: 'balanceOf', args: [demo.wallet] })).toBe(parseEther('1068'))
    // A second claim would revert (Drop already claimed): it is not sent.
    const again = await claimer.claim(Amount.parse(demo.currencies.ETHFI, '1068'))
    expect(again).toMatchObject({ ok: false, reason: 'claim_simulation_failed' })
    expect(again.ok ? '' : again.detail).toContain('MerkleDistributor: Drop already claimed.')
  })

  it('moves tokens to a CEX deposit address, and refuses an exchange with none', async () => {
    const transfers = createErc20TransferExecutor({ transactor: demo.transactor, depositAddresses: new Map([['binance', demo.other.address]]) })
    const before = await demo.evm.client.readContract({ address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi, functionName: 'balanceOf', args: [demo.other.address] })
    expect(await transfers.transfer('binance', Amount.parse(demo.currencies.EIGEN, '12.5'))).toMatchObject({ ok: true, receipt: { kind: 'transfer', venue: 'binance' } })
    const after = await demo.evm.client.readContract({ address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi, functionName: 'balanceOf', args: [demo.other.address] })
    expect(after - before).toBe(parseEther('12.5'))
    expect(await transfers.transfer('okx', Amount.parse(demo.currencies.EIGEN, '1'))).toMatchObject({ ok: false, reason: 'transfer_failed', detail: 'No deposit address is configured for okx on local.' })
    expect(await transfers.transfer('binance', Amount.parse(demo.currencies.ETH, '1'))).toMatchObject({ ok: false, reason: 'transfer_failed' })
  })

  it('reads the gas price from the node, and names the chain when it cannot', async () => {
    expect(await createEvmGasPriceSource({ chain: 'local', client: demo.evm.client }).fetchGasPrice()).toBe(await demo.evm.client.getGasPrice())
    expect(loadMulticall3Bytecode().startsWith('0x')).toBe(true)
  })

  it('signs as its account, on its chain', () => {
    const transactor = createEvmTransactor({ chain: demo.evm, account: privateKeyToAccount(demo.walletKey), native: demo.currencies.ETH })
    expect(transactor.account).toBe(demo.wallet)
    expect(transactor.chain.name).toBe('local')
  })
})
