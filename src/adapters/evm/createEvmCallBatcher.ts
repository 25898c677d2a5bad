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
import { BaseError, SourceError } from '../../errors/index.js'
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
  /** Reads a native balance (through Multicall3's `getEthBalance`, in the same batch). */
  nativeBalance(owner: Address): Promise<bigint>
  /** How many `eth_call`s this batcher made (one per Multicall3 chunk). */
  readonly calls: () => number
}

/** A queued read: its call encoded as an `aggregate3` tuple, how to decode its answer, and the settling of its promise. */
type Pending = {
  label: string
  gas: bigint | undefined
  tuple: string
  decode(returnData: Hex): unknown
  resolve(value: unknown): void
  reject(error: unknown): void
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
  const { client, multicallAddress, chain } = parameters
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
    for (const [position, chunk] of chunksOf(batch).entries()) void send(chunk, position, diagnose)
    lastChunks = nextChunks
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

  async function send(chunk: readonly Pending[], position: number, diagnose: () => Promise<SourceError>): Promise<void> {
    calls += 1
    let mark = onTiming === undefined ? 0 : performance.now()
    /** Tells the timing hook that `phase` ended now, when there is a hook. */
    const timed = (phase: EvmCallBatcherTiming['phase']) => {
      if (onTiming === undefined) return
      const now = performance.now()
      onTiming({ phase, startMs: mark, endMs: now, reads: chunk.length })
      mark = now
    }
    let results: { success: boolean; returnData: Hex }[]
    try {
      // Encoded and decoded by the project's own aggregate3 codec (checked against viem's on random
      // inputs): viem's general ABI coder spent most of a 10,000-read cycle's CPU here.
      const data = calldataOf(chunk, position)
      timed('encode')
      const answer = await client.call({ to: multicallAddress, data })
      timed('wait')
      // An empty answer from aggregate3 is no node failure: the address holds no Multicall3.
      if (answer.data === undefined || answer.data === '0x') {
        const error = await diagnose()
        for (const pending of chunk) pending.reject(error)
        return
      }
      results = decodeAggregate3Result(answer.data)
      if (results.length !== chunk.length) {
        throw new BaseError(`The aggregate3 answer is malformed: expected ${chunk.length} result(s), one per call, found ${results.length}.`, { code: 'source_failed' })
      }
    } catch (cause) {
      const error = new SourceError(chain, `The ${chain} node did not answer the batched read of ${chunk.length} call(s).`, {
        cause,
        details: cause instanceof Error ? ('shortMessage' in cause && typeof cause.shortMessage === 'string' ? cause.shortMessage : cause.message) : String(cause),
      })
      for (const pending of chunk) pending.reject(error)
      return
    }
    for (let index = 0; index < chunk.length; index += 1) {
      const pending = chunk[index] as Pending
      const result = results[index] as { success: boolean; returnData: Hex }
      if (!result.success) {
        pending.reject(new SourceError(chain, `${pending.label} reverted on ${chain}.`))
        continue
      }
      let value: unknown
      try {
        value = pending.decode(result.returnData)
      } catch (cause) {
        pending.reject(new SourceError(chain, `${pending.label} answered data that does not decode.`, { cause }))
        continue
      }
      pending.resolve(value)
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

  /** Queues a read for the next flush. */
  function enqueue<value>(label: string, gas: bigint | undefined, tuple: string | SourceError, decode: (returnData: Hex) => unknown): Promise<value> {
    return new Promise<value>((resolve, reject) => {
      if (tuple instanceof SourceError) {
        reject(tuple)
        return
      }
      queue.push({ label, gas, tuple, decode, resolve: resolve as (value: unknown) => void, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })
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
    const decode = (returnData: Hex) => decodeFunctionResult({ abi, functionName: call.functionName, data: returnData })
    return enqueue<DecodeFunctionResultReturnType<abi, functionName>>(label, call.gas, tupleOf(label, call.address, data), decode)
  }

  return {
    chain,
    multicallAddress,
    read,
    readUint256(call) {
      let tuple = tuples.get(call)
      if (tuple === undefined) {
        const encoded = tupleOf(call.label, call.address, call.data)
        if (encoded instanceof SourceError) return enqueue<bigint>(call.label, call.gas, encoded, decodeUint256)
        tuple = encoded
        tuples.set(call, tuple)
      }
      return enqueue<bigint>(call.label, call.gas, tuple, decodeUint256)
    },
    nativeBalance(owner) {
      const label = `getEthBalance on ${multicallAddress}`
      return enqueue<bigint>(label, undefined, tupleOf(label, multicallAddress, encodeFunctionData({ abi: multicall3Abi, functionName: 'getEthBalance', args: [owner] })), decodeUint256)
    },
    calls: () => calls,
  }
}
