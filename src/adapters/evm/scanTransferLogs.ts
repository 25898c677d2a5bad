import { type Address, type PublicClient, getAddress, parseAbiItem } from 'viem'
import { SourceError, shortMessageOf } from '../../errors/index.js'
import type { Logger } from '../../ports/index.js'

/** The ERC-20 `Transfer` event; ERC-721's has the same signature with its third argument indexed. */
const TRANSFER_EVENT = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

export type ScanTransferLogsParameters = {
  client: PublicClient
  /** Chain name from the config, for messages. */
  chain: string
  /** The wallet whose incoming transfers are looked for (`to`). */
  owner: Address
  /** First and last block to scan, both included. */
  fromBlock: bigint
  toBlock: bigint
  /** Blocks per `eth_getLogs` request; halved, as often as needed, when the node refuses a range as too large. */
  blockRange: bigint
  /** Most ranges scanned in this call: the rest is left for the next. */
  maxRanges: number
  /**
   * Called after each range with the tokens its logs name (checksummed address → first block),
   * and awaited before the next range: store them there, then the cursor.
   */
  onRange(range: { fromBlock: bigint; toBlock: bigint; tokens: ReadonlyMap<Address, bigint> }): Promise<void>
  logger?: Logger | undefined
}

export type ScanTransferLogsReturnType = {
  /** The last block scanned (its range handed to `onRange`), undefined when no range was. */
  scannedTo: bigint | undefined
  /** Ranges scanned. */
  ranges: number
  /** `eth_getLogs` requests sent, those refused included. */
  requests: number
  /** The range size the node last accepted: give it to the next scan. */
  blockRange: bigint
  /** Why the scan stopped before `toBlock` other than `maxRanges`: the node failed, or `onRange` did. */
  error: SourceError | undefined
}

/** Reads the message of an error and of its causes. */
function messagesOf(error: unknown): { text: string; rpcAnswered: boolean } {
  const seen = new Set<unknown>()
  const parts: string[] = []
  let rpcAnswered = false
  let current: unknown = error
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current)
    parts.push(current.message)
    // The node answered with a JSON-RPC error (viem's RpcRequestError), not a transport failure.
    if (current.name === 'RpcRequestError') rpcAnswered = true
    current = current.cause
  }
  return { text: parts.join(' '), rpcAnswered }
}

/**
 * Tells whether a node refused an `eth_getLogs` range as too large. Providers word it in many ways
 * ("Log response size exceeded... up to a 2K block range", "query returned more than 10000
 * results", "block range is too wide", "exceed maximum block range: 5000"), mostly as a JSON-RPC
 * error: any JSON-RPC error is taken as one unless it is a rate limit or an unknown method, and a
 * transport failure (timeout, HTTP 503) only when its words say so.
 */
export function isRangeRefusal(error: unknown): boolean {
  const { text, rpcAnswered } = messagesOf(error)
  if (/rate.?limit|too many requests|status: 429|method not found|does not exist\/is not available|not supported/i.test(text)) return false
  return rpcAnswered || /range|too large|too wide|too big|more than|response size|limited to|exceed/i.test(text)
}

/**
 * Scans a wallet's incoming ERC-20 `Transfer` logs from `fromBlock` to `toBlock` in ranges of
 * `blockRange` blocks, at most `maxRanges` of them, and hands each range's tokens to `onRange`
 * before going on. A range the node refuses as too large is halved and sent again, down to one
 * block. Never throws: a failure ends the scan and is returned, with the ranges done before it.
 *
 * ERC-721 transfers share the event's signature but index their third argument: logs with other
 * than three topics and one data word are left out.
 */
export async function scanTransferLogs(parameters: ScanTransferLogsParameters): Promise<ScanTransferLogsReturnType> {
  const { client, chain, owner, toBlock, maxRanges, onRange, logger } = parameters
  let blockRange = parameters.blockRange > 0n ? parameters.blockRange : 1n
  let from = parameters.fromBlock
  let scannedTo: bigint | undefined
  let ranges = 0
  let requests = 0
  while (from <= toBlock && ranges < maxRanges) {
    const to = from + blockRange - 1n < toBlock ? from + blockRange - 1n : toBlock
    requests += 1
    const answer = await client.getLogs({ event: TRANSFER_EVENT, args: { to: owner }, fromBlock: from, toBlock: to, strict: false }).then(
      (logs) => ({ logs }),
      (cause: unknown) => ({ cause }),
    )
    if ('cause' in answer) {
      const { cause } = answer
      const size = to - from + 1n
      if (size > 1n && isRangeRefusal(cause)) {
        blockRange = size / 2n
        logger?.info({ chain, wallet: owner, fromBlock: String(from), toBlock: String(to), blockRange: String(blockRange) }, 'The node refused the Transfer log range as too large; halving it')
        continue
      }
      const error = new SourceError(chain, `The ${chain} node did not answer the Transfer logs into ${owner} in blocks ${from} to ${to}.`, {
        cause,
        details: shortMessageOf(cause),
      })
      return { scannedTo, ranges, requests, blockRange, error }
    }
    const { logs } = answer
    const tokens = new Map<Address, bigint>()
    for (const log of logs) {
      if (log.topics.length !== 3 || log.data.length !== 66 || log.blockNumber === null) continue
      const address = getAddress(log.address)
      const seen = tokens.get(address)
      if (seen === undefined || log.blockNumber < seen) tokens.set(address, log.blockNumber)
    }
    try {
      await onRange({ fromBlock: from, toBlock: to, tokens })
    } catch (cause) {
      const error = new SourceError(chain, `The Transfer logs into ${owner} in blocks ${from} to ${to} were read but could not be recorded.`, {
        cause,
        details: shortMessageOf(cause),
      })
      return { scannedTo, ranges, requests, blockRange, error }
    }
    logger?.debug({ chain, wallet: owner, fromBlock: String(from), toBlock: String(to), logs: logs.length, tokens: tokens.size }, 'Scanned a range of Transfer logs')
    scannedTo = to
    ranges += 1
    from = to + 1n
  }
  return { scannedTo, ranges, requests, blockRange, error: undefined }
}
