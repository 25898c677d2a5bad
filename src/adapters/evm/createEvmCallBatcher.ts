import {
  type Abi,
  type Address,
  type ContractFunctionName,
  type DecodeFunctionResultReturnType,
  type EncodeFunctionDataParameters,
  type Hex,
  type PublicClient,
  decodeFunctionResult,
  encodeFunctionData,
  multicall3Abi,
} from 'viem'
import { BaseError, SourceError, shortMessageOf } from '../../errors/index.js'
import type { EthCallOutcome, EthCallPoster } from './createEthCallPoster.js'
import { decodeAggregate3Result } from './decodeAggregate3Result.js'
import { decodeUint256 } from './decodeUint256.js'
import { encodeAggregate3 } from './encodeAggregate3.js'
import { encodeAggregate3Tuple } from './encodeAggregate3Tuple.js'

/**
 * One contract read to batch: an `as const` ABI, one of its functions and that function's
 * arguments, which viem types from the ABI (as in `readContract`).
 */
export type EvmCall<abi extends Abi = Abi, functionName extends ContractFunctionName<abi> | undefined = ContractFunctionName<abi>> = EncodeFunctionDataParameters<abi, functionName> & {
  readonly address: Address
  /**
   * Most gas the read may use, with headroom (default `DEFAULT_READ_GAS`, 20,000, enough for a
   * balance or a storage read). Give it for costly reads, such as a QuoterV2 quote (about 110,000
   * gas a hop), so that a chunk of them stays within `maxGasPerMulticall`.
   */
  readonly gas?: bigint | undefined
}

/**
 * A read whose calldata is already encoded and whose answer is one `uint256` (a balance): built
 * once per wallet and token, it costs the batcher neither encoding nor viem's decoder.
 */
export type EvmUint256Read = {
  readonly address: Address
  /** The calldata, such as `encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [owner] })`. */
  readonly data: Hex
  /** Names the read in errors, such as `balanceOf on 0x…` (the token). */
  readonly label: string
  /** As `EvmCall`'s `gas`. */
  readonly gas?: bigint | undefined
}

/**
 * One phase of a flush, timed with `performance.now()` (milliseconds): `encode` builds a chunk's
 * `aggregate3` calldata, `wait` is its `eth_call` until the answer is parsed, `decode` decodes the
 * answer and hands every read its value.
 */
export type EvmCallBatcherTiming = { readonly phase: 'encode' | 'wait' | 'decode'; readonly startMs: number; readonly endMs: number; readonly reads: number }

export type CreateEvmCallBatcherParameters = {
  /** Chain name from the config, for messages. */
  chain: string
  /**
   * The chain's client. Its transport should batch JSON-RPC (`http(url, { batch: true })`, as
   * `createEvmChains` makes it) so that the Multicall3 chunks of one flush share one HTTP request;
   * without it each chunk is a request of its own.
   */
  client: PublicClient
  /**
   * Sends the `eth_call`s of a flush in one HTTP request (as `createEvmChains` gives it, built by
   * `createEthCallPoster` on the chain's URL). Without it each chunk is a `client.call`.
   */
  post?: EthCallPoster | undefined
  /** Multicall3 on this chain (canonically 0xcA11bde05977b3631167028862bE2a173976CA11). */
  multicallAddress: Address
  /**
   * Most reads in one `aggregate3` call (default `DEFAULT_MAX_CALLS_PER_MULTICALL`, 500). Bounds
   * the calldata and the answer of each `eth_call` (about 112 kB and 160 kB for 500 balance reads).
   */
  maxCallsPerMulticall?: number | undefined
  /**
   * Most gas of the reads in one `aggregate3` call, as the sum of their `gas` (default
   * `DEFAULT_MAX_GAS_PER_MULTICALL`, 10,000,000). Nodes refuse or run out of gas in an `eth_call`
   * above 16,777,216 gas (EIP-7825's per-transaction cap, which Hardhat applies to calls) or above
   * their RPC gas cap (geth: 50,000,000); an out-of-gas read inside Multicall3 would look like a revert.
   */
  maxGasPerMulticall?: bigint | undefined
  /**
   * Told the time of every phase of every chunk, for benchmarks. Without it the batcher reads no
   * clock. Chunks of one flush overlap in `wait`: they share one HTTP request.
   */
  onTiming?: ((timing: EvmCallBatcherTiming) => void) | undefined
}

/**
 * Batches contract reads of one chain: every read asked for in the same tick goes out in one round
 * trip, as `eth_call`s of at most `maxCallsPerMulticall` reads and `maxGasPerMulticall` gas each.
 */
export type EvmCallBatcher = {
  readonly chain: string
  readonly multicallAddress: Address
  /**
   * Reads one value; resolves with the decoded result, rejects with a `SourceError` when the call
   * reverts or the node fails, and with one of code `multicall_missing` when no Multicall3 is at
   * `multicallAddress` (the message says so, and which key to set).
   */
  read<const abi extends Abi, functionName extends ContractFunctionName<abi> | undefined = undefined>(call: EvmCall<abi, functionName>): Promise<DecodeFunctionResultReturnType<abi, functionName>>
  /**
   * Reads one `uint256` with calldata encoded beforehand; rejects as `read` does. Give the same
   * object at every cycle: its `aggregate3` tuple is encoded at its first read and kept with it.
   */
  readUint256(call: EvmUint256Read): Promise<bigint>
  /**
   * Reads several `uint256`s as `readUint256` does, in one promise: it resolves with every value in
   * order, or rejects with the error of the first read (in order) that failed, once all are
   * answered. A wallet's balances cost one promise, not one per token.
   */
  readUint256s(calls: readonly EvmUint256Read[]): Promise<bigint[]>
  /** Reads a native balance (through Multicall3's `getEthBalance`, in the same batch). */
  nativeBalance(owner: Address): Promise<bigint>
  /** How many `eth_call`s this batcher made (one per Multicall3 chunk). */
  readonly calls: () => number
}

/** Where the answers of a promise's reads go: one sink per `read`, and one per `readUint256s` call. */
type Sink = {
  /** Decodes read `index`'s return data and keeps its value; throws, keeping nothing, when it does not decode. */
  accept(index: number, returnData: Hex): void
  /** Records that read `index` failed. */
  fail(index: number, error: unknown): void
}

/** A queued read: its call encoded as an `aggregate3` tuple, and its sink and place in it. */
type Pending = { readonly label: string; readonly gas: bigint | undefined; readonly tuple: string; readonly sink: Sink; readonly index: number }

/** The sink of one read: its promise settles with its value or its failure. */
function sinkOfOne<value>(decode: (returnData: Hex) => value, resolve: (value: value) => void, reject: (error: unknown) => void): Sink {
  return {
    accept: (_index, returnData) => resolve(decode(returnData)),
    fail: (_index, error) => reject(error),
  }
}

/**
 * The sink of `count` reads settled as one promise: with every value, in read order, or with the
 * failure of the first read (in read order) that failed, once the last read is answered.
 */
function sinkOfMany<value>(count: number, decode: (returnData: Hex) => value, resolve: (values: value[]) => void, reject: (error: unknown) => void): Sink {
  const values: value[] = new Array(count)
  let remaining = count
  let failedAt = count
  let failure: unknown
  const answered = () => {
    remaining -= 1
    if (remaining > 0) return
    if (failedAt < count) reject(failure)
    else resolve(values)
  }
  return {
    accept(index, returnData) {
      values[index] = decode(returnData)
      answered()
    },
    fail(index, error) {
      if (index < failedAt) {
        failedAt = index
        failure = error
      }
      answered()
    },
  }
}

/** Reads per `aggregate3` call when `maxCallsPerMulticall` is not given. */
export const DEFAULT_MAX_CALLS_PER_MULTICALL = 500
/** Gas of the reads of one `aggregate3` call when `maxGasPerMulticall` is not given. */
export const DEFAULT_MAX_GAS_PER_MULTICALL = 10_000_000n
/**
 * Gas counted for a read that does not give its own: a balance read through Multicall3 measures
 * about 6,300 gas, so 500 plain reads (20,000 each) fill exactly one default chunk.
 */
export const DEFAULT_READ_GAS = 20_000n

/**
 * Creates a call batcher for one chain.
 *
 * Reads queued in the same macrotask are flushed together: split, in order, into Multicall3
 * `aggregate3` calls of at most `maxCallsPerMulticall` reads and `maxGasPerMulticall` gas, all
 * sent in the same tick so that a batching transport puts them in one JSON-RPC batch. A cycle
 * that scans any number of strategies, wallets and tokens thus makes one round trip per chain,
 * while no single `eth_call` outgrows the node's gas cap. A chunk that the node refuses fails
 * only its own reads.
 */
export function createEvmCallBatcher(parameters: CreateEvmCallBatcherParameters): EvmCallBatcher {
  const { client, multicallAddress, chain, post } = parameters
  const maxCallsPerMulticall = parameters.maxCallsPerMulticall ?? DEFAULT_MAX_CALLS_PER_MULTICALL
  const maxGasPerMulticall = parameters.maxGasPerMulticall ?? DEFAULT_MAX_GAS_PER_MULTICALL
  const onTiming = parameters.onTiming
  if (!Number.isSafeInteger(maxCallsPerMulticall) || maxCallsPerMulticall < 1) {
    throw new BaseError(`maxCallsPerMulticall must be a whole number of 1 or more, was ${maxCallsPerMulticall}.`, { code: 'invalid_parameter' })
  }
  if (maxGasPerMulticall < 1n) {
    throw new BaseError(`maxGasPerMulticall must be 1 or more, was ${maxGasPerMulticall}.`, { code: 'invalid_parameter' })
  }
  let queue: Pending[] = []
  // The aggregate3 tuple of each prepared read, encoded at its first cycle: a balance source reads
  // the same wallets and tokens at every cycle. Weak, so a read nobody holds any more is dropped.
  const tuples = new WeakMap<EvmUint256Read, string>()
  // The calldata of each chunk of the last flush, by position: a cycle that reads what the last
  // one read, in the same order, sends the same chunks, and their calldata is not built again.
  let lastChunks: { tuples: readonly string[]; data: Hex }[] = []
  let nextChunks: { tuples: readonly string[]; data: Hex }[] = []
  let scheduled = false
  let calls = 0

  function flush(): void {
    const batch = queue
    queue = []
    scheduled = false
    // Asked at most once per flush, and only when a chunk came back empty.
    let diagnosis: Promise<SourceError> | undefined
    const diagnose = () => (diagnosis ??= notMulticall())
    // Every chunk is sent before any is awaited: the transport's batch scheduler collects
    // requests until the next timer tick, so they leave in one HTTP request.
    nextChunks = []
    const chunks = chunksOf(batch)
    if (post === undefined) {
      for (const [position, chunk] of chunks.entries()) {
        const { data, encodedAt } = encode(chunk, position)
        void settle(chunk, encodedAt, data, (calldata) => client.call({ to: multicallAddress, data: calldata }).then((answer) => answer.data), diagnose)
      }
    } else {
      // All chunks in one JSON-RPC batch: encoded first, then posted once; each chunk settles on its own answer.
      const encoded = chunks.map((chunk, position) => ({ chunk, ...encode(chunk, position) }))
      let answers: Promise<readonly EthCallOutcome[]> | undefined
      const answerOf = (position: number) => async (): Promise<Hex | undefined> => {
        answers ??= post(encoded.map(({ data }) => ({ to: multicallAddress, data })))
        const outcome = (await answers)[position]
        if (outcome === undefined || !outcome.ok) throw new BaseError(`The node refused the eth_call: ${outcome === undefined ? 'no answer' : outcome.error}.`, { code: 'source_failed' })
        return outcome.data
      }
      for (const [position, { chunk, encodedAt, data }] of encoded.entries()) void settle(chunk, encodedAt, data, answerOf(position), diagnose)
    }
    lastChunks = nextChunks
  }

  /**
   * A chunk's `aggregate3` calldata, encoded by the project's own codec (checked against viem's on
   * random inputs: viem's general ABI coder spent most of a 10,000-read cycle's CPU here), and when
   * its encoding ended, told to the timing hook when there is one.
   */
  function encode(chunk: readonly Pending[], position: number): { data: Hex; encodedAt: number } {
    if (onTiming === undefined) return { data: calldataOf(chunk, position), encodedAt: 0 }
    const startMs = performance.now()
    const data = calldataOf(chunk, position)
    const endMs = performance.now()
    onTiming({ phase: 'encode', startMs, endMs, reads: chunk.length })
    return { data, encodedAt: endMs }
  }

  /** The `aggregate3` calldata of a chunk: the last flush's at this position when its tuples are the same, else newly assembled. */
  function calldataOf(chunk: readonly Pending[], position: number): Hex {
    const last = lastChunks[position]
    let same = last !== undefined && last.tuples.length === chunk.length
    for (let index = 0; same && last !== undefined && index < chunk.length; index += 1) same = last.tuples[index] === chunk[index]?.tuple
    if (same && last !== undefined) {
      nextChunks[position] = last
      return last.data
    }
    const tuples = chunk.map((pending) => pending.tuple)
    const built = { tuples, data: encodeAggregate3(tuples) }
    nextChunks[position] = built
    return built.data
  }

  /**
   * Words the error of a Multicall3 address that answered `aggregate3` with no data: nothing is
   * deployed there (`eth_getCode` is empty), or a contract that is not Multicall3 is.
   */
  async function notMulticall(): Promise<SourceError> {
    const [code, chainId] = await Promise.all([client.getCode({ address: multicallAddress }).catch(() => undefined), client.chain?.id ?? client.getChainId().catch(() => undefined)])
    const where = `${multicallAddress} on ${chain}${chainId === undefined ? '' : ` (chain id ${chainId})`}`
    const fix = `set chains.${chain}.multicall_address to the address of Multicall3 on this chain.`
    const message =
      code === undefined || code === '0x'
        ? `No Multicall3 at ${where}: no contract is deployed there; ${fix}`
        : `The contract at ${where} answered aggregate3 with no data: it is not Multicall3; ${fix}`
    return new SourceError(chain, message, { code: 'multicall_missing' })
  }

  /** Cuts the queue, in order, into chunks within both bounds; a read above the gas bound goes alone. */
  function chunksOf(batch: readonly Pending[]): Pending[][] {
    const chunks: Pending[][] = []
    let chunk: Pending[] = []
    let gas = 0n
    for (const pending of batch) {
      const needs = pending.gas ?? DEFAULT_READ_GAS
      if (chunk.length > 0 && (chunk.length >= maxCallsPerMulticall || gas + needs > maxGasPerMulticall)) {
        chunks.push(chunk)
        chunk = []
        gas = 0n
      }
      chunk.push(pending)
      gas += needs
    }
    if (chunk.length > 0) chunks.push(chunk)
    return chunks
  }

  /**
   * Settles the reads of a chunk: `ask` sends its calldata and gives the answer's data; `encodedAt`
   * is when its encoding ended (for the timing hook).
   */
  async function settle(chunk: readonly Pending[], encodedAt: number, data: Hex, ask: (data: Hex) => Promise<Hex | undefined>, diagnose: () => Promise<SourceError>): Promise<void> {
    calls += 1
    let at = encodedAt
    /** Tells the timing hook that `phase` ended now, when there is a hook. */
    const timed = (phase: EvmCallBatcherTiming['phase']) => {
      if (onTiming === undefined) return
      const now = performance.now()
      onTiming({ phase, startMs: at, endMs: now, reads: chunk.length })
      at = now
    }
    let results: { success: boolean; returnData: Hex }[]
    try {
      const answer = await ask(data)
      timed('wait')
      // An empty answer from aggregate3 is no node failure: the address holds no Multicall3.
      if (answer === undefined || answer === '0x') {
        const error = await diagnose()
        for (const pending of chunk) pending.sink.fail(pending.index, error)
        return
      }
      results = decodeAggregate3Result(answer)
      if (results.length !== chunk.length) {
        throw new BaseError(`The aggregate3 answer is malformed: expected ${chunk.length} result(s), one per call, found ${results.length}.`, { code: 'source_failed' })
      }
    } catch (cause) {
      const error = new SourceError(chain, `The ${chain} node did not answer the batched read of ${chunk.length} call(s).`, {
        cause,
        details: shortMessageOf(cause),
      })
      for (const pending of chunk) pending.sink.fail(pending.index, error)
      return
    }
    // As many results as reads: checked above.
    for (const [index, result] of results.entries()) {
      const pending = chunk[index]
      if (pending === undefined) break
      if (!result.success) {
        pending.sink.fail(pending.index, new SourceError(chain, `${pending.label} reverted on ${chain}.`))
        continue
      }
      try {
        pending.sink.accept(pending.index, result.returnData)
      } catch (cause) {
        pending.sink.fail(pending.index, new SourceError(chain, `${pending.label} answered data that does not decode.`, { cause }))
      }
    }
    timed('decode')
  }

  /** Encodes a read's aggregate3 tuple; a target that is not an address or calldata that is not hex fails that read alone. */
  function tupleOf(label: string, address: Address, data: Hex): string | SourceError {
    try {
      return encodeAggregate3Tuple({ target: address, allowFailure: true, callData: data })
    } catch (cause) {
      return new SourceError(chain, `${label} cannot be sent: ${cause instanceof BaseError ? cause.shortMessage : String(cause)}`, { cause })
    }
  }

  /** Queues reads for the next flush into `sink`, at their index; a read whose tuple could not be encoded fails at once. */
  function enqueue(sink: Sink, reads: readonly { readonly label: string; readonly gas: bigint | undefined; readonly tuple: string | SourceError }[]): void {
    for (const [index, { label, gas, tuple }] of reads.entries()) {
      if (tuple instanceof SourceError) sink.fail(index, tuple)
      else queue.push({ label, gas, tuple, sink, index })
    }
    if (!scheduled && queue.length > 0) {
      scheduled = true
      setImmediate(flush)
    }
  }

  /** Queues one read; its promise settles with its decoded value, or its failure. */
  function one<value>(label: string, gas: bigint | undefined, tuple: string | SourceError, decode: (returnData: Hex) => value): Promise<value> {
    return new Promise<value>((resolve, reject) => enqueue(sinkOfOne(decode, resolve, reject), [{ label, gas, tuple }]))
  }

  /** The aggregate3 tuple of a prepared read, encoded at its first read and kept with it. */
  function preparedTuple(call: EvmUint256Read): string | SourceError {
    const kept = tuples.get(call)
    if (kept !== undefined) return kept
    const encoded = tupleOf(call.label, call.address, call.data)
    if (typeof encoded === 'string') tuples.set(call, encoded)
    return encoded
  }

  function read<const abi extends Abi, functionName extends ContractFunctionName<abi> | undefined = undefined>(
    call: EvmCall<abi, functionName>,
  ): Promise<DecodeFunctionResultReturnType<abi, functionName>> {
    const started = onTiming === undefined ? 0 : performance.now()
    const data = encodeFunctionData<abi, functionName>(call)
    if (onTiming !== undefined) onTiming({ phase: 'encode', startMs: started, endMs: performance.now(), reads: 1 })
    const abi: Abi = call.abi
    const label = `${call.functionName ?? 'the function'} on ${call.address}`
    // Decoded with the ABI and function that encoded the call, so the value has the type viem
    // infers for them; viem's conditional types cannot follow the generic through the decoding.
    const decode = (returnData: Hex) => decodeFunctionResult({ abi, functionName: call.functionName, data: returnData }) as DecodeFunctionResultReturnType<abi, functionName>
    return one(label, call.gas, tupleOf(label, call.address, data), decode)
  }

  return {
    chain,
    multicallAddress,
    read,
    readUint256(call) {
      return one(call.label, call.gas, preparedTuple(call), decodeUint256)
    },
    readUint256s(calls) {
      if (calls.length === 0) return Promise.resolve([])
      return new Promise<bigint[]>((resolve, reject) =>
        enqueue(
          sinkOfMany(calls.length, decodeUint256, resolve, reject),
          calls.map((call) => ({ label: call.label, gas: call.gas, tuple: preparedTuple(call) })),
        ),
      )
    },
    nativeBalance(owner) {
      const label = `getEthBalance on ${multicallAddress}`
      return one(label, undefined, tupleOf(label, multicallAddress, encodeFunctionData({ abi: multicall3Abi, functionName: 'getEthBalance', args: [owner] })), decodeUint256)
    },
    calls: () => calls,
  }
}
