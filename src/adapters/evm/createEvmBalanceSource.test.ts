import { type Address, erc20Abi, getAddress, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, npmArtifact, startEvmFixture } from '../../../test/evmFixture.js'
import { createCurrency } from '../../domain/money/index.js'
import { createEvmBalanceSource } from './createEvmBalanceSource.js'
import { createEvmChains } from './createEvmChains.js'

const testToken = npmArtifact('@uniswap/merkle-distributor/build/TestERC20.json')

describe('EVM balances on a local node', () => {
  let evm: EvmFixture
  let eigen: Address
  let ethfi: Address
  const alice = getAddress('0x00000000000000000000000000000000000a11ce')
  const bob = getAddress('0x0000000000000000000000000000000000000b0b')

  beforeAll(async () => {
    evm = await startEvmFixture()
    eigen = await evm.deploy(testToken, ['Eigen', 'EIGEN', 0n])
    ethfi = await evm.deploy(testToken, ['ether.fi', 'ETHFI', 0n])
    const set = async (token: Address, to: Address, amount: bigint) => {
      const hash = await evm.wallet.writeContract({ address: token, abi: testToken.abi, functionName: 'setBalance', args: [to, amount] } as never)
      await evm.client.waitForTransactionReceipt({ hash })
    }
    await set(eigen, alice, parseEther('1520'))
    await set(ethfi, alice, parseEther('800.5'))
    await set(eigen, bob, 7n)
    const hash = await evm.wallet.sendTransaction({ to: alice, value: parseEther('1.25') } as never)
    await evm.client.waitForTransactionReceipt({ hash })
  }, 60_000)

  afterAll(async () => {
    await evm?.stop()
  })

  it('reads every wallet and token of a cycle, native coin included, in one eth_call', async () => {
    const chains = createEvmChains()
    const chain = chains.get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    const tokens = [
      createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' }),
      createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: eigen }),
      createCurrency({ symbol: 'ETHFI', decimals: 18, chain: 'local', address: ethfi }),
    ]
    const aliceWallet = createEvmBalanceSource({ name: 'alice', owner: alice, tokens, batcher: chain.batcher })
    const bobWallet = createEvmBalanceSource({ name: 'bob', owner: bob, tokens, batcher: chain.batcher })
    const before = chain.requests()
    const [aliceHoldings, bobHoldings] = await Promise.all([aliceWallet.fetchHoldings(), bobWallet.fetchHoldings()])
    expect(chain.requests() - before).toBe(1)
    expect(chain.batcher.calls()).toBe(1)
    expect(aliceHoldings.map((holding) => holding.amount.toString())).toEqual(['1.25 ETH', '1520 EIGEN', '800.5 ETHFI'])
    expect(aliceHoldings.every((holding) => holding.source === 'wallet_balance' && holding.venue === 'alice')).toBe(true)
    expect(aliceHoldings[0]?.custody).toEqual({ kind: 'onchain', chain: 'local' })
    // Zero balances are left out; 7 base units are kept exactly.
    expect(bobHoldings.map((holding) => [holding.amount.currency.symbol, holding.amount.raw])).toEqual([['EIGEN', 7n]])
  })

  it('fails the read of a token that is no contract, and only that one', async () => {
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    const ghost = createCurrency({ symbol: 'GHOST', decimals: 18, chain: 'local', address: '0x000000000000000000000000000000000000dEaD' })
    const good = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: eigen })
    const [ghostRead, goodRead] = await Promise.allSettled([
      chain.batcher.read({ address: ghost.address as Address, abi: erc20Abi, functionName: 'balanceOf', args: [alice] }),
      chain.batcher.read({ address: good.address as Address, abi: erc20Abi, functionName: 'balanceOf', args: [alice] }),
    ])
    expect(ghostRead.status).toBe('rejected')
    expect(goodRead).toEqual({ status: 'fulfilled', value: parseEther('1520') })
    expect(chain.batcher.calls()).toBe(1)
  })

  it('reads the gas price from the node', async () => {
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    expect(await chain.gasPrice.fetchGasPrice()).toBe(await evm.client.getGasPrice())
  })

  it('fails with multicall_missing, naming the address, the chain id and the key to set, when no Multicall3 is at multicall_address', async () => {
    const canonical = getAddress('0xcA11bde05977b3631167028862bE2a173976CA11')
    const chain = createEvmChains().get('ethereum', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: canonical })
    const tokens = [createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' }), createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'ethereum', address: eigen })]
    const wallet = createEvmBalanceSource({ name: 'wallet', owner: alice, tokens, batcher: chain.batcher })
    await expect(wallet.fetchHoldings()).rejects.toMatchObject({
      name: 'SourceError',
      code: 'multicall_missing',
      shortMessage: `No Multicall3 at ${canonical} on ethereum (chain id 31337): no contract is deployed there; set chains.ethereum.multicall_address to the address of Multicall3 on this chain.`,
    })
  })

  it('says which chain is down, without its URL, when the node does not answer', async () => {
    const chain = createEvmChains().get('mainnet', { rpc_url: 'http://user:secret@127.0.0.1:9/rpc', chain_id: 1, multicall_address: evm.multicall })
    const wallet = createEvmBalanceSource({ name: 'wallet', owner: alice, tokens: [createCurrency({ symbol: 'ETH', decimals: 18, chain: 'mainnet' })], batcher: chain.batcher })
    const error = await wallet.fetchHoldings().catch((caught: unknown) => caught as Error)
    expect(error).toMatchObject({ name: 'SourceError', shortMessage: 'The mainnet node did not answer the batched read of 1 call(s).' })
    expect(String((error as Error).message)).not.toContain('secret')
    await expect(chain.gasPrice.fetchGasPrice()).rejects.toMatchObject({ shortMessage: 'The mainnet node did not give its gas price.' })
  })
})
