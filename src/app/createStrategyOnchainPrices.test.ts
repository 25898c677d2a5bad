import { getAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { type EvmFixture, startEvmFixture } from '../../test/evmFixture.js'
import { type TestFeed, deployFeed } from '../../test/fixtureChainlink.js'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { FIXTURE_CONFIG_YAML } from '../../test/fixtureConfig.js'
import { FIXED_TIME, fixtureClock } from '../../test/fixtureMoney.js'
import { createEvmChains } from '../adapters/evm/createEvmChains.js'
import { loadContractArtifact } from '../adapters/localchain/loadContractArtifact.js'
import { parseYaml } from '../config/parseYaml.js'
import { strategyConfigSchema } from '../config/schema.js'
import { planConversions } from '../engine/planConversions.js'
import { scanStrategy } from '../engine/scanStrategy.js'
import { createStrategy } from './createStrategy.js'
import { loadPriceSourceBuilders } from './prices/loadPriceSourceBuilders.js'
import { loadVenueBuilders } from './venues/loadVenueBuilders.js'

// The builders of the two venue types these strategies use.
const venueBuilders = await loadVenueBuilders([{ venues: { wallet: { type: 'static' }, uniswap: { type: 'static_amm' } } }])
const priceSourceBuilders = await loadPriceSourceBuilders()
const NOW_S = BigInt(FIXED_TIME / 1000)

describe('a strategy priced by Chainlink feeds and an on-chain LST rate, on a local node', () => {
  let fixture: EvmFixture
  let ethUsd: TestFeed
  let usdtUsd: TestFeed
  let eigenUsd: TestFeed
  let weeth: string

  beforeAll(async () => {
    fixture = await startEvmFixture()
    ethUsd = await deployFeed(fixture, 8, 250_000_000_000n)
    usdtUsd = await deployFeed(fixture, 8, 100_000_000n)
    eigenUsd = await deployFeed(fixture, 8, 125_000_000n)
    weeth = await fixture.deploy(loadContractArtifact('MockWeETH'), [1_066_123_456_789_012_345n])
  }, 60_000)
  afterAll(async () => fixture?.stop())

  /** Writes each feed's latest round, 20 minutes before the clock: older than max_price_age, younger than the heartbeats. */
  const freshFeeds = async (eigenUpdatedAt = NOW_S - 1200n) => {
    await ethUsd.setRound({ roundId: 1n, answer: 250_000_000_000n, updatedAt: NOW_S - 1200n })
    await usdtUsd.setRound({ roundId: 1n, answer: 100_000_000n, updatedAt: NOW_S - 1200n })
    await eigenUsd.setRound({ roundId: 1n, answer: 125_000_000n, updatedAt: eigenUpdatedAt })
  }

  /**
   * The fixture's portfolio with 1,520 EIGEN in the wallet, one static EIGEN/USDT pool of the given
   * reserves, and no price but Chainlink's and weETH's on-chain rate.
   */
  const strategyWith = (reserves: [string, string]) => {
    const config = parseYaml(FIXTURE_CONFIG_YAML, 'test/fixtureConfig.ts', {}).value as z.input<typeof strategyConfigSchema>
    config.dust_delta = '0.001'
    delete config.dust_conversion_venue
    delete config.dust_conversion_path
    config.tokens = config.tokens.map((token) => (token.symbol === 'weETH' ? { ...token, address: weeth } : token))
    config.venues = {
      wallet: { type: 'static', source: 'wallet_balance', balances: { EIGEN: '1520' } },
      uniswap: { type: 'static_amm', pools: [{ tokens: ['EIGEN', 'USDT'], reserves }] },
    }
    config.chains = { ethereum: { rpc_url: fixture.chain.rpcUrl, chain_id: fixture.chain.chainId, multicall_address: fixture.multicall } }
    config.prices = [
      {
        type: 'chainlink',
        chain: 'ethereum',
        feeds: [
          { base: 'ETH', quote: 'USD', address: ethUsd.address, heartbeat_seconds: 3600 },
          { base: 'USDT', quote: 'USD', address: usdtUsd.address, heartbeat_seconds: 86_400 },
          { base: 'EIGEN', quote: 'USD', address: eigenUsd.address, heartbeat_seconds: 86_400 },
        ],
      },
      { type: 'lst_rate', chain: 'ethereum', base: 'weETH', quote: 'ETH', method: 'getRate' },
    ]
    return createStrategy({ config: strategyConfigSchema.parse(config), clock: fixtureClock(), venueBuilders, priceSourceBuilders, chains: createEvmChains() })
  }

  const planWith = async (reserves: [string, string]) => {
    const strategy = strategyWith(reserves)
    const logger = createRecordingLogger()
    const scan = await scanStrategy({ clock: fixtureClock(), logger }, { strategy })
    const { plan } = await planConversions({ logger }, { strategy, scan })
    return { strategy, scan, plan }
  }

  it('builds a price source per Chainlink pair and one for the LST rate, each priced on chain', async () => {
    await freshFeeds()
    const strategy = strategyWith(['4000000', '5000000'])
    expect(strategy.priceSources.map((source) => source.name)).toEqual(['chainlink:ETH/USDT', 'chainlink:ETH/EIGEN', 'chainlink:USDT/EIGEN', 'lst_rate:weETH/ETH'])
    const prices = await Promise.all(strategy.priceSources.map((source) => source.fetchPrices()))
    expect(prices.flat().map((price) => [price.origin.source, price.perToken().toDecimalString(18), price.origin.at])).toEqual([
      ['chainlink:ETH/USDT', '2500', FIXED_TIME],
      ['chainlink:ETH/EIGEN', '2000', FIXED_TIME],
      ['chainlink:USDT/EIGEN', '0.8', FIXED_TIME],
      ['lst_rate:weETH/ETH', '1.066123456789012345', FIXED_TIME],
    ])
  })

  it('plans a fair pool quote against the Chainlink price, and refuses one far under it as slippage_above_limit', async () => {
    await freshFeeds()
    // 1,520 EIGEN into 4,000,000 EIGEN / 5,000,000 USDT: 0.3 % fee and 3.8 bps of impact, within 50 bps of 1.25 USDT.
    const fair = await planWith(['4000000', '5000000'])
    expect(fair.scan.warnings).toEqual([])
    expect(fair.plan.skipped).toEqual([])
    // 5,000,000 × 1,515.44 ÷ (4,000,000 + 1,515.44) = 1,893.582597… USDT, down. The floor is the value at Chainlink's
    // 1.25 USDT (1,900) less the fee (4.56 EIGEN = 5.7 USDT), × 0.995 = 1,884.8285, above 1,893.582597 × 0.995.
    expect(fair.plan.instructions.map((instruction) => [instruction.token, instruction.venue, instruction.estimatedOutput.toDecimalString(), instruction.minOutput.toDecimalString()])).toEqual([
      ['EIGEN', 'uniswap', '1893.582597', '1884.8285'],
    ])
    // The same pool at half the price: the only independent price of EIGEN is Chainlink's.
    const under = await planWith(['4000000', '2500000'])
    expect(under.scan.warnings).toEqual([])
    expect(under.plan.instructions).toEqual([])
    expect(under.plan.skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
      [
        'EIGEN',
        'slippage_above_limit',
        'uniswap gives 946.791298 USDT for 1520 EIGEN, under the floor of 1884.8285 USDT: 50 bps under its value at prices from other sources (1900 USDT, less 5.7 USDT of fees).',
      ],
    ])
  })

  it('reports a refused feed as a failed price source and leaves its token unpriced, the other pairs priced', async () => {
    await freshFeeds(NOW_S - 86_401n)
    const strategy = strategyWith(['4000000', '5000000'])
    const scan = await scanStrategy({ clock: fixtureClock(), logger: createRecordingLogger() }, { strategy })
    const stale = `The EIGEN/USD feed ${getAddress(eigenUsd.address)} on ethereum was last updated 86401 s ago (at 2024-12-30T23:59:59.000Z), longer than its heartbeat of 86400 s: its answer is stale.
Expected an update within 86400 s of 2025-01-01T00:00:00.000Z, found one 86401 s old.`
    expect(scan.warnings.filter((warning) => warning.code === 'source_failed').map((warning) => [warning.venue, warning.message])).toEqual([
      ['chainlink:ETH/EIGEN', `Price source chainlink:ETH/EIGEN failed: ${stale}`],
      ['chainlink:USDT/EIGEN', `Price source chainlink:USDT/EIGEN failed: ${stale}`],
    ])
    expect(scan.snapshot.unpricedTokens.map((entry) => entry.token)).toEqual(['EIGEN'])
  })
})
