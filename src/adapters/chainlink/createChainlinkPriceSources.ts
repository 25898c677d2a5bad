import type { Address } from 'viem'
import { type Currency, type Fraction, Price } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import { aggregatorV3Abi } from './aggregatorV3Abi.js'
import { parseChainlinkRound } from './parseChainlinkRound.js'

/** One Chainlink feed: `base` priced in `quote`. */
export type ChainlinkFeed = {
  /** A registry symbol. */
  readonly base: string
  /** A registry symbol, or a unit of account known only to this source (`USD`). */
  readonly quote: string
  /** The feed's proxy address. */
  readonly address: Address
  /** The feed's published heartbeat; an older answer is refused. */
  readonly heartbeatSeconds: number
}

export type CreateChainlinkPriceSourcesParameters = {
  /** Prefix of the sources' names: `chainlink` gives `chainlink:ETH/USDT`. */
  name: string
  feeds: readonly ChainlinkFeed[]
  /** The registry's currency of a symbol; `undefined` for a unit that is no token (`USD`). */
  currency: (symbol: string) => Currency | undefined
  batcher: EvmCallBatcher
  clock: Clock
  /** How far ahead of the clock a feed's `updatedAt` may be (the strategy's `max_price_clock_skew`). */
  maxClockSkewMs: number
}

/**
 * Creates one price source per pair of registry tokens that the feeds price: a feed whose base
 * and quote are both registry tokens (`chainlink:weETH/ETH`), and two feeds sharing a quote that
 * is no token (`chainlink:ETH/USDT` = ETH/USD ÷ USDT/USD, exact).
 *
 * Each feed's `latestRoundData()` and `decimals()` are read through the chain's batcher, so they
 * travel in the same Multicall3 call as the balances; a feed asked for by several sources in the
 * same tick is read once. A refused feed (stale, not positive, incomplete, ahead of the clock)
 * fails only the sources built on it, each with a `SourceError` naming the feed (its `source` is
 * the feed's pair, `chainlink:USDT/USD`, also for a pair derived from it). Prices are
 * stamped with the time of the read: a feed updates only on its heartbeat or a deviation, so its
 * `updatedAt` is checked against the heartbeat here rather than against `max_price_age`.
 */
export function createChainlinkPriceSources(parameters: CreateChainlinkPriceSourcesParameters): PriceSource[] {
  const { name, feeds, currency, batcher, clock, maxClockSkewMs } = parameters
  const reading = new Map<ChainlinkFeed, Promise<Fraction>>()

  /** Reads a feed and checks its round; the answer in whole quote units per whole base unit. */
  function readFeed(feed: ChainlinkFeed): Promise<Fraction> {
    const pending = reading.get(feed)
    if (pending) return pending
    // Errors name the feed's own pair, whichever source asked: a derived pair fails with the feed's error.
    const source = `${name}:${feed.base}/${feed.quote}`
    const label = `the ${feed.base}/${feed.quote} feed ${feed.address} on ${batcher.chain}`
    const read = (async () => {
      let answers: [readonly [bigint, bigint, bigint, bigint, bigint], number]
      try {
        answers = await Promise.all([
          batcher.read({ address: feed.address, abi: aggregatorV3Abi, functionName: 'latestRoundData' }),
          batcher.read({ address: feed.address, abi: aggregatorV3Abi, functionName: 'decimals' }),
        ])
      } catch (cause) {
        throw new SourceError(source, `${source} could not read ${label}.`, { cause, details: 'Expected latestRoundData() and decimals() of an AggregatorV3Interface to answer.' })
      }
      const [[roundId, answer, startedAt, updatedAt, answeredInRound], decimals] = answers
      return parseChainlinkRound({
        source,
        feed: label,
        round: { roundId, answer, startedAt, updatedAt, answeredInRound },
        decimals,
        heartbeatSeconds: feed.heartbeatSeconds,
        now: clock.now(),
        maxClockSkewMs,
      })
    })()
    // Shared by the sources asking in this tick only: the next cycle reads the feed afresh.
    reading.set(feed, read)
    const forget = () => reading.delete(feed)
    read.then(forget, forget)
    return read
  }

  const sources: PriceSource[] = []
  for (const feed of feeds) {
    const base = currency(feed.base)
    const quote = currency(feed.quote)
    if (base === undefined || quote === undefined) continue
    const source = `${name}:${base.symbol}/${quote.symbol}`
    sources.push({
      name: source,
      async fetchPrices() {
        const perToken = await readFeed(feed)
        return [Price.fromTokens(base, quote, perToken, { source, at: clock.now() })]
      },
    })
  }
  // Two feeds quoted in the same unit that is no token give the price of one base in the other.
  feeds.forEach((first, index) => {
    const base = currency(first.base)
    if (base === undefined || currency(first.quote) !== undefined) return
    for (const second of feeds.slice(index + 1)) {
      const quote = currency(second.base)
      if (quote === undefined || second.quote !== first.quote || quote.symbol === base.symbol) continue
      const source = `${name}:${base.symbol}/${quote.symbol}`
      sources.push({
        name: source,
        async fetchPrices() {
          const [baseInUnit, quoteInUnit] = await Promise.all([readFeed(first), readFeed(second)])
          return [Price.fromTokens(base, quote, baseInUnit.divide(quoteInUnit), { source, at: clock.now() })]
        },
      })
    }
  })
  return sources
}
