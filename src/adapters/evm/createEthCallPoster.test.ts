import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import fc from 'fast-check'
import { type Address, type Hex, encodeFunctionData, erc20Abi, getAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, npmArtifact, startEvmFixture } from '../../../test/evmFixture.js'
import { createEthCallPoster, readBatchAnswer, writeBatchRequest } from './createEthCallPoster.js'

const testToken = npmArtifact('@uniswap/merkle-distributor/build/TestERC20.json')
const holder = getAddress('0x000000000000000000000000000000000000b0b0')
const balanceOf = (owner: Address) => encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [owner] })
const word = (value: bigint) => `0x${value.toString(16).padStart(64, '0')}`

/** A node that answers every request with `answer`, recording each request's body and headers. */
async function startNode(answer: (body: string, response: ServerResponse) => void): Promise<{ url: string; bodies: string[]; headers: IncomingMessage['headers'][]; stop(): Promise<void> }> {
  const bodies: string[] = []
  const headers: IncomingMessage['headers'][] = []
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8').on('data', (text: string) => {
      body += text
    })
    request.on('end', () => {
      bodies.push(body)
      headers.push(request.headers)
      answer(body, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('The test node listens on no port.')
  return {
    url: `http://127.0.0.1:${address.port}/rpc`,
    bodies,
    headers,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const json = (text: string) => (_body: string, response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end(text)
}

describe('createEthCallPoster on a local node', () => {
  let evm: EvmFixture
  let token: Address

  beforeAll(async () => {
    evm = await startEvmFixture()
    token = await evm.deploy(testToken, ['Eigen', 'EIGEN', 0n])
    const hash = await evm.wallet.writeContract({ address: token, abi: testToken.abi, functionName: 'setBalance', args: [holder, 1_234n] } as never)
    await evm.client.waitForTransactionReceipt({ hash })
  }, 60_000)

  afterAll(async () => {
    await evm?.stop()
  })

  it("sends eth_calls in one HTTP request and gives each its answer, a revert as the node's error", async () => {
    let requests = 0
    const post = createEthCallPoster({ url: evm.chain.rpcUrl, timeoutMs: 10_000, onRequest: () => (requests += 1) })
    const transfer = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [holder, 1n] })
    const outcomes = await post([
      { to: token, data: balanceOf(holder) },
      { to: token, data: transfer },
      { to: token, data: balanceOf(evm.multicall) },
    ])
    expect(requests).toBe(1)
    expect(outcomes[0]).toEqual({ ok: true, data: word(1_234n) })
    expect(outcomes[1]).toMatchObject({ ok: false, error: expect.stringMatching(/revert/i) })
    expect(outcomes[2]).toEqual({ ok: true, data: word(0n) })
    expect(await post([])).toEqual([])
    expect(requests).toBe(1)
  })
})

describe('createEthCallPoster against a node that answers what it likes', () => {
  const to = getAddress('0x00000000000000000000000000000000000000aa')
  const calls = [
    { to, data: balanceOf(holder) },
    { to, data: '0x1234' as Hex },
  ]

  it('writes each call as JSON-RPC with ids 0 to n - 1, and sends the same body again for the same calls', async () => {
    const node = await startNode(json(`[{"jsonrpc":"2.0","id":1,"result":"0x02"},{"jsonrpc":"2.0","id":0,"result":"0x01"}]\n`))
    try {
      const post = createEthCallPoster({ url: node.url, timeoutMs: 5_000 })
      // Answers in another order than asked are put back in order; a trailing newline is allowed.
      expect(await post(calls)).toEqual([
        { ok: true, data: '0x01' },
        { ok: true, data: '0x02' },
      ])
      expect(await post(calls.map((call) => ({ ...call })))).toHaveLength(2)
      expect(JSON.parse(node.bodies[0] ?? '')).toEqual(calls.map((call, id) => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [call, 'latest'] })))
      expect(node.bodies[1]).toBe(node.bodies[0])
      expect(node.headers[0]?.['content-type']).toBe('application/json')
      expect(node.headers[0]?.authorization).toBe(undefined)
    } finally {
      await node.stop()
    }
  })

  it("sends a URL's user and password as Basic authorisation, and names the URL in no error", async () => {
    const node = await startNode((_body, response) => response.writeHead(429, 'Too Many Requests').end('slow down'))
    try {
      const url = node.url.replace('http://', 'http://desk:s3cr%40t-key@')
      const post = createEthCallPoster({ url, timeoutMs: 5_000 })
      const error = await post(calls).catch((caught: unknown) => caught)
      expect(error).toMatchObject({ code: 'source_failed', shortMessage: 'The node answered HTTP 429 Too Many Requests.' })
      expect(node.headers[0]?.authorization).toBe(`Basic ${Buffer.from('desk:s3cr@t-key').toString('base64')}`)
      expect(JSON.stringify(error)).not.toContain('s3cr')
      expect(String(error)).not.toContain('127.0.0.1')
    } finally {
      await node.stop()
    }
  })

  it('refuses an answer that is not one answer per call, naming what was found', async () => {
    const cases: [string, string][] = [
      ['not json', `The node's answer is not JSON (8 characters, starting "not json").`],
      ['{"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"rate limited\\u0007"}}', 'The node refused the batch: rate limited (code -32005).'],
      ['{"result":"0x"}', `The node's answer is not a JSON-RPC batch: expected an array of 2 answer(s), found object.`],
      ['[{"jsonrpc":"2.0","id":0,"result":"0x"}]', `The node's batch answer is malformed: expected 2 answer(s), one per call, found 1.`],
      ['[{"id":0,"result":"0x"},{"id":0,"result":"0x"}]', `The node's batch answer is malformed: id 0 answered twice.`],
      ['[{"id":0,"result":"0x"},{"id":"1","result":"0x"}]', `The node's batch answer is malformed: expected ids 0 to 1, found "1".`],
      ['[{"id":0,"result":"0x"},{"id":7,"result":"0x"}]', `The node's batch answer is malformed: expected ids 0 to 1, found 7.`],
      ['[{"id":0,"result":"0x"},{"result":"0x"}]', `The node's batch answer is malformed: an answer without an id.`],
      ['[{"id":0,"result":"0x"},{"id":1,"result":12}]', `The node's batch answer is malformed: expected 0x-prefixed hex as the result of id 1, found number.`],
      ['[{"id":0,"result":"0x"},{"id":1}]', `The node's batch answer is malformed: expected 0x-prefixed hex as the result of id 1, found undefined.`],
    ]
    for (const [text, message] of cases) {
      expect(() => readBatchAnswer(text, 2), text).toThrow(message)
    }
    // A per-call error is that call's outcome, whatever its shape.
    expect(readBatchAnswer('[{"id":1,"error":{"code":3,"message":"execution reverted"}},{"id":0,"error":"odd"}]', 2)).toEqual([
      { ok: false, error: 'an error of type string' },
      { ok: false, error: 'execution reverted (code 3)' },
    ])
  })

  it('reads the plain answer without parsing as it reads the same answer parsed as JSON', () => {
    const hex = fc.stringMatching(/^0x(?:[0-9a-f]{2}){0,40}$/)
    const answer = fc.oneof(
      hex.map((data) => ({ result: data })),
      fc.string({ maxLength: 20 }).map((message) => ({ error: { code: -32000, message } })),
    )
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 8 }), (answers) => {
        const items = answers.map((item, id) => ({ jsonrpc: '2.0', id, ...item }))
        // Compact and in order: the plain path when every call has a result. Spaced and reversed: JSON.parse.
        const plain = readBatchAnswer(JSON.stringify(items), answers.length)
        const parsed = readBatchAnswer(JSON.stringify([...items].reverse(), null, 1), answers.length)
        expect(plain).toEqual(parsed)
        for (const [index, item] of answers.entries()) {
          if ('result' in item) expect(plain[index]).toEqual({ ok: true, data: item.result })
          else expect(plain[index]).toMatchObject({ ok: false, error: expect.stringMatching(/\(code -32000\)$/) })
        }
      }),
    )
    // An escape in a result is left to JSON.parse, which reads it as the character it stands for.
    expect(readBatchAnswer('[{"jsonrpc":"2.0","id":0,"result":"0x\\u0030a"}]', 1)).toEqual([{ ok: true, data: '0x0a' }])
  })

  it('refuses a larger answer than its limit, a slow node, a closed port and calldata that is not hex, before or without a request', async () => {
    const big = await startNode(json(`[${'{"id":0,"result":"0x00"},'.repeat(100)}]`))
    const slow = await startNode(() => undefined)
    try {
      await expect(createEthCallPoster({ url: big.url, timeoutMs: 5_000, maxAnswerBytes: 1_000 })(calls)).rejects.toThrow("The node's answer is more than the 1000 bytes read.")
      await expect(createEthCallPoster({ url: slow.url, timeoutMs: 200 })(calls)).rejects.toThrow('The node did not answer within 200 ms.')
      await expect(createEthCallPoster({ url: 'http://127.0.0.1:9/', timeoutMs: 5_000 })(calls)).rejects.toThrow('The request to the node failed (ECONNREFUSED).')
      let requests = 0
      const post = createEthCallPoster({ url: big.url, timeoutMs: 5_000, onRequest: () => (requests += 1) })
      await expect(post([{ to, data: '0x12"}' as Hex }])).rejects.toThrow('An eth_call of the batch has a target or calldata that is not 0x-prefixed hex.')
      expect(requests).toBe(0)
      expect(() => createEthCallPoster({ url: 'ws://127.0.0.1:1', timeoutMs: 1 })).toThrow('An RPC URL must be http(s), was a ws: URL.')
    } finally {
      await big.stop()
      await slow.stop()
    }
  })

  it('writes the JSON-RPC batch that JSON.stringify would', () => {
    const batch = [
      { to, data: '0xabcdef' as Hex },
      { to, data: '0x' as Hex },
    ]
    expect(JSON.parse(writeBatchRequest(batch))).toEqual(batch.map((call, id) => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [call, 'latest'] })))
  })
})
