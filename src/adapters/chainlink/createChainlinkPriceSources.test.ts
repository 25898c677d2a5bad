import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { type TestFeed, deployFeed, mockV3Aggregator, send } from '../../../test/fixtureChainlink.js'
import { FIXED_TIME, fixtureClock } from '../../../test/fixtureMoney.js'
import { type Currency, Fraction, createCurrency } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { PriceSource } from '../../ports/index.js'
import { type EvmCallBatcher, createEvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import { createChainlinkPriceSources } from './createChainlinkPriceSources.js'

const NOW_S = BigInt(FIXED_TIME / 1000)
const registry = new Map<string, Currency>(
  [
    createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' }),
    createCurrency({ symbol: 'USDT', decimals: 6, chain: 'local', address: '0x00000000000000000000000000000000000000a6' }),
    createCurrency({ symbol: 'weETH', decimals: 18, chain: 'local', address: '0x00000000000000000000000000000000000000e1' }),
  ].map((currency) => [currency.symbol, currency]),
)

describe('createChainlinkPriceSources on a local node, with MockV3Aggregator', () => {
  let fixture: EvmFixture
  let ethUsd: TestFeed
  let usdtUsd: TestFeed
  let weethEth: TestFeed
  let batcher: EvmCallBatcher
  let sources: PriceSource[]
  const clock = fixtureClock()

  beforeAll(async () => {
    fixture = await startEvmFixture()
    ethUsd = await deployFeed(fixture, 8, 300_012_345_678n)
    usdtUsd = await deployFeed(fixture, 8, 100_010_000n)
    weethEth = await deployFeed(fixture, 18, 1_066_123_456_789_012_345n)
    batcher = createEvmCallBatcher({ chain: 'local', client: fixture.client, multicallAddress: fixture.multicall })
    sources = createChainlinkPriceSources({
      name: 'chainlink',
      feeds: [
        { base: 'ETH', quote: 'USD', address: ethUsd.address, heartbeatSeconds: 3600 },
        { base: 'USDT', quote: 'USD', address: usdtUsd.address, heartbeatSeconds: 86_400 },
        { base: 'weETH', quote: 'ETH', address: weethEth.address, heartbeatSeconds: 86_400 },
      ],
      currency: (symbol) => registry.get(symbol),
      batcher,
      clock,
      maxClockSkewMs: 30_000,
    })
  }, 60_000)
  afterAll(async () => fixture?.stop())

  /** Sets each feed's latest round, 20 minutes before the clock unless given. */
  const fresh = async (eth = 300_012_345_678n, updatedAt = NOW_S - 1200n) => {
    await ethUsd.setRound({ roundId: 10n, answer: eth, updatedAt })
    await usdtUsd.setRound({ roundId: 10n, answer: 100_010_000n, updatedAt: NOW_S - 1200n })
    await weethEth.setRound({ roundId: 10n, answer: 1_066_123_456_789_012_345n, updatedAt: NOW_S - 1200n })
  }
  const source = (name: string) => {
    const found = sources.find((candidate) => candidate.name === name)
    if (!found) throw new Error(`test setup: no source ${name}`)
    return found
  }
  /** Every source's answer: the price in whole tokens, or the refusal. */
  const fetchAll = async () => {
    const settled = await Promise.allSettled(sources.map((candidate) => candidate.fetchPrices()))
    return settled.map((result, index) => [
      sources[index]?.name,
      result.status === 'fulfilled' ? result.value.map((price) => `${price.perToken().toDecimalString(30)} ${price.quote.symbol}/${price.base.symbol}`) : (result.reason as SourceError).shortMessage,
    ])
  }

  it('makes a source of each feed between registry tokens and of each pair joined through USD', () => {
    expect(sources.map((candidate) => candidate.name)).toEqual(['chainlink:weETH/ETH', 'chainlink:ETH/USDT'])
  })

  it('prices a fresh feed and the cross pair exactly, stamped at the read, in one Multicall3 call', async () => {
    await fresh()
    const before = batcher.calls()
    const [weeth, cross, balance] = await Promise.all([source('chainlink:weETH/ETH').fetchPrices(), source('chainlink:ETH/USDT').fetchPrices(), batcher.nativeBalance(fixture.multicall)])
    // Three feeds, two reads each, and a balance read of the same tick: seven reads in one aggregate3 call.
    expect(batcher.calls() - before).toBe(1)
    expect(balance).toBe(0n)
    expect(weeth).toHaveLength(1)
    expect(weeth[0]?.perToken().equals(new Fraction(1_066_123_456_789_012_345n, 10n ** 18n))).toBe(true)
    expect(weeth[0]?.origin).toEqual({ source: 'chainlink:weETH/ETH', at: FIXED_TIME })
    // ETH/USDT = (3000.12345678 USD/ETH) ÷ (1.0001 USD/USDT) = 300012345678 / 100010000, exact; in base units × 10^6 / 10^18.
    const price = cross[0]
    expect(price?.perToken().equals(new Fraction(300_012_345_678n, 100_010_000n))).toBe(true)
    expect(price?.ratio.equals(new Fraction(300_012_345_678n * 10n ** 6n, 100_010_000n * 10n ** 18n))).toBe(true)
    expect(price?.toSignificant(12)).toBe('2999.82347443')
    expect(price?.origin).toEqual({ source: 'chainlink:ETH/USDT', at: FIXED_TIME })
  })

  it('refuses a feed older than its heartbeat, failing only the sources built on it', async () => {
    await fresh(300_012_345_678n, NOW_S - 3601n)
    expect(await fetchAll()).toEqual([
      ['chainlink:weETH/ETH', ['1.066123456789012345 ETH/weETH']],
      ['chainlink:ETH/USDT', `The ETH/USD feed ${ethUsd.address} on local was last updated 3601 s ago (at 2024-12-31T22:59:59.000Z), longer than its heartbeat of 3600 s: its answer is stale.`],
    ])
    const error = await source('chainlink:ETH/USDT')
      .fetchPrices()
      .catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({ source: 'chainlink:ETH/USD', details: 'Expected an update within 3600 s of 2025-01-01T00:00:00.000Z, found one 3601 s old.' })
    // Exactly one heartbeat old is still fresh.
    await fresh(300_012_345_678n, NOW_S - 3600n)
    expect((await source('chainlink:ETH/USDT').fetchPrices())[0]?.perToken().equals(new Fraction(300_012_345_678n, 100_010_000n))).toBe(true)
  })

  it('refuses a negative answer and a zero answer', async () => {
    await fresh(-1n)
    expect((await fetchAll())[1]).toEqual(['chainlink:ETH/USDT', `The ETH/USD feed ${ethUsd.address} on local answered -1 (8 decimals): a price must be positive.`])
    await fresh(0n)
    expect((await fetchAll())[1]).toEqual(['chainlink:ETH/USDT', `The ETH/USD feed ${ethUsd.address} on local answered 0 (8 decimals): a price must be positive.`])
  })

  it('refuses an incomplete round (updatedAt 0)', async () => {
    await fresh()
    await weethEth.setRound({ roundId: 11n, answer: 1_070_000_000_000_000_000n, updatedAt: 0n, startedAt: NOW_S - 5n })
    expect(await fetchAll()).toEqual([
      ['chainlink:weETH/ETH', `Round 11 of the weETH/ETH feed ${weethEth.address} on local is not complete: its updatedAt is 0.`],
      ['chainlink:ETH/USDT', ['2999.823474432556744325567443255674 USDT/ETH']],
    ])
  })

  it('refuses an update further ahead of the clock than max_price_clock_skew', async () => {
    await fresh()
    await usdtUsd.setRound({ roundId: 12n, answer: 100_000_000n, updatedAt: NOW_S + 31n })
    expect((await fetchAll())[1]).toEqual([
      'chainlink:ETH/USDT',
      `The USDT/USD feed ${usdtUsd.address} on local was updated at 2025-01-01T00:00:31.000Z, 31 s ahead of this clock, more than max_price_clock_skew (30 s).`,
    ])
    await usdtUsd.setRound({ roundId: 13n, answer: 100_000_000n, updatedAt: NOW_S + 30n })
    expect((await fetchAll())[1]).toEqual(['chainlink:ETH/USDT', ['3000.12345678 USDT/ETH']])
  })

  it('reads rounds written by updateAnswer, at the time of their block', async () => {
    await send(fixture, ethUsd.address, mockV3Aggregator.abi, 'updateAnswer', [250_000_000_000n])
    await send(fixture, usdtUsd.address, mockV3Aggregator.abi, 'updateAnswer', [100_010_000n])
    const block = await fixture.client.getBlock()
    clock.set(Number(block.timestamp) * 1000 + 5000)
    try {
      // 2,500 ÷ 1.0001, exact.
      expect((await fetchAll())[1]).toEqual(['chainlink:ETH/USDT', ['2499.750024997500249975002499750025 USDT/ETH']])
    } finally {
      clock.set(FIXED_TIME)
    }
  })

  it('fails with the feed named when the address holds no aggregator', async () => {
    const [none] = createChainlinkPriceSources({
      name: 'chainlink',
      feeds: [{ base: 'weETH', quote: 'ETH', address: fixture.multicall, heartbeatSeconds: 60 }],
      currency: (symbol) => registry.get(symbol),
      batcher,
      clock,
      maxClockSkewMs: 30_000,
    })
    const error = await none?.fetchPrices().catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({ source: 'chainlink:weETH/ETH', shortMessage: `chainlink:weETH/ETH could not read the weETH/ETH feed ${fixture.multicall} on local.` })
  })
})
