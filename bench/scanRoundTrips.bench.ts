/**
 * Benchmark: round trips of a wallet-balance scan cycle on a local Hardhat node, for 1, 10, 100
 * and 1,000 wallets × 10 tokens (the native coin and 9 ERC-20s).
 *
 * Every wallet's `fetchHoldings()` starts in the same tick and shares one chain's call batcher,
 * as the monitor loop does. Per size it prints the JSON-RPC HTTP requests and the `eth_call`s of
 * a cycle, the time of a cycle and the holdings found; the holdings are checked against what the
 * set-up gave each wallet, so a wrong or missing read fails the run (exit code 1). Times are a
 * measurement, not a test: nothing passes or fails on time.
 *
 * Each size is measured in a client process of its own, as a monitor is, so that its CPU and heap
 * are the scan's alone and not the set-up's. The bench prints where a cycle goes: the client's CPU
 * (`process.cpuUsage`, user and system, the median and the least of the cycles; the node is
 * another process), and the cycle's wall time split, with the
 * batcher's timing hook, into `encode` (aggregate3 calldata), `wait` (the HTTP round trip,
 * including the JSON-RPC batch's writing and parsing), `decode` (aggregate3 answers and balances)
 * and `own` (the rest: the balance sources, promises and holdings).
 *
 * Run with `npx tsx bench/scanRoundTrips.bench.ts`. `BENCH_SIZES` (comma-separated wallet counts)
 * and `BENCH_CYCLES` override the sizes and the measured cycles.
 */
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { type Abi, type Address, type Hex, createPublicClient, encodeFunctionData, getAddress, http, multicall3Abi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createEvmBalanceSource } from '../src/adapters/evm/createEvmBalanceSource.js'
import type { EvmCallBatcherTiming } from '../src/adapters/evm/createEvmCallBatcher.js'
import { createEvmChains } from '../src/adapters/evm/createEvmChains.js'
import { loadMulticall3Bytecode } from '../src/adapters/evm/loadMulticall3Bytecode.js'
import { createLocalDeployer } from '../src/adapters/localchain/createLocalDeployer.js'
import { loadContractArtifact } from '../src/adapters/localchain/loadContractArtifact.js'
import { artifacts } from '../src/adapters/localchain/npmArtifact.js'
import { type LocalChain, startLocalChain } from '../src/adapters/localchain/startLocalChain.js'
import type { Holding } from '../src/domain/dust/index.js'
import { type Currency, createCurrency } from '../src/domain/money/index.js'

const SIZES = (process.env.BENCH_SIZES ?? '1,10,100,1000').split(',').map(Number)
const CYCLES = Number(process.env.BENCH_CYCLES ?? 5)
const WALLETS = Math.max(...SIZES)
/** TestERC20s (`setBalance`, 18 decimals) and DemoTokens (`mint`, 6 decimals): 9 ERC-20s in all. */
const TEST_ERC20S = 5
const DEMO_TOKENS = 4
/** Signed set-up transactions sent per JSON-RPC batch. */
const SEND_BATCH = 250

/** Wallet `w` holds token `t` (0 is the native coin) when `(w + t) % 3 === 0`, about a third of the pairs. */
const holds = (wallet: number, token: number) => (wallet + token) % 3 === 0
/** The exact balance set up for a held pair, different for every pair so that a read mixed up between wallets or tokens is caught. */
const balanceSetUp = (wallet: number, token: number) => (token === 0 ? BigInt(wallet + 1) * 10n ** 15n : BigInt((wallet + 1) * 1_000 + token))
const walletAddress = (wallet: number) => getAddress(`0xd05700${wallet.toString(16).padStart(34, '0')}`)

type SizeResult = {
  wallets: number
  reads: number
  httpRequestsPerCycle: number[]
  ethCallsPerCycle: number[]
  medianMs: number
  minMs: number
  maxMs: number
  holdings: number
  /** Medians per cycle, in milliseconds. */
  cpuMs: number
  /** The least CPU of a cycle, in milliseconds. */
  minCpuMs: number
  encodeMs: number
  waitMs: number
  decodeMs: number
  ownMs: number
}

/** Splits a cycle's wall time into phases from the batcher's timings. */
function breakdown(timings: readonly EvmCallBatcherTiming[], wallMs: number): { encodeMs: number; waitMs: number; decodeMs: number; ownMs: number } {
  const sum = (phase: EvmCallBatcherTiming['phase']) => timings.filter((timing) => timing.phase === phase).reduce((total, timing) => total + timing.endMs - timing.startMs, 0)
  const encodeMs = sum('encode')
  const decodeMs = sum('decode')
  // The chunks' waits overlap (one HTTP request) and the later chunks' encoding or the earlier
  // ones' decoding runs inside them: wait is their union, less the encoding and decoding in it.
  const waits = timings.filter((timing) => timing.phase === 'wait').sort((a, b) => a.startMs - b.startMs)
  const union: [number, number][] = []
  for (const { startMs, endMs } of waits) {
    const last = union.at(-1)
    if (last !== undefined && startMs <= last[1]) last[1] = Math.max(last[1], endMs)
    else union.push([startMs, endMs])
  }
  let waitMs = union.reduce((total, [start, end]) => total + end - start, 0)
  for (const timing of timings) {
    if (timing.phase === 'wait') continue
    for (const [start, end] of union) waitMs -= Math.max(0, Math.min(end, timing.endMs) - Math.max(start, timing.startMs))
  }
  return { encodeMs, waitMs, decodeMs, ownMs: wallMs - encodeMs - waitMs - decodeMs }
}

/** The middle value (the upper one of an even count). */
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

async function setUp(chain: LocalChain): Promise<{ multicall: Address; tokens: Currency[] }> {
  const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as Hex })
  const multicall = await deployer.deploy({ abi: multicall3Abi as Abi, bytecode: loadMulticall3Bytecode() })
  const testErc20 = artifacts.testErc20()
  const demoToken = loadContractArtifact('DemoToken')
  const tokens: Currency[] = [createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' })]
  const transactions: { to: Address; data: Hex | undefined; value: bigint; gas: bigint }[] = []
  for (let index = 0; index < TEST_ERC20S + DEMO_TOKENS; index += 1) {
    const symbol = `TKN${index + 1}`
    const mintable = index >= TEST_ERC20S
    const address = mintable ? await deployer.deploy(demoToken, [symbol, symbol, 6]) : await deployer.deploy(testErc20, [symbol, symbol, 0n])
    tokens.push(createCurrency({ symbol, decimals: mintable ? 6 : 18, chain: 'local', address }))
  }
  for (let wallet = 0; wallet < WALLETS; wallet += 1) {
    for (const [token, currency] of tokens.entries()) {
      if (!holds(wallet, token)) continue
      const to = walletAddress(wallet)
      const amount = balanceSetUp(wallet, token)
      if (currency.address === undefined) transactions.push({ to, data: undefined, value: amount, gas: 21_000n })
      else if (currency.decimals === 6)
        transactions.push({ to: currency.address, data: encodeFunctionData({ abi: demoToken.abi, functionName: 'mint', args: [to, amount] }), value: 0n, gas: 200_000n })
      else transactions.push({ to: currency.address, data: encodeFunctionData({ abi: testErc20.abi, functionName: 'setBalance', args: [to, amount] }), value: 0n, gas: 200_000n })
    }
  }
  // Signed here with explicit nonces, gas and fees, and sent in JSON-RPC batches: no estimate,
  // no nonce look-up and no receipt wait per transaction. Hardhat answers a batch's requests
  // concurrently and refuses a nonce gap while automining, so mining is paused while they are
  // sent and blocks are mined by hand until the pool is empty.
  const account = privateKeyToAccount(chain.accounts[0] as Hex)
  const firstNonce = await deployer.client.getTransactionCount({ address: account.address, blockTag: 'pending' })
  const signed = await Promise.all(
    transactions.map((call, index) =>
      account.signTransaction({
        type: 'eip1559',
        chainId: chain.chainId,
        nonce: firstNonce + index,
        to: call.to,
        value: call.value,
        gas: call.gas,
        maxFeePerGas: 10_000_000_000n,
        maxPriorityFeePerGas: 1_000_000n,
        ...(call.data === undefined ? {} : { data: call.data }),
      }),
    ),
  )
  const node = createPublicClient({ transport: http(chain.rpcUrl, { batch: { batchSize: SEND_BATCH }, retryCount: 0, timeout: 120_000 }) })
  const rpc = (method: string, params: unknown[] = []) => node.request({ method, params } as never) as Promise<unknown>
  await rpc('evm_setAutomine', [false])
  for (let start = 0; start < signed.length; start += SEND_BATCH) {
    await Promise.all(signed.slice(start, start + SEND_BATCH).map((serializedTransaction) => node.sendRawTransaction({ serializedTransaction })))
  }
  const expectedNonce = firstNonce + transactions.length
  let nonce = await node.getTransactionCount({ address: account.address })
  for (let blocks = 0; nonce < expectedNonce; blocks += 1) {
    if (blocks > transactions.length) throw new Error(`Expected ${transactions.length} set-up transactions mined (nonce ${expectedNonce}), found nonce ${nonce}.`)
    await rpc('evm_mine')
    nonce = await node.getTransactionCount({ address: account.address })
  }
  await rpc('evm_setAutomine', [true])
  return { multicall, tokens }
}

/** Checks that the holdings of `wallet` are exactly the balances set up, in token order; throws otherwise. */
function checkHoldings(wallet: number, tokens: readonly Currency[], holdings: readonly Holding[]): void {
  const expected = tokens.flatMap((currency, token) => (holds(wallet, token) ? [`${currency.symbol}=${balanceSetUp(wallet, token)}`] : []))
  const found = holdings.map((holding) => `${holding.amount.currency.symbol}=${holding.amount.raw}`)
  if (found.join(',') !== expected.join(',')) {
    throw new Error(`Wallet ${wallet} (${walletAddress(wallet)}) should hold [${expected.join(', ')}], found [${found.join(', ')}].`)
  }
}

async function measure(chain: Pick<LocalChain, 'rpcUrl' | 'chainId'>, multicall: Address, tokens: readonly Currency[], wallets: number): Promise<SizeResult> {
  // A fresh registry per size: each size has its own client, batcher and counters. Hardhat's
  // node spends about a millisecond on each Multicall3 sub-call, so the one request of 10,000
  // reads takes several seconds there: the default 10 s timeout is raised for it.
  // The chain as the monitor gets it (its batcher, poster and request counter), telling its timings.
  let timings: EvmCallBatcherTiming[] = []
  const evmChain = createEvmChains({ timeoutMs: 120_000, onTiming: (timing) => timings.push(timing) }).get('local', {
    rpc_url: chain.rpcUrl,
    chain_id: chain.chainId,
    multicall_address: multicall,
  })
  const batcher = evmChain.batcher
  const sources = Array.from({ length: wallets }, (_, wallet) => createEvmBalanceSource({ name: `wallet${wallet}`, owner: walletAddress(wallet), tokens, batcher }))
  const cpu: number[] = []
  const phases: ReturnType<typeof breakdown>[] = []
  const httpRequestsPerCycle: number[] = []
  const ethCallsPerCycle: number[] = []
  const times: number[] = []
  let holdings = 0
  for (let cycle = 0; cycle <= CYCLES; cycle += 1) {
    const requestsBefore = evmChain.requests()
    const callsBefore = batcher.calls()
    timings = []
    const cpuBefore = process.cpuUsage()
    const start = performance.now()
    const results = await Promise.all(sources.map((source) => source.fetchHoldings()))
    const elapsed = performance.now() - start
    const cpuUsed = process.cpuUsage(cpuBefore)
    for (const [wallet, found] of results.entries()) checkHoldings(wallet, tokens, found)
    holdings = results.reduce((sum, found) => sum + found.length, 0)
    // Cycle 0 is the warm-up (connection set-up, JIT): checked, not timed.
    if (cycle === 0) continue
    times.push(elapsed)
    cpu.push((cpuUsed.user + cpuUsed.system) / 1_000)
    phases.push(breakdown(timings, elapsed))
    httpRequestsPerCycle.push(evmChain.requests() - requestsBefore)
    ethCallsPerCycle.push(batcher.calls() - callsBefore)
  }
  let expected = 0
  for (let wallet = 0; wallet < wallets; wallet += 1) expected += tokens.filter((_, token) => holds(wallet, token)).length
  if (holdings !== expected) throw new Error(`${wallets} wallets should have ${expected} holdings, found ${holdings}.`)
  times.sort((a, b) => a - b)
  return {
    wallets,
    reads: wallets * tokens.length,
    httpRequestsPerCycle,
    ethCallsPerCycle,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    minMs: times[0] ?? 0,
    maxMs: times.at(-1) ?? 0,
    holdings,
    cpuMs: median(cpu),
    minCpuMs: Math.min(...cpu),
    encodeMs: median(phases.map((phase) => phase.encodeMs)),
    waitMs: median(phases.map((phase) => phase.waitMs)),
    decodeMs: median(phases.map((phase) => phase.decodeMs)),
    ownMs: median(phases.map((phase) => phase.ownMs)),
  }
}

/** Prints one figure when every cycle gave the same one, else the range. */
const perCycle = (values: readonly number[]) => {
  const low = Math.min(...values)
  const high = Math.max(...values)
  return low === high ? String(low) : `${low}–${high}`
}

/** What the parent gives the client process of one size, in `BENCH_CLIENT`. */
type ClientInput = { rpcUrl: string; chainId: number; multicall: Address; tokens: { symbol: string; decimals: number; address?: Address | undefined }[]; wallets: number }

/**
 * Measures one size in a process of its own, as a monitor is: its CPU and heap are the scan's
 * alone, not the set-up's (3,000 signed transactions, the deployer's client).
 */
async function measureInClient(input: ClientInput): Promise<SizeResult> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_CLIENT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`The client process of ${input.wallets} wallets exited with code ${code}.`)
  return JSON.parse(output) as SizeResult
}

const clientInput = process.env.BENCH_CLIENT
if (clientInput !== undefined) {
  const input = JSON.parse(clientInput) as ClientInput
  const tokens = input.tokens.map((token) => createCurrency({ ...token, chain: 'local' }))
  process.stdout.write(JSON.stringify(await measure(input, input.multicall, tokens, input.wallets)))
} else await main()

async function main(): Promise<void> {
  const chain = await startLocalChain()
  try {
    const setUpStart = performance.now()
    const { multicall, tokens } = await setUp(chain)
    const setUpMs = performance.now() - setUpStart
    const results: SizeResult[] = []
    const tokenList = tokens.map(({ symbol, decimals, address }) => ({ symbol, decimals, address }))
    for (const wallets of SIZES) results.push(await measureInClient({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, multicall, tokens: tokenList, wallets }))

    const ms = (value: number) => value.toFixed(1) // float-ok: timing display
    const header = [
      'wallets × tokens',
      'reads',
      'HTTP requests/cycle',
      'eth_calls/cycle',
      'median ms',
      'min ms',
      'max ms',
      'holdings',
      'CPU ms',
      'min CPU ms',
      'encode ms',
      'wait ms',
      'decode ms',
      'own ms',
    ]
    const rows = results.map((result) => [
      `${result.wallets} × ${tokens.length}`,
      String(result.reads),
      perCycle(result.httpRequestsPerCycle),
      perCycle(result.ethCallsPerCycle),
      ms(result.medianMs),
      ms(result.minMs),
      ms(result.maxMs),
      String(result.holdings),
      ms(result.cpuMs),
      ms(result.minCpuMs),
      ms(result.encodeMs),
      ms(result.waitMs),
      ms(result.decodeMs),
      ms(result.ownMs),
    ])
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
    const format = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')
    console.log(`set-up: ${tokens.length - 1} ERC-20s deployed, balances for ${WALLETS} wallets in ${ms(setUpMs)} ms; ${CYCLES} cycles per size after a warm-up`)
    console.log('CPU ms: this process (user + system) per cycle; encode, wait, decode and own: the median cycle split by phase (wall ms)')
    console.log(format(header))
    console.log(widths.map((width) => '-'.repeat(width)).join('  '))
    for (const row of rows) console.log(format(row))
    console.log(
      JSON.stringify({
        bench: 'scanRoundTrips',
        cycles: CYCLES,
        tokens: tokens.length,
        sizes: results.map((result) => ({
          wallets: result.wallets,
          reads: result.reads,
          httpRequestsPerCycle: Math.max(...result.httpRequestsPerCycle),
          ethCallsPerCycle: Math.max(...result.ethCallsPerCycle),
          medianMs: Number(ms(result.medianMs)),
          minMs: Number(ms(result.minMs)),
          maxMs: Number(ms(result.maxMs)),
          holdings: result.holdings,
          cpuMs: Number(ms(result.cpuMs)),
          encodeMs: Number(ms(result.encodeMs)),
          waitMs: Number(ms(result.waitMs)),
          decodeMs: Number(ms(result.decodeMs)),
          ownMs: Number(ms(result.ownMs)),
          minCpuMs: Number(ms(result.minCpuMs)),
        })),
      }),
    )
  } catch (error) {
    process.exitCode = 1
    // viem's errors carry the whole request (megabytes of calldata at 1,000 wallets): print the gist.
    const { name, shortMessage, details, message } = error as { name?: string; shortMessage?: string; details?: string; message?: string }
    console.error(`${name ?? 'Error'}: ${shortMessage ?? message ?? String(error)}${details === undefined ? '' : `\n  ${details.slice(0, 500)}`}`)
  } finally {
    await chain.stop()
  }
}
