import { type Abi, type Address, type Hex, type PublicClient, decodeFunctionResult, encodeFunctionData, multicall3Abi } from 'viem'
import { SourceError } from '../../errors/index.js'

/** One contract read to batch. */
export type EvmCall = {
  readonly address: Address
  readonly abi: Abi
  readonly functionName: string
  readonly args?: readonly unknown[] | undefined
}

export type CreateEvmCallBatcherParameters = {
  /** Chain name from the config, for messages. */
  chain: string
  client: PublicClient
  /** Multicall3 on this chain (canonically 0xcA11bde05977b3631167028862bE2a173976CA11). */
  multicallAddress: Address
}

/** Batches contract reads of one chain: every read asked for in the same tick goes out in one `eth_call`. */
export type EvmCallBatcher = {
  readonly chain: string
  readonly multicallAddress: Address
  /** Reads one value; resolves with the decoded result, rejects with a `SourceError` when the call reverts or the node fails. */
  read<T = unknown>(call: EvmCall): Promise<T>
  /** Reads a native balance (through Multicall3's `getEthBalance`, in the same batch). */
  nativeBalance(owner: Address): Promise<bigint>
  /** How many `eth_call`s this batcher made. */
  readonly calls: () => number
}

type Pending = { call: EvmCall; data: Hex; resolve(value: unknown): void; reject(error: unknown): void }

/**
 * Creates a call batcher for one chain.
 *
 * Reads queued in the same macrotask are sent as one Multicall3 `aggregate3` call, so a cycle
 * that scans any number of strategies, wallets and tokens makes one round trip per chain.
 * Chunking is off on purpose: one cycle, one call.
 */
export function createEvmCallBatcher(parameters: CreateEvmCallBatcherParameters): EvmCallBatcher {
  const { client, multicallAddress, chain } = parameters
  let queue: Pending[] = []
  let scheduled = false
  let calls = 0

  async function flush(): Promise<void> {
    const batch = queue
    queue = []
    scheduled = false
    calls += 1
    try {
      const results = await client.readContract({
        address: multicallAddress,
        abi: multicall3Abi,
        functionName: 'aggregate3',
        args: [batch.map((pending) => ({ target: pending.call.address, allowFailure: true, callData: pending.data }))],
      })
      batch.forEach((pending, index) => {
        const result = results[index]
        if (!result?.success) {
          pending.reject(new SourceError(chain, `${pending.call.functionName} on ${pending.call.address} reverted on ${chain}.`))
          return
        }
        try {
          pending.resolve(decodeFunctionResult({ abi: pending.call.abi, functionName: pending.call.functionName, data: result.returnData }))
        } catch (cause) {
          pending.reject(new SourceError(chain, `${pending.call.functionName} on ${pending.call.address} answered data that does not decode.`, { cause }))
        }
      })
    } catch (cause) {
      const error = new SourceError(chain, `The ${chain} node did not answer the batched read of ${batch.length} call(s).`, {
        cause,
        details: cause instanceof Error ? (cause as { shortMessage?: string }).shortMessage ?? cause.message : String(cause),
      })
      for (const pending of batch) pending.reject(error)
    }
  }

  function read<T>(call: EvmCall): Promise<T> {
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args ?? [] } as never)
    return new Promise<T>((resolve, reject) => {
      queue.push({ call, data, resolve: resolve as (value: unknown) => void, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(() => void flush())
      }
    })
  }

  return {
    chain,
    multicallAddress,
    read,
    nativeBalance: (owner) => read<bigint>({ address: multicallAddress, abi: multicall3Abi, functionName: 'getEthBalance', args: [owner] }),
    calls: () => calls,
  }
}
