import {
  type Address,
  type Hex,
  type PublicClient,
  createPublicClient,
  custom,
  decodeFunctionData,
  encodeFunctionData,
  encodeFunctionResult,
  erc20Abi,
  getAddress,
  http,
  multicall3Abi,
  parseEther,
} from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, npmArtifact, startEvmFixture } from '../../../test/evmFixture.js'
import { startFaultyRpcProxy } from '../../../test/fixtureChainGuards.js'
import { SourceError } from '../../errors/index.js'
import type { EthCallPoster } from './createEthCallPoster.js'
import { type EvmCallBatcherTiming, createEvmCallBatcher } from './createEvmCallBatcher.js'
import { createEvmChains } from './createEvmChains.js'

const testToken = npmArtifact('@uniswap/merkle-distributor/build/TestERC20.json')
const tokenAbi = testToken.abi
const owner = (index: number) => getAddress(`0x${(0xa000 + index).toString(16).padStart(40, '0')}`)

/** A client of the node whose transport batches JSON-RPC, recording the body of every HTTP request. */
function recordingClient(rpcUrl: string): { client: PublicClient; bodies: unknown[] } {
  const bodies: unknown[] = []
  const client = createPublicClient({
    transport: http(rpcUrl, {
      batch: true,
      retryCount: 0,
      onFetchRequest: (_request, init) => {
        bodies.push(JSON.parse(String(init.body)))
      },
    }),
  }) as PublicClient
  return { client, bodies }
}

describe('createEvmCallBatcher on a local node', () => {
  let evm: EvmFixture
  let token: Address

  beforeAll(async () => {
    evm = await startEvmFixture()
    token = await evm.deploy(testToken, ['Eigen', 'EIGEN', 0n])
    for (let index = 0; index < 5; index += 1) {
      const hash = await evm.wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'setBalance', args: [owner(index), BigInt(1_000 + index)] } as never)
      await evm.client.waitForTransactionReceipt({ hash })
    }
    const hash = await evm.wallet.sendTransaction({ to: owner(2), value: parseEther('0.5') } as never)
    await evm.client.waitForTransactionReceipt({ hash })
  }, 60_000)

  afterAll(async () => {
    await evm?.stop()
  })

  it('splits a flush of more reads than maxCallsPerMulticall into several eth_calls sent in one HTTP request', async () => {
    const { client, bodies } = recordingClient(evm.chain.rpcUrl)
    const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress: evm.multicall, maxCallsPerMulticall: 4 })
    // 5 owners × (native coin, token) and, in the middle, a read that reverts: 11 reads, in chunks of 4, 4 and 3.
    const balances = (index: number) => [batcher.nativeBalance(owner(index)), batcher.read({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [owner(index)] })]
    const reads = [...balances(0), ...balances(1), ...balances(2)]
    // Multicall3 holds no token, so its transfer reverts: that read fails, the rest of its chunk does not.
    reads.push(batcher.read({ address: token, abi: tokenAbi, functionName: 'transfer', args: [owner(0), 1n] }))
    reads.push(...balances(3), ...balances(4))
    const settled = await Promise.allSettled(reads)

    expect(batcher.calls()).toBe(3)
    expect(bodies).toHaveLength(1)
    const batch = bodies[0] as { method: string; params: [{ data: Hex }] }[]
    expect(batch.map((request) => request.method)).toEqual(['eth_call', 'eth_call', 'eth_call'])
    expect(batch.map((request) => decodeFunctionData({ abi: multicall3Abi, data: request.params[0].data }).args?.[0]?.length)).toEqual([4, 4, 3])
    const values = settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))
    expect(values).toEqual([0n, 1_000n, 0n, 1_001n, parseEther('0.5'), 1_002n, `transfer on ${token} reverted on local.`, 0n, 1_003n, 0n, 1_004n])
    expect(settled[6]).toMatchObject({ status: 'rejected', reason: { name: 'SourceError' } })
  })

  it('sends 500 reads per eth_call by default, all of a cycle in one round trip through createEvmChains', async () => {
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall })
    const before = chain.requests()
    const reads = Array.from({ length: 1_001 }, (_, index) => chain.batcher.read({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [owner(index)] }))
    const values = await Promise.all(reads)
    expect(chain.batcher.calls()).toBe(3)
    expect(chain.requests() - before).toBe(1)
    expect(values.slice(0, 6)).toEqual([1_000n, 1_001n, 1_002n, 1_003n, 1_004n, 0n])
    expect(values.slice(5).every((value) => value === 0n)).toBe(true)
  }, 30_000)

  it('closes a chunk before its reads would pass maxGasPerMulticall, counting 20,000 gas for a read that gives none', async () => {
    const { client, bodies } = recordingClient(evm.chain.rpcUrl)
    const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress: evm.multicall, maxGasPerMulticall: 100_000n })
    const balanceOf = (index: number, gas?: bigint) => batcher.read({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [owner(index)], ...(gas === undefined ? {} : { gas }) })
    // Gas 40k + 40k | 40k + 20k (default) + 20k (default) | 150k alone, above the bound | 20k.
    const values = await Promise.all([balanceOf(0, 40_000n), balanceOf(1, 40_000n), balanceOf(2, 40_000n), balanceOf(3), balanceOf(4), balanceOf(0, 150_000n), balanceOf(1)])
    expect(values).toEqual([1_000n, 1_001n, 1_002n, 1_003n, 1_004n, 1_000n, 1_001n])
    expect(batcher.calls()).toBe(4)
    expect(bodies).toHaveLength(1)
    const batch = bodies[0] as { params: [{ data: Hex }] }[]
    const sizes = batch.map((request) => decodeFunctionData({ abi: multicall3Abi, data: request.params[0].data }).args?.[0]?.length)
    expect(sizes).toEqual([2, 3, 1, 1])
  })

  it('fails only the reads of a chunk that the node refuses', async () => {
    const { client, bodies } = recordingClient(evm.chain.rpcUrl)
    const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress: evm.multicall, maxCallsPerMulticall: 2 })
    // A nested aggregate3 of 8,000 calls has more calldata than the node's per-call gas limit
    // (16,777,216 since EIP-7825) can pay for (EIP-7623's calldata floor): the node refuses its eth_call.
    const heavy = Array.from({ length: 8_000 }, (_, index) => ({
      target: evm.multicall,
      allowFailure: true,
      callData: encodeFunctionData({ abi: multicall3Abi, functionName: 'getEthBalance', args: [owner(index)] }),
    }))
    const settled = await Promise.allSettled([
      batcher.read({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [owner(0)] }),
      batcher.nativeBalance(owner(2)),
      batcher.read({ address: evm.multicall, abi: multicall3Abi, functionName: 'aggregate3', args: [heavy] }),
      batcher.read({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [owner(1)] }),
    ])
    expect(bodies).toHaveLength(1)
    expect(batcher.calls()).toBe(2)
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 1_000n })
    expect(settled[1]).toEqual({ status: 'fulfilled', value: parseEther('0.5') })
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: { name: 'SourceError', shortMessage: 'The local node did not answer the batched read of 2 call(s).' } })
    expect((settled[2] as PromiseRejectedResult).reason.cause.details).toMatch(/gas/)
    // Both reads of the refused chunk share its error.
    expect(settled[3]).toMatchObject({ status: 'rejected', reason: (settled[2] as PromiseRejectedResult).reason })
  }, 30_000)

  it('fails every read of every chunk with a SourceError when the node does not answer', async () => {
    const { client, bodies } = recordingClient('http://127.0.0.1:9/rpc')
    const batcher = createEvmCallBatcher({ chain: 'mainnet', client, multicallAddress: evm.multicall, maxCallsPerMulticall: 2 })
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, index) => batcher.nativeBalance(owner(index))))
    expect(bodies).toHaveLength(1)
    expect(batcher.calls()).toBe(3)
    expect(settled.map((result) => (result.status === 'rejected' ? (result.reason as { name: string; shortMessage: string }) : result))).toMatchObject([
      { name: 'SourceError', shortMessage: 'The mainnet node did not answer the batched read of 2 call(s).' },
      { name: 'SourceError', shortMessage: 'The mainnet node did not answer the batched read of 2 call(s).' },
      { name: 'SourceError', shortMessage: 'The mainnet node did not answer the batched read of 2 call(s).' },
      { name: 'SourceError', shortMessage: 'The mainnet node did not answer the batched read of 2 call(s).' },
      { name: 'SourceError', shortMessage: 'The mainnet node did not answer the batched read of 1 call(s).' },
    ])
  })

  it('names a missing Multicall3 and the key to set, asking eth_getCode once for all the chunks of a flush', async () => {
    const { client, bodies } = recordingClient(evm.chain.rpcUrl)
    // The canonical address holds nothing on a fresh local node: eth_call answers 0x there.
    const canonical = getAddress('0xcA11bde05977b3631167028862bE2a173976CA11')
    expect(await evm.client.getCode({ address: canonical })).toBeUndefined()
    const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress: canonical, maxCallsPerMulticall: 1 })
    const settled = await Promise.allSettled([batcher.nativeBalance(owner(0)), batcher.read({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [owner(1)] })])
    const message = `No Multicall3 at ${canonical} on local (chain id 31337): no contract is deployed there; set chains.local.multicall_address to the address of Multicall3 on this chain.`
    for (const result of settled) expect(result).toMatchObject({ status: 'rejected', reason: { name: 'SourceError', code: 'multicall_missing', shortMessage: message } })
    const methods = bodies.map((body) => (Array.isArray(body) ? body : [body]).map((request: { method: string }) => request.method).sort())
    expect(methods).toEqual([
      ['eth_call', 'eth_call'],
      ['eth_chainId', 'eth_getCode'],
    ])
  })

  it('says a contract that answers aggregate3 with no data is not Multicall3', async () => {
    // The smallest contract there is: its code is STOP (0x00), so every call succeeds with no data.
    // Its init code copies that one byte and returns it: PUSH1 1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 1, PUSH1 0, RETURN.
    const stop = await evm.deploy({ abi: [], bytecode: '0x6001600c60003960016000f300' })
    expect(await evm.client.getCode({ address: stop })).toBe('0x00')
    const chain = createEvmChains().get('local', { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: stop })
    const error = await chain.batcher.nativeBalance(owner(0)).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      name: 'SourceError',
      code: 'multicall_missing',
      shortMessage: `The contract at ${stop} on local (chain id 31337) answered aggregate3 with no data: it is not Multicall3; set chains.local.multicall_address to the address of Multicall3 on this chain.`,
    })
  })

  it('refuses chunk bounds below one read or one gas', () => {
    const { client } = recordingClient(evm.chain.rpcUrl)
    for (const maxCallsPerMulticall of [0, -1, 1.5, Number.NaN]) {
      expect(() => createEvmCallBatcher({ chain: 'local', client, multicallAddress: evm.multicall, maxCallsPerMulticall })).toThrow(
        `maxCallsPerMulticall must be a whole number of 1 or more, was ${maxCallsPerMulticall}.`,
      )
    }
    expect(() => createEvmCallBatcher({ chain: 'local', client, multicallAddress: evm.multicall, maxGasPerMulticall: 0n })).toThrow('maxGasPerMulticall must be 1 or more, was 0.')
  })

  it('names a read without a function name by its address when its answer does not decode', async () => {
    const batcher = createEvmCallBatcher({ chain: 'local', client: evm.client, multicallAddress: evm.multicall })
    const balanceOf = [{ type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ name: 'owner', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] }] as const
    // An account holds no code: the call succeeds with no data, which decodes to no uint256.
    const error = await batcher.read({ address: owner(1), abi: balanceOf, args: [owner(2)] }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({ source: 'local', shortMessage: `the function on ${owner(1)} answered data that does not decode.` })
  })

  it('leaves the chain id out of a missing Multicall3 when the node does not tell it', async () => {
    const proxy = await startFaultyRpcProxy(evm.chain.rpcUrl, (request) => (request.method === 'eth_chainId' ? 'rpc_error' : undefined))
    try {
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) })
      const canonical = getAddress('0xcA11bde05977b3631167028862bE2a173976CA11')
      const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress: canonical })
      const error = await batcher.nativeBalance(owner(0)).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(SourceError)
      expect(error).toMatchObject({
        code: 'multicall_missing',
        shortMessage: `No Multicall3 at ${canonical} on local: no contract is deployed there; set chains.local.multicall_address to the address of Multicall3 on this chain.`,
      })
    } finally {
      await proxy.stop()
    }
  })
})

describe('createEvmCallBatcher against a node that answers what it likes', () => {
  const multicallAddress = getAddress('0xcA11bde05977b3631167028862bE2a173976CA11')
  const token = getAddress('0x00000000000000000000000000000000000000aa')
  const balanceOf = (index: number) => ({ address: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [owner(index)] }), label: `balanceOf on ${token}` })
  const word = (value: bigint) => `0x${value.toString(16).padStart(64, '0')}` as Hex

  /** A client whose node answers every eth_call with `answer(calls)`, `calls` being the aggregate3 calls it was sent. */
  function nodeAnswering(answer: (calls: readonly { callData: Hex }[]) => Hex): PublicClient {
    return createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params: [{ data: Hex }] }) {
          if (method !== 'eth_call') throw new Error(`Expected only eth_call, found ${method}.`)
          const decoded = decodeFunctionData({ abi: multicall3Abi, data: params[0].data })
          return answer(decoded.args[0] as readonly { callData: Hex }[])
        },
      }),
    }) as PublicClient
  }

  it('fails every read of a chunk whose answer has fewer results than calls', async () => {
    const client = nodeAnswering(() => encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: [{ success: true, returnData: word(7n) }] }))
    const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress })
    const settled = await Promise.allSettled([batcher.readUint256(balanceOf(0)), batcher.readUint256(balanceOf(1))])
    for (const result of settled) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: {
          name: 'SourceError',
          shortMessage: 'The local node did not answer the batched read of 2 call(s).',
          details: 'The aggregate3 answer is malformed: expected 2 result(s), one per call, found 1.',
        },
      })
    }
  })

  it('fails only the read whose balance is not 32 bytes, and the chunk whose answer points outside itself', async () => {
    const results = [
      { success: true, returnData: word(5n) },
      { success: true, returnData: word(6n).slice(0, 64) as Hex },
    ]
    const batcher = createEvmCallBatcher({ chain: 'local', client: nodeAnswering(() => encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: results })), multicallAddress })
    const settled = await Promise.allSettled([batcher.readUint256(balanceOf(0)), batcher.readUint256(balanceOf(1))])
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 5n })
    expect(settled[1]).toMatchObject({
      status: 'rejected',
      reason: { name: 'SourceError', shortMessage: `balanceOf on ${token} answered data that does not decode.`, cause: { shortMessage: 'A uint256 answer must have 32 bytes, found 31.' } },
    })

    // The first result's offset moved past the end of the answer.
    const pointingOut = (calls: readonly unknown[]) => {
      const data = encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: calls.map(() => ({ success: true, returnData: word(1n) })) })
      return `${data.slice(0, 130)}${word(4_096n).slice(2)}${data.slice(194)}` as Hex
    }
    const hostile = createEvmCallBatcher({ chain: 'local', client: nodeAnswering(pointingOut), multicallAddress })
    const refused = await Promise.allSettled([hostile.readUint256(balanceOf(0))])
    expect(refused[0]).toMatchObject({
      status: 'rejected',
      reason: {
        shortMessage: 'The local node did not answer the batched read of 1 call(s).',
        details: expect.stringMatching(/^The aggregate3 answer is malformed: expected a position within the \d+ bytes, found position \d+\.$/),
      },
    })
  })

  it('refuses a read whose target is not an address, alone', async () => {
    const batcher = createEvmCallBatcher({
      chain: 'local',
      client: nodeAnswering((calls) => encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: calls.map(() => ({ success: true, returnData: word(9n) })) })),
      multicallAddress,
    })
    const settled = await Promise.allSettled([batcher.readUint256({ ...balanceOf(0), address: '0x1234' as Address, label: 'balanceOf on 0x1234' }), batcher.readUint256(balanceOf(1))])
    expect(settled[0]).toMatchObject({
      status: 'rejected',
      reason: {
        name: 'SourceError',
        shortMessage: 'balanceOf on 0x1234 cannot be sent: An aggregate3 call has a target that is not an address: expected 0x and 40 hex digits with a valid checksum if mixed-case, found 0x1234.',
      },
    })
    expect(settled[1]).toEqual({ status: 'fulfilled', value: 9n })
  })

  it("sends the last cycle's calldata again when the reads are the same, and new calldata when they change", async () => {
    const sent: Hex[] = []
    // The node answers each balanceOf with the owner's last byte (1, 2, 3), so a stale chunk would give wrong values.
    const client = nodeAnswering((calls) =>
      encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: calls.map(({ callData }) => ({ success: true, returnData: word(BigInt(`0x${callData.slice(-2)}`)) })) }),
    )
    const recording = {
      ...client,
      call: (parameters: { to: Address; data: Hex }) => {
        sent.push(parameters.data)
        return client.call(parameters)
      },
    } as PublicClient
    const batcher = createEvmCallBatcher({ chain: 'local', client: recording, multicallAddress, maxCallsPerMulticall: 2 })
    const reads = [balanceOf(1), balanceOf(2), balanceOf(3)]
    const cycle = (order: readonly number[]) => Promise.all(order.map((index) => batcher.readUint256(reads[index] as ReturnType<typeof balanceOf>)))
    expect(await cycle([0, 1, 2])).toEqual([1n, 2n, 3n])
    expect(await cycle([0, 1, 2])).toEqual([1n, 2n, 3n])
    expect(sent.slice(2, 4)).toEqual(sent.slice(0, 2))
    expect(await cycle([1, 0, 2])).toEqual([2n, 1n, 3n])
    expect(sent[4]).not.toBe(sent[0])
    expect(sent[5]).toBe(sent[1])
    expect(await cycle([2])).toEqual([3n])
  })

  it("reads a wallet's balances in one promise: every value in order, or the first failure in read order", async () => {
    const answers = (calls: readonly { callData: Hex }[]) =>
      encodeFunctionResult({
        abi: multicall3Abi,
        functionName: 'aggregate3',
        // The owner's last byte is its balance; owner 3's read reverts and owner 4's answers 31 bytes.
        result: calls.map(({ callData }) => {
          const last = Number.parseInt(callData.slice(-2), 16)
          return { success: last !== 3, returnData: last === 4 ? (word(4n).slice(0, 64) as Hex) : word(BigInt(last)) }
        }),
      })
    const batcher = createEvmCallBatcher({ chain: 'local', client: nodeAnswering(answers), multicallAddress, maxCallsPerMulticall: 2 })
    const reads = [1, 2, 4, 3, 5].map(balanceOf)
    const [all, failed, none, bad] = await Promise.allSettled([
      batcher.readUint256s([reads[0], reads[1], reads[4]].filter((read) => read !== undefined)),
      batcher.readUint256s(reads.filter((read) => read !== undefined)),
      batcher.readUint256s([]),
      batcher.readUint256s([{ ...balanceOf(1), address: '0x12' as Address, label: 'balanceOf on 0x12' }, balanceOf(2)]),
    ])
    expect(all).toEqual({ status: 'fulfilled', value: [1n, 2n, 5n] })
    // Owner 4 comes before owner 3 in read order: its failure is the one given.
    expect(failed).toMatchObject({ status: 'rejected', reason: { name: 'SourceError', shortMessage: `balanceOf on ${token} answered data that does not decode.` } })
    expect(none).toEqual({ status: 'fulfilled', value: [] })
    expect(bad).toMatchObject({ status: 'rejected', reason: { shortMessage: expect.stringMatching(/^balanceOf on 0x12 cannot be sent/) } })
  })

  it('posts every chunk of a flush at once through its poster, and a call the node refuses fails its chunk alone', async () => {
    const posted: (readonly { to: Address; data: Hex }[])[] = []
    const post: EthCallPoster = async (calls) => {
      posted.push(calls)
      return calls.map((call, index) => {
        if (index === 1) return { ok: false, error: 'out of gas (code -32000)' }
        const tuples = decodeFunctionData({ abi: multicall3Abi, data: call.data }).args[0] as readonly { callData: Hex }[]
        return { ok: true, data: encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: tuples.map(() => ({ success: true, returnData: word(7n) })) }) }
      })
    }
    const client = nodeAnswering(() => {
      throw new Error('The client is not asked when there is a poster.')
    })
    const batcher = createEvmCallBatcher({ chain: 'local', client, post, multicallAddress, maxCallsPerMulticall: 2 })
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, index) => batcher.readUint256(balanceOf(index))))
    expect(posted).toHaveLength(1)
    expect(posted[0]?.map((call) => call.to)).toEqual([multicallAddress, multicallAddress, multicallAddress])
    expect(batcher.calls()).toBe(3)
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as { details: string }).details))).toEqual([
      7n,
      7n,
      'The node refused the eth_call: out of gas (code -32000).',
      'The node refused the eth_call: out of gas (code -32000).',
      7n,
    ])

    // A batch the node does not answer fails every read, once.
    const down = createEvmCallBatcher({ chain: 'local', client, post: () => Promise.reject(new Error('The node answered HTTP 503.')), multicallAddress })
    const failed = await Promise.allSettled([down.readUint256(balanceOf(0)), down.readUint256(balanceOf(1))])
    expect(failed.map((result) => (result.status === 'rejected' ? (result.reason as { details: string }).details : result))).toEqual(['The node answered HTTP 503.', 'The node answered HTTP 503.'])
  })

  it('tells the timing hook the encode, wait and decode of every chunk', async () => {
    const timings: EvmCallBatcherTiming[] = []
    const client = nodeAnswering((calls) =>
      encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: calls.map((_, index) => ({ success: true, returnData: word(BigInt(index)) })) }),
    )
    const batcher = createEvmCallBatcher({ chain: 'local', client, multicallAddress, maxCallsPerMulticall: 3, onTiming: (timing) => timings.push(timing) })
    const values = await Promise.all(Array.from({ length: 5 }, (_, index) => batcher.readUint256(balanceOf(index))))
    expect(values).toEqual([0n, 1n, 2n, 0n, 1n])
    const phases = timings.map(({ phase, reads }) => `${phase}:${reads}`).sort()
    expect(phases).toEqual(['decode:2', 'decode:3', 'encode:2', 'encode:3', 'wait:2', 'wait:3'])
    for (const timing of timings) expect(timing.endMs).toBeGreaterThanOrEqual(timing.startMs)
  })
})
