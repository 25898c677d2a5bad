import { type Address, type PublicClient, erc20Abi, getAddress } from 'viem'
import type { Holding } from '../../domain/dust/index.js'
import { Amount, type Currency, createCurrency } from '../../domain/money/index.js'
import type { BalanceSource, EventStore, Logger, TokenDiscoveryKey } from '../../ports/index.js'
import type { EvmCallBatcher } from './createEvmCallBatcher.js'
import { type ReadTokenMetadataReturnType, readTokenMetadata } from './readTokenMetadata.js'
import { scanTransferLogs } from './scanTransferLogs.js'

/** What token discovery keeps between cycles and restarts: the event store's discovery methods. */
export type TokenDiscoveryStore = Pick<EventStore, 'readTokenDiscovery' | 'recordTokenDiscovery'>

/** Blocks per `eth_getLogs` request when `blockRange` is not given: within what public providers accept (Alchemy: 2,000). */
export const DEFAULT_DISCOVERY_BLOCK_RANGE = 2_000n
/** How far back the first scan of a wallet starts when neither a cursor nor `fromBlock` is there: about a week of Ethereum blocks. */
export const DEFAULT_DISCOVERY_LOOK_BACK = 50_000n
/** Ranges scanned per cycle when `maxRangesPerCycle` is not given: the default look-back in one cycle at the default range. */
export const DEFAULT_DISCOVERY_RANGES_PER_CYCLE = 25

export type CreateTokenDiscoverySourceParameters = {
  /** Venue name of the wallet from the config (`wallet`): the holdings' venue. */
  name: string
  /** The strategy's mode: its discovery is stored apart from other strategies'. */
  strategyMode: string
  owner: Address
  /** The chain's client, for the latest block and `eth_getLogs`. */
  client: PublicClient
  /** The chain's call batcher: symbols, decimals and balances are read in its batches. */
  batcher: EvmCallBatcher
  /** The registry's tokens: those on this chain are the wallet source's, never listed here. */
  known: readonly Currency[]
  /** Where the cursor and the tokens found are kept; without one, in memory for the life of the process. */
  store?: TokenDiscoveryStore | undefined
  /** Blocks per `eth_getLogs` request (default 2,000); halved when the node refuses a range. */
  blockRange?: bigint | undefined
  /** First block to scan when no cursor is stored; `latest - lookBack` (not below 0) when absent. */
  fromBlock?: bigint | undefined
  /** How far back from the latest block the first scan starts when `fromBlock` is absent (default 50,000). */
  lookBack?: bigint | undefined
  /** Most `eth_getLogs` ranges per cycle (default 25); the rest is scanned in the next cycles. */
  maxRangesPerCycle?: number | undefined
  /** Progress (info), each range (debug) and failures (warn); quiet without one. */
  logger?: Logger | undefined
}

/**
 * Creates the token discovery of one wallet: a balance source that lists every token the wallet
 * received but the registry lacks, each as a held holding of code `unverified_token`, never
 * valued nor converted.
 *
 * Each cycle it scans the ERC-20 `Transfer` logs into the wallet from the stored cursor + 1 to the
 * latest block, in ranges of `blockRange` blocks, at most `maxRangesPerCycle` of them, and records
 * each range's token addresses and then its cursor in the store, so that a restart resumes there
 * and still lists what was found before. It then reads, through the chain's call batcher in one
 * batch, the `symbol()` and `decimals()` of each token not read yet and the `balanceOf` of every
 * one found; those queued after the logs are read, so in a batch apart from the wallet source's.
 *
 * It never fails: a token is listed by its own symbol sanitised (`UNKNOWN` when unreadable),
 * with decimals 0 (its amount in base units) when `decimals()` cannot be read or is above 36, and
 * left out for the cycle when its `balanceOf` fails. When the node or the store fails, the
 * failure is logged and the source lists what it could read: the tokens found in earlier ranges.
 * Failing instead would make the whole snapshot incomplete, and stop every conversion, for
 * tokens that no figure counts; the cursor then stays where it was, so no block is skipped.
 */
export function createTokenDiscoverySource(parameters: CreateTokenDiscoverySourceParameters): BalanceSource {
  const { name, strategyMode, owner, client, batcher, store, logger } = parameters
  const chain = batcher.chain
  const key: TokenDiscoveryKey = { strategyMode, chain, wallet: owner }
  const lookBack = parameters.lookBack ?? DEFAULT_DISCOVERY_LOOK_BACK
  const maxRanges = parameters.maxRangesPerCycle ?? DEFAULT_DISCOVERY_RANGES_PER_CYCLE
  let blockRange = parameters.blockRange ?? DEFAULT_DISCOVERY_BLOCK_RANGE
  const registry = new Map<string, Currency>()
  const registrySymbols = new Map<string, Currency>()
  for (const currency of parameters.known) {
    if (currency.chain !== chain || currency.address === undefined) continue
    registry.set(currency.address.toLowerCase(), currency)
    registrySymbols.set(currency.symbol.toLowerCase(), currency)
  }
  // What this process knows: the tokens found (lower-case address → first block) and, without a store, the cursor.
  const found = new Map<string, bigint>()
  let memoryCursor: bigint | undefined
  const metadata = new Map<string, ReadTokenMetadataReturnType>()
  const fields = { strategy: strategyMode, chain, venue: name, wallet: owner }
  // One cycle at a time: a scan asked for while another runs waits for it, and does not scan the same blocks twice at once.
  let running: Promise<unknown> = Promise.resolve()

  const remember = (address: string, block: bigint) => {
    const earlier = found.get(address)
    if (earlier === undefined || block < earlier) found.set(address, block)
  }

  async function discover(): Promise<void> {
    let cursor = memoryCursor
    if (store) {
      try {
        const state = await store.readTokenDiscovery(key)
        for (const token of state.tokens) remember(token.address.toLowerCase(), token.firstBlock)
        cursor = state.scannedTo
      } catch (error) {
        logger?.warn({ ...fields, err: error }, `Token discovery of ${name} on ${chain} could not read its cursor from the event store; no logs are scanned this cycle`)
        return
      }
    }
    let latest: bigint
    try {
      latest = await client.getBlockNumber({ cacheTime: 0 })
    } catch (error) {
      logger?.warn({ ...fields, err: error }, `Token discovery of ${name} on ${chain} could not read the latest block; no logs are scanned this cycle`)
      return
    }
    const start = cursor !== undefined ? cursor + 1n : (parameters.fromBlock ?? (latest > lookBack ? latest - lookBack : 0n))
    if (start > latest) return
    const before = found.size
    const result = await scanTransferLogs({
      client,
      chain,
      owner,
      fromBlock: start,
      toBlock: latest,
      blockRange,
      maxRanges,
      logger,
      async onRange(range) {
        const tokens = [...range.tokens].map(([address, firstBlock]) => ({ address: address.toLowerCase(), firstBlock }))
        // The range's tokens, then its cursor (in one transaction): a crash between ranges loses nothing.
        if (store) await store.recordTokenDiscovery(key, { scannedTo: range.toBlock, tokens })
        else memoryCursor = range.toBlock
        for (const token of tokens) remember(token.address, token.firstBlock)
      },
    })
    blockRange = result.blockRange
    const progress = {
      ...fields,
      fromBlock: String(start),
      scannedTo: result.scannedTo === undefined ? undefined : String(result.scannedTo),
      latest: String(latest),
      ranges: result.ranges,
      requests: result.requests,
      newTokens: found.size - before,
    }
    if (result.error) {
      logger?.warn({ ...progress, err: result.error }, `Token discovery of ${name} on ${chain} stopped: ${result.error.shortMessage}`)
    } else {
      const left = latest - (result.scannedTo ?? start - 1n)
      logger?.info(
        { ...progress, blocksLeft: String(left) },
        `Token discovery of ${name} on ${chain} scanned blocks ${start} to ${result.scannedTo}${left > 0n ? `; ${left} block(s) are left for the next cycles` : ''}`,
      )
    }
  }

  function detailOf(address: Address, read: ReadTokenMetadataReturnType): string {
    const named = read.symbolRead ? `Token ${read.symbol}` : 'A token whose symbol() cannot be read'
    const lookAlike = registrySymbols.get(read.symbol.toLowerCase())
    return [
      `${named} at ${address} on ${chain} came into ${name} (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted.`,
      ...(read.symbolRead && lookAlike ? [`It calls itself ${read.symbol} but is not the registry's ${lookAlike.symbol} at ${lookAlike.address}.`] : []),
      ...(read.decimals === undefined ? ['Its decimals() cannot be read (or is above 36), so the amount is in base units.'] : []),
      'To treat it as dust, add it to tokens: with this address and its decimals, and give it a price source.',
    ].join(' ')
  }

  async function holdingOf(lower: string): Promise<Holding | undefined> {
    const address = getAddress(lower)
    const known = metadata.get(lower)
    const [read, balance] = await Promise.all([
      known ?? readTokenMetadata({ batcher, address }),
      batcher.read({ address, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }).then(
        (raw) => ({ raw }),
        (error: unknown) => ({ error }),
      ),
    ])
    // A token that answered neither is asked again next cycle: the node, not the token, may have failed.
    if (!known && (read.symbolRead || read.decimals !== undefined)) metadata.set(lower, read)
    if ('error' in balance) {
      logger?.debug({ ...fields, token: address, err: balance.error }, `The balance of discovered token ${address} could not be read; it is left out this cycle`)
      return undefined
    }
    if (balance.raw === 0n) return undefined
    const currency = createCurrency({ symbol: read.symbol, decimals: read.decimals ?? 0, chain, address })
    return {
      amount: Amount.fromRaw(currency, balance.raw),
      venue: name,
      source: 'wallet_balance',
      custody: { kind: 'onchain', chain },
      held: { code: 'unverified_token', detail: detailOf(address, read) },
    }
  }

  async function cycle(): Promise<Holding[]> {
    await discover()
    const candidates = [...found.keys()].filter((address) => !registry.has(address))
    const holdings = await Promise.all(candidates.map(holdingOf))
    return holdings.filter((holding): holding is Holding => holding !== undefined)
  }

  return {
    name,
    source: 'wallet_balance',
    fetchHoldings() {
      const next = running.then(cycle, cycle)
      running = next.catch(() => undefined)
      return next
    },
  }
}
