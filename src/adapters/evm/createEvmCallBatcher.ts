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
  /** Reads a native balance (through Multicall3's `getEthBalance`, in the same batch). */
  nativeBalance(owner: Address): Promise<bigint>
  /** How many `eth_call`s this batcher made (one per Multicall3 chunk). */
  readonly calls: () => number
}

/** A queued read: its calldata, and what to do with the answer (decode it with its own ABI) or with a failure. */
type Pending = { label: string; address: Address; gas: bigint | undefined; data: Hex; settle(returnData: Hex): void; reject(error: unknown): void }

/** Tells whether a contract read failed because the contract answered no data (`0x`), as an address without code does. */
function answeredNoData(error: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current)
    if (current.name === 'ContractFunctionZeroDataError' || current.name === 'AbiDecodingZeroDataError') return true
    current = current.cause
  }
  return false
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
  if (!Number.isSafeInteger(maxCallsPerMulticall) || maxCallsPerMulticall < 1) {
    throw new BaseError(`maxCallsPerMulticall must be a whole number of 1 or more, was ${maxCallsPerMulticall}.`, { code: 'invalid_parameter' })
  }
  if (maxGasPerMulticall < 1n) {
    throw new BaseError(`maxGasPerMulticall must be 1 or more, was ${maxGasPerMulticall}.`, { code: 'invalid_parameter' })
  }
  let queue: Pending[] = []
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
    for (const chunk of chunksOf(batch)) void send(chunk, diagnose)
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

  async function send(chunk: readonly Pending[], diagnose: () => Promise<SourceError>): Promise<void> {
    calls += 1
    try {
      const results = await client.readContract({
        address: multicallAddress,
        abi: multicall3Abi,
        functionName: 'aggregate3',
        args: [chunk.map((pending) => ({ target: pending.address, allowFailure: true, callData: pending.data }))],
      })
      chunk.forEach((pending, index) => {
        const result = results[index]
        if (!result?.success) {
          pending.reject(new SourceError(chain, `${pending.label} reverted on ${chain}.`))
          return
        }
        try {
          pending.settle(result.returnData)
        } catch (cause) {
          pending.reject(new SourceError(chain, `${pending.label} answered data that does not decode.`, { cause }))
        }
      })
    } catch (cause) {
      // An empty answer from aggregate3 is no node failure: the address holds no Multicall3.
      const error = answeredNoData(cause)
        ? await diagnose()
        : new SourceError(chain, `The ${chain} node did not answer the batched read of ${chunk.length} call(s).`, {
            cause,
            details: cause instanceof Error ? ('shortMessage' in cause && typeof cause.shortMessage === 'string' ? cause.shortMessage : cause.message) : String(cause),
          })
      for (const pending of chunk) pending.reject(error)
    }
  }

  function read<const abi extends Abi, functionName extends ContractFunctionName<abi> | undefined = undefined>(
    call: EvmCall<abi, functionName>,
  ): Promise<DecodeFunctionResultReturnType<abi, functionName>> {
    const data = encodeFunctionData<abi, functionName>(call)
    const abi: Abi = call.abi
    const label = `${call.functionName ?? 'the function'} on ${call.address}`
    return new Promise((resolve, reject) => {
      const settle = (returnData: Hex) => {
        // Decoded with the ABI and function that encoded the call, so the value has the type viem
        // infers for them; viem's conditional types cannot follow the generic through the decoding.
        const value = decodeFunctionResult({ abi, functionName: call.functionName, data: returnData }) as DecodeFunctionResultReturnType<abi, functionName>
        resolve(value)
      }
      queue.push({ label, address: call.address, gas: call.gas, data, settle, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })
  }

  return {
    chain,
    multicallAddress,
    read,
    nativeBalance: (owner) => read({ address: multicallAddress, abi: multicall3Abi, functionName: 'getEthBalance', args: [owner] }),
    calls: () => calls,
  }
}
