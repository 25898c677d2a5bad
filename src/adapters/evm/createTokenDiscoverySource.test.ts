import { mkdtempSync, rmSync } from 'node:fs'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, type Hex, type PublicClient, createPublicClient, encodeAbiParameters, getAddress, http, pad, parseUnits, stringToHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../../test/createMemoryEventStore.js'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { createRecordingLogger } from '../../../test/fakePorts.js'
import { createCurrency } from '../../domain/money/index.js'
import { loadContractArtifact } from '../localchain/loadContractArtifact.js'
import { createSqliteEventStore } from '../sqlite/createSqliteEventStore.js'
import { createEvmCallBatcher } from './createEvmCallBatcher.js'
import { type TokenDiscoveryStore, createTokenDiscoverySource } from './createTokenDiscoverySource.js'

/** Alchemy's words when an eth_getLogs range is above its cap (JSON-RPC error -32602). */
const ALCHEMY_RANGE_REFUSAL =
  'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response.'

type LogsProxy = {
  url: string
  /** Every eth_getLogs asked for, as [fromBlock, toBlock], refused ones included. */
  ranges: Array<[bigint, bigint]>
  /** Refuse ranges of more blocks than this, as a provider does; none when undefined. */
  maxRange: bigint | undefined
  /** Answer eth_getLogs with HTTP 503, as a load balancer in front of a failing node does. */
  logsDown: boolean
  /** Answer eth_blockNumber with HTTP 503. */
  blockNumberDown: boolean
  stop(): Promise<void>
}

/**
 * A JSON-RPC proxy in front of the local node that records each eth_getLogs range, and refuses
 * those above `maxRange` with a provider's error: Hardhat answers any range, real providers do not.
 */
async function startLogsProxy(target: string): Promise<LogsProxy> {
  const proxy: LogsProxy = { url: '', ranges: [], maxRange: undefined, logsDown: false, blockNumberDown: false, stop: async () => undefined }
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const call = JSON.parse(body.toString('utf8')) as { id: number; method: string; params: Array<{ fromBlock: Hex; toBlock: Hex }> }
      if (!Array.isArray(call) && call.method === 'eth_blockNumber' && proxy.blockNumberDown) {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable')
        return
      }
      if (!Array.isArray(call) && call.method === 'eth_getLogs') {
        const [filter] = call.params
        const range: [bigint, bigint] = [BigInt(filter?.fromBlock ?? '0x0'), BigInt(filter?.toBlock ?? '0x0')]
        proxy.ranges.push(range)
        if (proxy.logsDown) {
          response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable')
          return
        }
        if (proxy.maxRange !== undefined && range[1] - range[0] + 1n > proxy.maxRange) {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: -32602, message: ALCHEMY_RANGE_REFUSAL } }))
          return
        }
      }
      void fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer()))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return proxy
}

const demoToken = loadContractArtifact('DemoToken')
const hostileToken = loadContractArtifact('HostileToken')
const encodeString = (text: string) => encodeAbiParameters([{ type: 'string' }], [text])
const encodeWord = (value: bigint) => encodeAbiParameters([{ type: 'uint256' }], [value])

describe('createTokenDiscoverySource', () => {
  let evm: EvmFixture
  let proxy: LogsProxy
  let client: PublicClient
  let usdt: Address
  let air: Address
  let bee: Address
  let walletIndex = 0
  const dir = mkdtempSync(join(tmpdir(), 'dust-discovery-'))

  /** A wallet no earlier test sent anything to. */
  const freshWallet = (): Address => getAddress(`0x${(0xd15c0000n + BigInt((walletIndex += 1))).toString(16).padStart(40, '0')}`)
  const mint = async (token: Address, to: Address, amount: bigint) => {
    const hash = await evm.wallet.writeContract({ address: token, abi: demoToken.abi, functionName: 'mint', args: [to, amount], chain: null, account: evm.wallet.account ?? evm.deployer })
    return (await evm.client.waitForTransactionReceipt({ hash })).blockNumber
  }
  const latest = () => evm.client.getBlockNumber({ cacheTime: 0 })
  const mine = async (blocks: number) => {
    for (let index = 0; index < blocks; index += 1) await evm.client.request({ method: 'evm_mine' as never })
  }
  const sourceFor = (owner: Address, options: Partial<Parameters<typeof createTokenDiscoverySource>[0]> = {}) =>
    createTokenDiscoverySource({
      name: 'wallet',
      strategyMode: 'usdt_test',
      owner,
      client,
      batcher: createEvmCallBatcher({ chain: 'local', client, multicallAddress: evm.multicall }),
      known: [createCurrency({ symbol: 'USDT', decimals: 6, chain: 'local', address: usdt }), createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' })],
      fromBlock: 0n,
      ...options,
    })

  beforeAll(async () => {
    evm = await startEvmFixture()
    proxy = await startLogsProxy(evm.chain.rpcUrl)
    client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) })
    usdt = getAddress(await evm.deploy(demoToken, ['Tether USD', 'USDT', 6]))
    air = getAddress(await evm.deploy(demoToken, ['Airdrop', 'AIR', 18]))
    bee = getAddress(await evm.deploy(demoToken, ['Bee Token', 'BEE', 8]))
  }, 120_000)

  afterAll(async () => {
    await proxy?.stop()
    await evm?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('lists the tokens sent to the wallet that the registry lacks as unverified_token, with exact amounts', async () => {
    const wallet = freshWallet()
    const airBlock = await mint(air, wallet, parseUnits('1234.567890123456789', 18))
    await mint(usdt, wallet, parseUnits('250', 6))
    await mint(bee, freshWallet(), parseUnits('1', 8))
    const store = createMemoryEventStore()
    const holdings = await sourceFor(wallet, { store }).fetchHoldings()
    expect(holdings).toEqual([
      {
        amount: expect.objectContaining({ raw: 1_234_567_890_123_456_789_000n }),
        venue: 'wallet',
        source: 'wallet_balance',
        custody: { kind: 'onchain', chain: 'local' },
        held: {
          code: 'unverified_token',
          detail: `Token AIR at ${air} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. To treat it as dust, add it to tokens: with this address and its decimals, and give it a price source.`,
        },
      },
    ])
    expect(holdings[0]?.amount.toString()).toBe('1234.567890123456789 AIR')
    expect(holdings[0]?.amount.currency).toEqual({ symbol: 'AIR', decimals: 18, chain: 'local', address: air })
    // Both tokens are stored, the registry's too: whether a token is listed is decided each cycle, against the registry of the day.
    const state = await store.readTokenDiscovery({ strategyMode: 'usdt_test', chain: 'local', wallet })
    expect(state.scannedTo).toBe(await latest())
    expect(state.tokens).toEqual([
      { address: air.toLowerCase(), firstBlock: airBlock },
      { address: usdt.toLowerCase(), firstBlock: airBlock + 1n },
    ])
  })

  it('resumes from the cursor stored in a reopened SQLite file, and still lists a token found before it', async () => {
    const wallet = freshWallet()
    const file = join(dir, 'resume.sqlite')
    await mint(air, wallet, 5n * 10n ** 18n)
    const first = await createSqliteEventStore({ file })
    const before = await sourceFor(wallet, { store: first }).fetchHoldings()
    expect(before.map((holding) => holding.amount.toString())).toEqual(['5 AIR'])
    const cursor = await latest()
    await first.close()

    const beeBlock = await mint(bee, wallet, 42n * 10n ** 8n + 1n)
    await mine(3)
    const reopened = await createSqliteEventStore({ file })
    proxy.ranges.length = 0
    const after = await sourceFor(wallet, { store: reopened }).fetchHoldings()
    expect(proxy.ranges).toEqual([[cursor + 1n, await latest()]])
    expect(after.map((holding) => holding.amount.toString())).toEqual(['5 AIR', '42.00000001 BEE'])
    expect(await reopened.readTokenDiscovery({ strategyMode: 'usdt_test', chain: 'local', wallet })).toEqual({
      scannedTo: await latest(),
      tokens: [
        { address: air.toLowerCase(), firstBlock: expect.any(BigInt) },
        { address: bee.toLowerCase(), firstBlock: beeBlock },
      ],
    })
    await reopened.close()
  })

  it('scans in ranges of blockRange blocks, at most maxRangesPerCycle a cycle, and the rest in the next cycles', async () => {
    const wallet = freshWallet()
    await mine(40)
    const airBlock = await mint(air, wallet, 7n)
    const top = await latest()
    const from = top - 10n
    const source = sourceFor(wallet, { fromBlock: from, blockRange: 4n, maxRangesPerCycle: 2 })
    proxy.ranges.length = 0
    expect(await source.fetchHoldings()).toEqual([])
    expect(proxy.ranges).toEqual([
      [from, from + 3n],
      [from + 4n, from + 7n],
    ])
    proxy.ranges.length = 0
    // The range holding the mint (the last block) is the last one, scanned by the second cycle.
    expect(airBlock).toBe(top)
    expect((await source.fetchHoldings()).map((holding) => holding.amount.toString())).toEqual(['0.000000000000000007 AIR'])
    expect(proxy.ranges).toEqual([[from + 8n, top]])
    proxy.ranges.length = 0
    expect((await source.fetchHoldings()).map((holding) => holding.amount.toString())).toEqual(['0.000000000000000007 AIR'])
    expect(proxy.ranges).toEqual([])
  })

  it('halves a range the node refuses as too large, and keeps the smaller range for the rest', async () => {
    const wallet = freshWallet()
    await mine(30)
    const airBlock = await mint(air, wallet, 3n * 10n ** 18n)
    const top = await latest()
    const from = top - 24n
    const logger = createRecordingLogger()
    proxy.maxRange = 7n
    proxy.ranges.length = 0
    try {
      const holdings = await sourceFor(wallet, { fromBlock: from, blockRange: 20n, logger }).fetchHoldings()
      expect(holdings.map((holding) => holding.amount.toString())).toEqual(['3 AIR'])
    } finally {
      proxy.maxRange = undefined
    }
    // 20 refused, 10 refused, 5 accepted: then ranges of 5 up to the latest block.
    expect(proxy.ranges).toEqual([
      [from, from + 19n],
      [from, from + 9n],
      [from, from + 4n],
      [from + 5n, from + 9n],
      [from + 10n, from + 14n],
      [from + 15n, from + 19n],
      [from + 20n, top],
    ])
    expect(airBlock).toBe(top)
    expect(logger.at('info').map((entry) => [entry.message, entry.fields.blockRange])).toEqual([
      ['The node refused the Transfer log range as too large; halving it', '10'],
      ['The node refused the Transfer log range as too large; halving it', '5'],
      [`Token discovery of wallet on local scanned blocks ${from} to ${top}`, undefined],
    ])
  })

  it('lists hostile tokens by a sanitised symbol: reverting, bytes32, 10 kB, look-alike, unreadable or huge decimals', async () => {
    const wallet = freshWallet()
    const hostile = async (symbolAnswer: Hex, symbolReverts: boolean, decimalsAnswer: Hex, decimalsReverts: boolean) => {
      const address = getAddress(await evm.deploy(hostileToken, [symbolAnswer, symbolReverts, decimalsAnswer, decimalsReverts]))
      const hash = await evm.wallet.writeContract({ address, abi: hostileToken.abi, functionName: 'mint', args: [wallet, 1_000_000n], chain: null, account: evm.wallet.account ?? evm.deployer })
      await evm.client.waitForTransactionReceipt({ hash })
      return address
    }
    const reverting = await hostile('0x', true, encodeWord(18n), false)
    const word = await hostile(pad(stringToHex('MKR'), { dir: 'right' }), false, encodeWord(18n), false)
    const huge = await hostile(encodeString('X'.repeat(10_240)), false, encodeWord(6n), false)
    const bell = await hostile(encodeString(`BEL${'\u0007'.repeat(10_237)}`), false, encodeWord(0n), false)
    const lookAlike = await hostile(encodeString('USDT'), false, encodeWord(255n), false)
    const control = await hostile(encodeString('AIR\u0000DROP\n<script>'), false, '0x', true)
    const holdings = await sourceFor(wallet).fetchHoldings()
    const listed = Object.fromEntries(holdings.map((holding) => [holding.amount.currency.address ?? '', [holding.amount.toString(), holding.held?.detail]]))
    const tail = 'To treat it as dust, add it to tokens: with this address and its decimals, and give it a price source.'
    const baseUnits = 'Its decimals() cannot be read (or is above 36), so the amount is in base units.'
    expect(listed).toEqual({
      [reverting]: [
        '0.000000000001 UNKNOWN',
        `A token whose symbol() cannot be read at ${reverting} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. ${tail}`,
      ],
      [word]: ['0.000000000001 MKR', `Token MKR at ${word} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. ${tail}`],
      [huge]: ['1 UNKNOWN', `Token UNKNOWN at ${huge} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. ${tail}`],
      [bell]: ['1000000 BEL', `Token BEL at ${bell} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. ${tail}`],
      [lookAlike]: [
        '1000000 USDT',
        `Token USDT at ${lookAlike} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. It calls itself USDT but is not the registry's USDT at ${usdt}. ${baseUnits} ${tail}`,
      ],
      [control]: [
        '1000000 AIRDROPscript',
        `Token AIRDROPscript at ${control} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. ${baseUnits} ${tail}`,
      ],
    })
    expect(holdings.every((holding) => holding.held?.code === 'unverified_token')).toBe(true)
  })

  it('lists what it found before when the logs request fails, logs why, and scans the same blocks on the next cycle', async () => {
    const wallet = freshWallet()
    const logger = createRecordingLogger()
    await mint(air, wallet, 10n ** 18n)
    const source = sourceFor(wallet, { logger })
    expect((await source.fetchHoldings()).map((holding) => holding.amount.toString())).toEqual(['1 AIR'])
    const cursor = await latest()
    await mint(bee, wallet, 2n * 10n ** 8n)
    proxy.logsDown = true
    proxy.ranges.length = 0
    try {
      expect((await source.fetchHoldings()).map((holding) => holding.amount.toString())).toEqual(['1 AIR'])
    } finally {
      proxy.logsDown = false
    }
    expect(proxy.ranges).toEqual([[cursor + 1n, await latest()]])
    const [warning] = logger.at('warn')
    expect(warning?.message).toBe(`Token discovery of wallet on local stopped: The local node did not answer the Transfer logs into ${wallet} in blocks ${cursor + 1n} to ${await latest()}.`)
    expect(warning?.fields.err).toMatchObject({ name: 'SourceError', details: 'HTTP request failed.' })
    expect(warning?.fields).toMatchObject({ strategy: 'usdt_test', chain: 'local', venue: 'wallet', ranges: 0, requests: 1, newTokens: 0 })
    proxy.ranges.length = 0
    expect((await source.fetchHoldings()).map((holding) => holding.amount.toString())).toEqual(['1 AIR', '2 BEE'])
    expect(proxy.ranges).toEqual([[cursor + 1n, await latest()]])

    // Without the latest block, nothing is scanned; what was found is still listed.
    await mint(air, wallet, 10n ** 18n)
    proxy.blockNumberDown = true
    proxy.ranges.length = 0
    try {
      expect((await source.fetchHoldings()).map((holding) => holding.amount.toString())).toEqual(['2 AIR', '2 BEE'])
    } finally {
      proxy.blockNumberDown = false
    }
    expect(proxy.ranges).toEqual([])
    expect(logger.at('warn').at(-1)?.message).toBe('Token discovery of wallet on local could not read the latest block; no logs are scanned this cycle')
  })

  it('leaves out transfers shaped as ERC-721 (token id indexed), and scans each range once when two cycles are asked at once', async () => {
    const wallet = freshWallet()
    const nft = getAddress(await evm.deploy(hostileToken, [encodeString('PUNK'), false, encodeWord(0n), false]))
    const hash = await evm.wallet.writeContract({ address: nft, abi: hostileToken.abi, functionName: 'emitNftTransfer', args: [wallet, 7n], chain: null, account: evm.wallet.account ?? evm.deployer })
    const nftBlock = (await evm.client.waitForTransactionReceipt({ hash })).blockNumber
    const airBlock = await mint(air, wallet, 9n)
    const store = createMemoryEventStore()
    const source = sourceFor(wallet, { store, fromBlock: nftBlock })
    proxy.ranges.length = 0
    const [first, second] = await Promise.all([source.fetchHoldings(), source.fetchHoldings()])
    expect(first?.map((holding) => holding.amount.toString())).toEqual(['0.000000000000000009 AIR'])
    expect(second?.map((holding) => holding.amount.toString())).toEqual(['0.000000000000000009 AIR'])
    expect(proxy.ranges).toEqual([[nftBlock, await latest()]])
    expect((await store.readTokenDiscovery({ strategyMode: 'usdt_test', chain: 'local', wallet })).tokens).toEqual([{ address: air.toLowerCase(), firstBlock: airBlock }])
  })

  it('lists what it found before when the store fails, moves no cursor, and scans the same blocks once the store answers', async () => {
    const wallet = freshWallet()
    const logger = createRecordingLogger()
    const memory = createMemoryEventStore()
    let failing: 'read' | 'record' | undefined
    const store: TokenDiscoveryStore = {
      readTokenDiscovery: (key) => (failing === 'read' ? Promise.reject(new Error('SQLITE_IOERR: disk I/O error')) : memory.readTokenDiscovery(key)),
      recordTokenDiscovery: (key, found) => (failing === 'record' ? Promise.reject(new Error('SQLITE_FULL: database or disk is full')) : memory.recordTokenDiscovery(key, found)),
    }
    const amounts = async () => (await source.fetchHoldings()).map((holding) => holding.amount.toString())
    await mint(air, wallet, 10n ** 18n)
    const source = sourceFor(wallet, { store, logger })
    expect(await amounts()).toEqual(['1 AIR'])
    const cursor = await latest()
    await mint(bee, wallet, 10n ** 8n)

    failing = 'record'
    // BEE is in the logs read, but a token is listed only once it is stored.
    expect(await amounts()).toEqual(['1 AIR'])
    failing = 'read'
    proxy.ranges.length = 0
    expect(await amounts()).toEqual(['1 AIR'])
    expect(proxy.ranges).toEqual([])
    expect(logger.at('warn').map((entry) => entry.message)).toEqual([
      `Token discovery of wallet on local stopped: The Transfer logs into ${wallet} in blocks ${cursor + 1n} to ${await latest()} were read but could not be recorded.`,
      'Token discovery of wallet on local could not read its cursor from the event store; no logs are scanned this cycle',
    ])
    expect((await memory.readTokenDiscovery({ strategyMode: 'usdt_test', chain: 'local', wallet })).scannedTo).toBe(cursor)

    failing = undefined
    expect(await amounts()).toEqual(['1 AIR', '1 BEE'])
    expect(proxy.ranges).toEqual([[cursor + 1n, await latest()]])
  })
})
