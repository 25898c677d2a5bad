import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoChain, startDemoChain } from '../../../test/demoChain.js'
import { createRecordingLogger } from '../../../test/fakePorts.js'
import { freePort } from '../../../test/freePort.js'
import { type RpcProxy, startRpcProxy } from '../../../test/startRpcProxy.js'
import { stepRecords } from '../../domain/events.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import type { SignedTransaction, StepJournal } from '../../ports/index.js'
import { createUniswapVenue } from '../uniswap/createUniswapVenue.js'
import { createEvmChains } from './createEvmChains.js'
import { createEvmTransactor } from './createEvmTransactor.js'

/** The key a private endpoint's URL carries: it must show nowhere. */
const KEY = 'CANARY-private-rpc-key-5e1d9a'

describe('swaps sent to a private RPC endpoint (a local proxy standing for it)', () => {
  let demo: DemoChain
  let publicRpc: RpcProxy
  let privateRpc: RpcProxy

  beforeAll(async () => {
    demo = await startDemoChain()
    publicRpc = await startRpcProxy(demo.chain.rpcUrl)
    privateRpc = await startRpcProxy(demo.chain.rpcUrl)
  }, 120_000)

  afterAll(async () => {
    await privateRpc?.stop()
    await publicRpc?.stop()
    await demo?.stop()
  })

  /** A V3 venue signing through a chain whose reads go to `publicRpc` and whose swaps go to `privateUrl`. */
  const venueWith = (fallback: 'never' | 'public', privateUrl = `${privateRpc.url}/v1/${KEY}`) => {
    const { environment, currencies: c } = demo
    const chain = createEvmChains().get('local', {
      rpc_url: publicRpc.url,
      chain_id: demo.chain.chainId,
      multicall_address: environment.multicall,
      private_rpc_url: privateUrl,
      private_rpc_fallback: fallback,
    })
    const logger = createRecordingLogger()
    const transactor = createEvmTransactor({ chain, account: privateKeyToAccount(demo.walletKey), native: c.ETH, logger })
    const venue = createUniswapVenue({
      name: 'uniswap',
      version: 'v3',
      router: environment.uniswapV3.swapRouter,
      factory: environment.uniswapV3.factory,
      quoter: environment.uniswapV3.quoterV2,
      pools: [{ tokens: [c.EIGEN, c.WETH], fee: 3000 }],
      batcher: chain.batcher,
      gas: { swap: 0n, extraHop: 0n },
      transactor,
    })
    return { transactor, venue, logger }
  }

  /** Quotes and approves a sale of 10 EIGEN for WETH, and returns what its swap needs, with a journal that keeps the swap's hash and nonce. */
  const approved = async (venue: ReturnType<typeof venueWith>['venue']) => {
    const c = demo.currencies
    const amountIn = Amount.parse(c.EIGEN, '10')
    const quote = await venue.quote([c.EIGEN, c.WETH], amountIn)
    if (!quote.ok) throw new Error(quote.detail)
    const approval = await venue.approve(amountIn)
    if (!approval.ok) throw new Error(approval.detail)
    const signed: Array<{ hash: Hex; signed: SignedTransaction }> = []
    const journal: StepJournal = {
      submitting: async (reference, note) => {
        if (note) signed.push({ hash: reference as Hex, signed: note })
      },
    }
    return { approval, amountIn, minOutput: quote.amountOut.multiply(new Fraction(9950n, 10_000n), 'up'), journal, signed, path: [c.EIGEN, c.WETH] }
  }

  const nonceOf = (blockTag: 'latest' | 'pending') => demo.evm.client.getTransactionCount({ address: demo.wallet, blockTag })

  it("sends the swap's raw transaction to the private endpoint, and every read, estimate and receipt poll to the public RPC", async () => {
    const { venue } = venueWith('never')
    const sale = await approved(venue)
    publicRpc.methods.splice(0)
    privateRpc.methods.splice(0)
    const swap = await venue.swap(sale.path, sale.amountIn, sale.minOutput, sale.journal)
    if (!swap.ok) throw new Error(swap.detail)
    expect(privateRpc.methods).toEqual(['eth_sendRawTransaction'])
    expect(publicRpc.methods).not.toContain('eth_sendRawTransaction')
    expect(publicRpc.methods).toEqual(expect.arrayContaining(['eth_call', 'eth_estimateGas', 'eth_getTransactionReceipt']))
    const [sent] = sale.signed
    const mined = await demo.evm.client.getTransactionReceipt({ hash: sent?.hash ?? '0x' })
    expect(swap.receipt).toMatchObject({ kind: 'swap', venue: 'uniswap', reference: sent?.hash, block: mined.blockNumber, gasUsed: mined.gasUsed, broadcast: 'private' })
    // The approval carries nothing to sandwich: it went to the public RPC, and says nothing of a broadcast.
    const approvalMined = await demo.evm.client.getTransactionReceipt({ hash: sale.approval.ok ? (sale.approval.receipt.reference as Hex) : '0x' })
    expect(sale.approval.ok && sale.approval.receipt).toMatchObject({ kind: 'approve', block: approvalMined.blockNumber })
    expect(sale.approval.ok && sale.approval.receipt.broadcast).toBe(undefined)
    expect(stepRecords([swap.receipt])).toEqual([
      { kind: 'swap', venue: 'uniswap', reference: sent?.hash, gas_used: mined.gasUsed.toString(), gas_cost: expect.any(String), block: mined.blockNumber.toString(), broadcast: 'private' },
    ])
  })

  it('leaves a swap unsent when the private endpoint answers 503 and the fallback is never: a retryable failure, its nonce still free, recovery finding it not_found', async () => {
    const { venue, transactor } = venueWith('never')
    const sale = await approved(venue)
    const before = { latest: await nonceOf('latest'), pending: await nonceOf('pending') }
    publicRpc.methods.splice(0)
    privateRpc.setMode('unavailable')
    try {
      const swap = await venue.swap(sale.path, sale.amountIn, sale.minOutput, sale.journal)
      const [sent] = sale.signed
      if (!sent) throw new Error('nothing was signed')
      expect(swap).toEqual({
        ok: false,
        reason: 'send_failed',
        retryable: true,
        detail: `exactInput on ${demo.environment.uniswapV3.swapRouter} (${sent.hash}) was not taken by the private endpoint of local (it answered HTTP 503) and was not broadcast publicly (private_rpc_fallback: never); its nonce is still free and it is retried.`,
      })
      expect(publicRpc.methods).not.toContain('eth_sendRawTransaction')
      expect({ latest: await nonceOf('latest'), pending: await nonceOf('pending') }).toEqual(before)
      expect(sent.signed.nonce).toBe(before.latest)
      // After a restart the transaction is asked about on the public RPC: never `failed`, since a private mempool hides what it holds.
      const answer = await transactor.lookup({ hash: sent.hash, kind: 'swap', venue: 'uniswap', signed: sent.signed })
      expect(answer).toEqual({
        status: 'not_found',
        detail: `The swap ${sent.hash} on local has no receipt, the node does not know it, and its nonce ${before.latest} is still free (${demo.wallet} has ${before.latest} transactions mined): it was never broadcast, or was dropped; nothing of it was executed. A swap sent to the private endpoint stays invisible until it is mined: should it be mined later, only one transaction with that nonce can ever be, this one or whatever is sent in its place.`,
      })
      expect(JSON.stringify([swap, answer])).not.toContain(KEY)
      expect(JSON.stringify([swap, answer])).not.toContain(privateRpc.url)
    } finally {
      privateRpc.setMode('up')
    }
  })

  it('leaves a swap unsent when the private endpoint refuses the connection, and names no part of its URL', async () => {
    const port = await freePort()
    const { venue } = venueWith('never', `http://127.0.0.1:${port}/v1/${KEY}`)
    const sale = await approved(venue)
    const before = await nonceOf('pending')
    publicRpc.methods.splice(0)
    const swap = await venue.swap(sale.path, sale.amountIn, sale.minOutput, sale.journal)
    expect(swap).toMatchObject({ ok: false, reason: 'send_failed', retryable: true })
    expect(!swap.ok && swap.detail).toContain('(it refused the connection) and was not broadcast publicly (private_rpc_fallback: never)')
    expect(!swap.ok && swap.detail).not.toContain(String(port))
    expect(!swap.ok && swap.detail).not.toContain(KEY)
    expect(publicRpc.methods).not.toContain('eth_sendRawTransaction')
    expect(await nonceOf('pending')).toBe(before)
  })

  it('leaves a swap whose private request was cut mid-way to recovery (outcome_unknown), never broadcasting it publicly', async () => {
    const { venue } = venueWith('never')
    const sale = await approved(venue)
    publicRpc.methods.splice(0)
    privateRpc.setMode('reset')
    try {
      const swap = await venue.swap(sale.path, sale.amountIn, sale.minOutput, sale.journal)
      expect(swap).toMatchObject({ ok: false, reason: 'outcome_unknown', retryable: false })
      expect(!swap.ok && swap.detail).toContain('may have reached the private endpoint of local (the connection failed before an answer came); it was not broadcast publicly')
      expect(publicRpc.methods).not.toContain('eth_sendRawTransaction')
    } finally {
      privateRpc.setMode('up')
    }
  })

  it('sends the swap publicly when the private endpoint is down and the fallback is public, and its receipt and step record say so', async () => {
    const { venue, logger } = venueWith('public')
    const sale = await approved(venue)
    publicRpc.methods.splice(0)
    privateRpc.setMode('unavailable')
    try {
      const swap = await venue.swap(sale.path, sale.amountIn, sale.minOutput, sale.journal)
      if (!swap.ok) throw new Error(swap.detail)
      expect(publicRpc.methods.filter((method) => method === 'eth_sendRawTransaction')).toEqual(['eth_sendRawTransaction'])
      const mined = await demo.evm.client.getTransactionReceipt({ hash: swap.receipt.reference as Hex })
      expect(mined.status).toBe('success')
      expect(swap.receipt).toMatchObject({ kind: 'swap', block: mined.blockNumber, broadcast: 'public_fallback' })
      expect(stepRecords([swap.receipt])[0]).toMatchObject({ block: mined.blockNumber.toString(), broadcast: 'public_fallback' })
      // Said once, as a warning naming the chain and the transaction, never the endpoint.
      const warned = logger.at('warn')
      expect(warned.map((entry) => entry.fields)).toEqual([{ chain: 'local', hash: swap.receipt.reference }])
      expect(warned[0]?.message).toMatch(
        new RegExp(
          `^The transaction exactInput on 0x[0-9a-fA-F]{40} \\(${swap.receipt.reference}\\) is sent publicly: the private endpoint of local failed \\(.+\\) and private_rpc_fallback is public\\.$`,
        ),
      )
      expect(JSON.stringify(warned)).not.toContain(new URL(privateRpc.url).port)
      expect(JSON.stringify(warned)).not.toContain(KEY)
    } finally {
      privateRpc.setMode('up')
    }
  })
})
