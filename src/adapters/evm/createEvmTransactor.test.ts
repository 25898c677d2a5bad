import { type Abi, type Hex, encodeFunctionData, erc20Abi, keccak256, parseEther, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoChain, startDemoChain } from '../../../test/demoChain.js'
import { type RpcRequest, startFaultyRpcProxy } from '../../../test/fixtureChainGuards.js'
import { Amount } from '../../domain/money/index.js'
import type { SignedTransaction } from '../../ports/index.js'
import { createMerkleClaimExecutor } from '../merkle/createMerkleClaimExecutor.js'
import { createMerkleRewardsSource } from '../merkle/createMerkleRewardsSource.js'
import { loadMulticall3Bytecode } from './loadMulticall3Bytecode.js'
import { createErc20TransferExecutor } from './createErc20TransferExecutor.js'
import { createEvmChains } from './createEvmChains.js'
import { createEvmGasPriceSource } from './createEvmGasPriceSource.js'
import { createEvmTransactor } from './createEvmTransactor.js'

// WETH9's `deposit`: a function without arguments.
const weth9Abi = [{ type: 'function', name: 'deposit', stateMutability: 'payable', inputs: [], outputs: [] }] as const

describe('EVM transactions on a local node', () => {
  let demo: DemoChain

  beforeAll(async () => {
    demo = await startDemoChain()
  }, 120_000)

  afterAll(async () => {
    await demo?.stop()
  })

  it('hands the hash and nonce over before the transaction is sent, and finds it mined afterwards', async () => {
    const seen: Array<{ hash: Hex; signed: SignedTransaction; answer: string }> = []
    const before = await demo.evm.client.getTransactionCount({ address: demo.wallet })
    const result = await demo.transactor.send(
      { address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi as Abi, functionName: 'approve', args: [demo.other.address, 1n] },
      async (hash, signed) => {
        // Nothing has left yet: the node does not know the transaction, and its nonce is free.
        seen.push({ hash, signed, answer: (await demo.transactor.lookup({ hash, kind: 'approve', venue: 'uniswap', signed })).status })
      },
    )
    if (!result.ok) throw new Error(result.detail)
    expect(seen).toEqual([{ hash: result.hash, signed: { from: demo.wallet, nonce: before, block: expect.any(BigInt) }, answer: 'not_found' }])
    // The block is the one the node's own receipt names, in the result, its step receipt and recovery's lookup.
    const nodeReceipt = await demo.evm.client.getTransactionReceipt({ hash: result.hash })
    expect(result.block).toBe(nodeReceipt.blockNumber)
    expect(demo.transactor.receipt('approve', 'uniswap', result)).toEqual({
      kind: 'approve',
      venue: 'uniswap',
      reference: result.hash,
      block: nodeReceipt.blockNumber,
      gasUsed: nodeReceipt.gasUsed,
      gasCost: result.gasCost,
    })
    const mined = await demo.transactor.lookup({ hash: result.hash, kind: 'approve', venue: 'uniswap', signed: seen[0]?.signed })
    expect(mined).toMatchObject({ status: 'confirmed', receipt: { kind: 'approve', venue: 'uniswap', reference: result.hash, block: nodeReceipt.blockNumber, gasUsed: result.gasUsed } })
    expect(mined.status === 'confirmed' && mined.receipt?.gasCost?.toString()).toBe(result.gasCost.toString())
    expect(await demo.transactor.lookup({ hash: keccak256('0x1234'), kind: 'swap', venue: 'uniswap' })).toEqual({
      status: 'not_found',
      detail: `The swap ${keccak256('0x1234')} on local has no receipt and the node does not know it; the log has no nonce for it (it was recorded before nonces were).`,
    })
    expect(result.gasCost.currency.symbol).toBe('ETH')
    expect(result.gasCost.raw > 0n).toBe(true)
  })

  it('tells a transaction never broadcast (its nonce free) from one replaced, and finds the one that took its nonce', async () => {
    let kept: { hash: Hex; signed: SignedTransaction } | undefined
    const approve = (amount: bigint) => ({ address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi as Abi, functionName: 'approve', args: [demo.other.address, amount] })
    // Signed, recorded, and the process "dies" before it is broadcast.
    await expect(
      demo.transactor.send(approve(3n), async (hash, signed) => {
        kept = { hash, signed }
        throw new Error('crashed before the broadcast')
      }),
    ).rejects.toThrow('crashed before the broadcast')
    if (!kept) throw new Error('nothing was signed')
    const query = { hash: kept.hash, kind: 'approve' as const, venue: 'uniswap', signed: kept.signed }
    const free = await demo.transactor.lookup(query)
    expect(free.status === 'not_found' && free.detail).toMatch(new RegExp(`its nonce ${kept.signed.nonce} is still free .*: it was never broadcast, or was dropped; nothing of it was executed\\.$`))
    // Another transaction of the account takes that nonce: the first can never be mined.
    const other = await demo.transactor.send(approve(4n))
    if (!other.ok) throw new Error(other.detail)
    const replaced = await demo.transactor.lookup(query)
    expect(replaced).toMatchObject({ status: 'replaced', replacedBy: other.hash })
    const block = (await demo.evm.client.getTransactionReceipt({ hash: other.hash })).blockNumber
    expect(replaced.status === 'replaced' && replaced.detail).toBe(
      `The approve ${kept.hash} on local was never mined: its nonce ${kept.signed.nonce} was used by ${other.hash} in block ${block}; nothing of it was executed.`,
    )
  })

  it("reads what a transaction moved to and from the account in its receipt's ERC-20 transfers", async () => {
    const eigen = demo.currencies.EIGEN
    const paid = await demo.other.write(eigen.address as `0x${string}`, erc20Abi as Abi, 'transfer', [demo.wallet, parseEther('2.5')])
    const received = await demo.transactor.lookup({ hash: paid, kind: 'swap', venue: 'uniswap', tokenIn: demo.currencies.USDT, tokenOut: eigen })
    expect(received.status === 'confirmed' && [received.amountIn, received.amountOut?.toString()]).toEqual([undefined, '2.5 EIGEN'])
    const sent = await demo.transactor.send({ address: eigen.address as `0x${string}`, abi: erc20Abi as Abi, functionName: 'transfer', args: [demo.other.address, parseEther('1.25')] })
    if (!sent.ok) throw new Error(sent.detail)
    const answer = await demo.transactor.lookup({ hash: sent.hash, kind: 'swap', venue: 'uniswap', tokenIn: eigen, tokenOut: demo.currencies.USDT })
    expect(answer.status === 'confirmed' && [answer.amountIn?.toString(), answer.amountOut]).toEqual(['1.25 EIGEN', undefined])
  })

  it('finds a transaction waiting in the mempool pending, and a reverted one failed', async () => {
    const client = demo.evm.client
    const account = privateKeyToAccount(demo.chain.accounts[2] as Hex)
    const sign = async (data: Hex, nonce: number) =>
      account.signTransaction({
        chainId: demo.chain.chainId,
        to: demo.currencies.EIGEN.address as `0x${string}`,
        data,
        nonce,
        gas: 100_000n,
        maxFeePerGas: parseGwei('20'),
        maxPriorityFeePerGas: 1n,
        type: 'eip1559',
      })
    await client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    try {
      const nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
      // A transfer of more EIGEN than the account holds: mined, and reverted.
      const signed = await sign(encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [demo.wallet, parseEther('100000000')] }), nonce)
      const hash = await client.sendRawTransaction({ serializedTransaction: signed })
      expect(await demo.transactor.lookup({ hash, kind: 'transfer', venue: 'binance' })).toEqual({ status: 'pending', detail: `The transfer ${hash} on local is known to the node and not mined yet.` })
      await client.request({ method: 'evm_mine' as never })
      const answer = await demo.transactor.lookup({ hash, kind: 'transfer', venue: 'binance' })
      expect(answer).toMatchObject({ status: 'failed', reason: 'reverted', receipt: { kind: 'transfer', venue: 'binance', reference: hash } })
      expect(answer.status === 'failed' && answer.detail).toMatch(/^The transfer 0x[0-9a-f]{64} on local reverted in block \d+, as the node answered after a restart\.$/)
    } finally {
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
  })

  it('answers lookup_failed, never a settlement, when the node does not answer, and names neither its URL nor its key', async () => {
    // Nothing listens on port 9 of loopback: every request is refused.
    const down = createEvmChains().get('local', { rpc_url: 'http://127.0.0.1:9/v3/SECRETKEY123', chain_id: demo.chain.chainId, multicall_address: demo.environment.multicall })
    const transactor = createEvmTransactor({ chain: down, account: privateKeyToAccount(demo.walletKey), native: demo.currencies.ETH })
    const hash = keccak256('0x99')
    const answer = await transactor.lookup({ hash, kind: 'swap', venue: 'uniswap', signed: { from: demo.wallet, nonce: 1, block: 1n } })
    expect(answer.status).toBe('lookup_failed')
    const error = answer.status === 'lookup_failed' ? answer.error : ''
    expect(error).toBe(`The local node did not answer about ${hash}: HTTP request failed (fetch failed)`)
    expect(error).not.toContain('SECRETKEY123')
    expect(error).not.toContain('/v3/')
  })

  it("settles nothing when a sent transaction's receipt does not come: outcome_unknown, then the chain decides", async () => {
    const client = demo.evm.client
    // A block producer that has stopped: the transaction waits in the mempool past the receipt's timeout.
    const patient = createEvmTransactor({ chain: demo.evm, account: privateKeyToAccount(demo.walletKey), native: demo.currencies.ETH, receiptTimeoutMs: 300 })
    await client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    let signed: SignedTransaction | undefined
    try {
      const result = await patient.send(
        { address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi as Abi, functionName: 'approve', args: [demo.other.address, 3n] },
        async (_hash, note) => {
          signed = note
        },
      )
      if (result.ok) throw new Error('expected no receipt')
      expect([result.reason, result.retryable]).toEqual(['outcome_unknown', false])
      expect(result.detail).toMatch(/^approve on 0x[0-9a-fA-F]{40} \(0x[0-9a-f]{64}\) was sent but no receipt came: .+; the chain is asked again before anything is decided\.$/)
      const hash = result.hash as Hex
      expect((await patient.lookup({ hash, kind: 'approve', venue: 'uniswap', signed })).status).toBe('pending')
      await client.request({ method: 'evm_mine' as never })
      expect((await patient.lookup({ hash, kind: 'approve', venue: 'uniswap', signed })).status).toBe('confirmed')
    } finally {
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
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

  it("claims the wallet's merkle rewards, once", async () => {
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
    expect(await transfers.transfer('okx', Amount.parse(demo.currencies.EIGEN, '1'))).toMatchObject({
      ok: false,
      reason: 'transfer_failed',
      detail: 'No deposit address is configured for okx on local.',
    })
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

  it('finds the transaction that took a nonce by bisecting the blocks since the signature, or all of them when the recorded block is too late', async () => {
    let kept: { hash: Hex; signed: SignedTransaction } | undefined
    const approve = (amount: bigint) => ({ address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi, functionName: 'approve', args: [demo.other.address, amount] }) as const
    await expect(
      demo.transactor.send(approve(5n), async (hash, signed) => {
        kept = { hash, signed }
        throw new Error('crashed before the broadcast')
      }),
    ).rejects.toThrow('crashed before the broadcast')
    if (!kept) throw new Error('nothing was signed')
    // Blocks pass before the nonce is taken, and after: the search has blocks on both sides to halve.
    for (let index = 0; index < 6; index += 1) await demo.evm.client.request({ method: 'evm_mine' as never })
    const other = await demo.transactor.send(approve(6n))
    if (!other.ok) throw new Error(other.detail)
    for (let index = 0; index < 5; index += 1) await demo.evm.client.request({ method: 'evm_mine' as never })
    const block = (await demo.evm.client.getTransactionReceipt({ hash: other.hash })).blockNumber
    const detail = `The approve ${kept.hash} on local was never mined: its nonce ${kept.signed.nonce} was used by ${other.hash} in block ${block}; nothing of it was executed.`
    expect(await demo.transactor.lookup({ hash: kept.hash, kind: 'approve', venue: 'uniswap', signed: kept.signed })).toEqual({ status: 'replaced', replacedBy: other.hash, detail })
    // A recorded block where the nonce is already used (a log written late) searches from the first block.
    const late = { ...kept.signed, block: await demo.evm.client.getBlockNumber({ cacheTime: 0 }) }
    expect(await demo.transactor.lookup({ hash: kept.hash, kind: 'approve', venue: 'uniswap', signed: late })).toEqual({ status: 'replaced', replacedBy: other.hash, detail })
  })

  it('sends a call that takes no arguments', async () => {
    const weth = demo.environment.tokens.WETH
    const nonce = await demo.evm.client.getTransactionCount({ address: demo.wallet })
    const deposited = await demo.transactor.send({ address: weth, abi: weth9Abi, functionName: 'deposit' })
    expect(deposited).toMatchObject({ ok: true })
    expect(await demo.evm.client.getTransactionCount({ address: demo.wallet })).toBe(nonce + 1)
  })

  it('tells the journal the hash of a transfer, and passes on a failed simulation as it is', async () => {
    const transfers = createErc20TransferExecutor({ transactor: demo.transactor, depositAddresses: new Map([['binance', demo.other.address]]) })
    const heard: string[] = []
    const moved = await transfers.transfer('binance', Amount.parse(demo.currencies.EIGEN, '1'), { submitting: async (reference) => void heard.push(reference) })
    if (!moved.ok) throw new Error(moved.detail)
    expect(heard).toEqual([moved.receipt.reference])
    const eigen = demo.currencies.EIGEN.address as `0x${string}`
    const tooMuch = await transfers.transfer('binance', Amount.parse(demo.currencies.EIGEN, '100000000'))
    expect(tooMuch).toEqual({ ok: false, reason: 'simulation_failed', detail: `transfer on ${eigen} would fail on local: ERC20: transfer amount exceeds balance. Nothing was sent.`, retryable: false })
  })

  it('calls a nonce used without a transaction of the account in the block that used it replaced by another transaction', async () => {
    // The node's own nonce override moves an account's nonce with no transaction; Hardhat applies it to the latest block's state.
    const from = privateKeyToAccount(keccak256('0x5e7')).address
    const block = await demo.evm.client.getBlockNumber({ cacheTime: 0 })
    await demo.evm.client.request({ method: 'hardhat_setNonce' as never, params: [from, '0x3'] as never })
    const hash = keccak256('0x5e70')
    expect(await demo.transactor.lookup({ hash, kind: 'swap', venue: 'uniswap', signed: { from, nonce: 0, block } })).toEqual({
      status: 'replaced',
      replacedBy: undefined,
      detail: `The swap ${hash} on local was never mined: its nonce 0 was used by another transaction; no transaction of ${from} with that nonce is in block ${block}, where the node counts it used; nothing of it was executed.`,
    })
  })

  describe('when the node answers about a replaced nonce with errors', () => {
    /** A transaction signed and recorded, never broadcast, whose nonce another transaction then took. */
    const replacedNonce = async (): Promise<{ hash: Hex; signed: SignedTransaction }> => {
      let kept: { hash: Hex; signed: SignedTransaction } | undefined
      const approve = (amount: bigint) => ({ address: demo.currencies.EIGEN.address as `0x${string}`, abi: erc20Abi, functionName: 'approve', args: [demo.other.address, amount] }) as const
      await expect(
        demo.transactor.send(approve(7n), async (hash, signed) => {
          kept = { hash, signed }
          throw new Error('crashed before the broadcast')
        }),
      ).rejects.toThrow('crashed before the broadcast')
      if (!kept) throw new Error('nothing was signed')
      const other = await demo.transactor.send(approve(8n))
      if (!other.ok) throw new Error(other.detail)
      return kept
    }
    // The nonce count at a past block: what a node without the history of old blocks cannot answer.
    const countAtBlock = (request: RpcRequest) => request.method === 'eth_getTransactionCount' && Array.isArray(request.params) && request.params[1] !== 'latest'

    it('still calls the transaction replaced, by another one, when the node cannot say which', async () => {
      const kept = await replacedNonce()
      const proxy = await startFaultyRpcProxy(demo.chain.rpcUrl, (request) => (countAtBlock(request) ? 'rpc_error' : undefined))
      try {
        const chain = createEvmChains().get('local', { rpc_url: proxy.url, chain_id: demo.chain.chainId, multicall_address: demo.environment.multicall })
        const transactor = createEvmTransactor({ chain, account: privateKeyToAccount(demo.walletKey), native: demo.currencies.ETH })
        const answer = await transactor.lookup({ hash: kept.hash, kind: 'approve', venue: 'uniswap', signed: kept.signed })
        expect(answer).toMatchObject({ status: 'replaced', replacedBy: undefined })
        // viem words the node's -32000 answer as an invalid input, and keeps the node's message as its details.
        expect(answer.status === 'replaced' ? answer.detail : '').toBe(
          `The approve ${kept.hash} on local was never mined: its nonce ${kept.signed.nonce} was used by another transaction; the transaction that used it could not be found: Missing or invalid parameters.\nDouble check you have provided the correct parameters (missing trie node); nothing of it was executed.`,
        )
      } finally {
        await proxy.stop()
      }
    })

    it('answers lookup_failed with the HTTP status when the node stops answering during the search', async () => {
      const kept = await replacedNonce()
      const proxy = await startFaultyRpcProxy(demo.chain.rpcUrl, (request) => (countAtBlock(request) ? 'http_503' : undefined))
      try {
        const chain = createEvmChains().get('local', { rpc_url: `${proxy.url}/v3/SECRETKEY123`, chain_id: demo.chain.chainId, multicall_address: demo.environment.multicall })
        const transactor = createEvmTransactor({ chain, account: privateKeyToAccount(demo.walletKey), native: demo.currencies.ETH })
        const answer = await transactor.lookup({ hash: kept.hash, kind: 'approve', venue: 'uniswap', signed: kept.signed })
        expect(answer.status).toBe('lookup_failed')
        const error = answer.status === 'lookup_failed' ? answer.error : ''
        expect(error.startsWith(`The local node did not answer about ${kept.hash}: HTTP request failed (HTTP 503)`)).toBe(true)
        expect(error).not.toContain('SECRETKEY123')
      } finally {
        await proxy.stop()
      }
    })
  })
})
