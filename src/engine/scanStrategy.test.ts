import { describe, expect, it } from 'vitest'
import { createTestStrategy, type CreateTestStrategyParameters, type TestConfigInput } from '../../test/createTestStrategy.js'
import { createFailingBalanceSource, createFailingEquitySource, createFailingPriceSource, createFakeClock, createRecordingLogger } from '../../test/fakePorts.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { serializeSnapshot } from '../domain/dust/index.js'
import { Amount, createCurrency } from '../domain/money/index.js'
import { SourceError } from '../errors/index.js'
import type { BalanceSource } from '../ports/index.js'
import { scanStrategy } from './scanStrategy.js'

async function scan(parameters: CreateTestStrategyParameters & { previouslyExceeded?: boolean } = {}) {
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const strategy = createTestStrategy({ ...parameters, clock })
  const result = await scanStrategy({ clock, logger }, { strategy, previouslyExceeded: parameters.previouslyExceeded })
  return { ...result, json: serializeSnapshot(result.snapshot), logger }
}

function addToken(config: TestConfigInput, symbol: string, decimals = 18): void {
  config.tokens.push({ symbol, decimals, address: `0x${'1'.repeat(39)}${decimals % 10}` })
}

describe('scanStrategy', () => {
  it("measures the issue's example: 2,660 USDT of dust over 1,000,000 USDT is 0.00266, over 0.002", async () => {
    const { json, warnings, failedSources, holdings, logger } = await scan()
    expect(json).toEqual({
      timestamp: FIXED_TIME,
      strategy_mode: 'usdt_test',
      share_class: 'USDT',
      total_dust_value: '2660',
      dust_tokens: [
        { token: 'EIGEN', amount: '1500', value: '1875', venue: 'etherfi', source: 'claimable_rewards' },
        { token: 'EIGEN', amount: '20', value: '25', venue: 'wallet', source: 'wallet_balance' },
        { token: 'ETHFI', amount: '800', value: '760', venue: 'wallet', source: 'wallet_balance' },
      ],
      unpriced_tokens: [],
      equity: '1000000',
      dust_ratio: '0.00266',
      dust_delta: '0.002',
      exceeds_threshold: true,
    })
    expect(warnings).toEqual([])
    expect(failedSources).toEqual([])
    expect(logger.entries).toEqual([])
    // Claimable and wallet EIGEN are two holdings, each counted once.
    expect(holdings.map((holding) => `${holding.amount.toString()} ${holding.venue}`)).toEqual(['1500 EIGEN etherfi', '20 EIGEN wallet', '800 ETHFI wallet'])
  })

  it('gives zero dust and a ratio of 0 when only the share class, the asset, WETH and weETH are held', async () => {
    const { json, warnings } = await scan({
      edit: (config) => {
        config.venues.etherfi = { type: 'static', source: 'claimable_rewards', balances: {} }
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { USDT: '5000', ETH: '1', WETH: '3', weETH: '10' } }
      },
    })
    expect(json).toMatchObject({ total_dust_value: '0', dust_tokens: [], unpriced_tokens: [], dust_ratio: '0', exceeds_threshold: false })
    expect(warnings).toEqual([])
  })

  it('takes the ratio as 0 with a zero_equity warning when equity is 0, without throwing', async () => {
    const { json, warnings, logger } = await scan({ edit: (config) => void (config.equity = { type: 'static', value: '0' }) })
    expect(json).toMatchObject({ total_dust_value: '2660', equity: '0', dust_ratio: '0', exceeds_threshold: false })
    expect(warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'zero_equity',
        message: 'Equity of usdt_test is 0 USDT; the dust ratio is taken as 0 until equity is positive.',
      },
    ])
    expect(logger.at('warn').map((entry) => entry.message)).toEqual(['Equity of usdt_test is 0 USDT; the dust ratio is taken as 0 until equity is positive.'])
  })

  it('lists a dust token with no price as unpriced with a warning, and does not value it at 0', async () => {
    const { json, warnings } = await scan({
      edit: (config) => {
        addToken(config, 'ZRO')
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', ZRO: '42.5' } }
      },
    })
    expect(json.total_dust_value).toBe('2660')
    expect(json.dust_tokens.map((token) => token.token)).toEqual(['EIGEN', 'EIGEN', 'ETHFI'])
    expect(json.unpriced_tokens).toEqual([{ token: 'ZRO', amount: '42.5', venue: 'wallet', source: 'wallet_balance' }])
    expect(warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'unpriced_token',
        token: 'ZRO',
        venue: 'wallet',
        message: '42.5 ZRO at wallet has no price in USDT; it is listed as unpriced and not counted.',
      },
    ])
  })

  it('lists a held holding as a warning only: it is neither valued, nor dust, nor a reason to call equity incomplete', async () => {
    const spam = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'ethereum', address: `0x${'ab'.repeat(20)}` })
    const airdrop: BalanceSource = {
      name: 'wallet-discovery',
      source: 'wallet_balance',
      fetchHoldings: async () => [
        {
          amount: Amount.parse(spam, '1000000'),
          venue: 'wallet-discovery',
          source: 'wallet_balance',
          custody: { kind: 'onchain', chain: 'ethereum' },
          held: { code: 'unverified_token', detail: 'EIGEN at 0xabab…abab is not in the token registry.' },
        },
      ],
    }
    const { json, warnings, holdings, heldHoldings } = await scan({ override: (strategy) => ({ balanceSources: [...strategy.balanceSources, airdrop] }) })
    // The same figures as without it: a token named EIGEN at another address is not the registry's EIGEN.
    expect(json).toMatchObject({ total_dust_value: '2660', equity: '1000000', dust_ratio: '0.00266', unpriced_tokens: [] })
    expect(json.incomplete_equity).toBeUndefined()
    expect(holdings.map((holding) => holding.venue)).toEqual(['etherfi', 'wallet', 'wallet'])
    expect(heldHoldings.map((holding) => holding.amount.toString())).toEqual(['1000000 EIGEN'])
    expect(warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'unverified_token',
        venue: 'wallet-discovery',
        token: 'EIGEN',
        message: 'EIGEN at 0xabab…abab is not in the token registry.',
        figures: { amount: '1000000 EIGEN', address: `0x${'ab'.repeat(20)}` },
      },
    ])
  })

  it('goes on with the other sources when a balance source fails, but calls the snapshot incomplete: no threshold is judged', async () => {
    const broken = createFailingBalanceSource('etherfi', 'The rewards API answered 503.')
    const { json, warnings, failedSources, snapshot } = await scan({
      override: (strategy) => ({ balanceSources: [broken, ...strategy.balanceSources.filter((source) => source.name !== 'etherfi')] }),
    })
    expect(broken.calls).toBe(1)
    expect(failedSources).toEqual(['etherfi'])
    expect(warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'source_failed',
        venue: 'etherfi',
        message: 'Balance source etherfi failed: The rewards API answered 503.',
      },
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'incomplete_equity',
        message: 'The equity and dust of usdt_test are incomplete (etherfi failed): nothing is planned or converted until every source answers.',
        figures: { failed_sources: 'etherfi', unpriced_holdings: '' },
      },
    ])
    // The wallet is still shown: 20 EIGEN (25) and 800 ETHFI (760), but as what answered, not a verdict.
    expect(json).toMatchObject({ total_dust_value: '785', dust_ratio: '0.000785', exceeds_threshold: false, incomplete_equity: { failed_sources: ['etherfi'], unpriced_holdings: [] } })
    expect(snapshot.incomplete).toEqual({ failedSources: ['etherfi'], unpricedHoldings: [] })
    expect(json.dust_tokens.map((token) => `${token.token} ${token.amount} ${token.venue}`)).toEqual(['EIGEN 20 wallet', 'ETHFI 800 wallet'])
  })

  it('never exceeds on an incomplete snapshot, even over dust_delta and exceeded before', async () => {
    // Equity 100,000: the wallet alone (785 USDT) is 0.00785, far over 0.002.
    const { json } = await scan({
      edit: (config) => void (config.equity = { type: 'static', value: '100000' }),
      override: (strategy) => ({ balanceSources: [createFailingBalanceSource('etherfi', 'down'), ...strategy.balanceSources.filter((source) => source.name !== 'etherfi')] }),
      previouslyExceeded: true,
    })
    expect(json).toMatchObject({ dust_ratio: '0.00785', exceeds_threshold: false, incomplete_equity: { failed_sources: ['etherfi'] } })
  })

  it('fails the scan, naming each cause, when no balance source answers: equity 0 is no answer', async () => {
    const error = await scan({
      override: () => ({ balanceSources: [createFailingBalanceSource('wallet', 'No Multicall3 at 0xcA11 on ethereum.'), createFailingBalanceSource('etherfi', 'The rewards API answered 503.')] }),
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({
      code: 'all_sources_failed',
      shortMessage: 'No balance source of usdt_test answered, so neither its dust nor its equity can be known: wallet: No Multicall3 at 0xcA11 on ethereum.; etherfi: The rewards API answered 503.',
      details: 'Expected at least one of 2 balance source(s) to answer; every one failed.',
    })
  })

  it('words a source failure that is not an Error', async () => {
    const { warnings } = await scan({
      override: (strategy) => ({ balanceSources: [...strategy.balanceSources, { name: 'okx', source: 'exchange_balance', fetchHoldings: () => Promise.reject('ECONNRESET') }] }),
    })
    expect(warnings.filter((warning) => warning.code === 'source_failed').map((warning) => warning.message)).toEqual(['Balance source okx failed: ECONNRESET'])
  })

  it('leaves out an equivalence naming a token the registry lacks', async () => {
    const { json, warnings } = await scan({ edit: (config) => void (config.equivalents = { WETH: 'ETH', stETH: 'ETH' }) })
    expect(json).toMatchObject({ total_dust_value: '2660', exceeds_threshold: true })
    expect(warnings).toEqual([])
  })

  it('goes on with the other price sources when one fails, and reports it', async () => {
    const { json, warnings } = await scan({
      override: (strategy) => ({ priceSources: [createFailingPriceSource('coingecko', 'rate limited'), ...strategy.priceSources] }),
    })
    expect(json).toMatchObject({ total_dust_value: '2660', dust_ratio: '0.00266', exceeds_threshold: true, unpriced_tokens: [] })
    expect(warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'source_failed',
        venue: 'coingecko',
        message: 'Price source coingecko failed: rate limited',
      },
    ])
  })

  it('lists every dust token as unpriced when the only price source fails, never as worth 0, and calls the snapshot incomplete', async () => {
    const { json, warnings } = await scan({ override: () => ({ priceSources: [createFailingPriceSource('coingecko', 'rate limited')] }) })
    expect(json).toMatchObject({ total_dust_value: '0', dust_tokens: [], exceeds_threshold: false, incomplete_equity: { failed_sources: ['coingecko'], unpriced_holdings: [] } })
    expect(json.unpriced_tokens.map((token) => `${token.token} ${token.amount} ${token.venue}`)).toEqual(['EIGEN 1500 etherfi', 'EIGEN 20 wallet', 'ETHFI 800 wallet'])
    expect(warnings.map((warning) => warning.code)).toEqual(['source_failed', 'unpriced_token', 'unpriced_token', 'unpriced_token', 'incomplete_equity'])
  })

  it('fails the scan when the equity source fails: no ratio can be known', async () => {
    await expect(scan({ override: () => ({ equitySource: createFailingEquitySource('The equity API is down.') }) })).rejects.toThrow('The equity API is down.')
  })

  it('values holdings equity in USDT, weETH through weETH/ETH and ETH/USDT, WETH as ETH and not as dust', async () => {
    const { json, warnings } = await scan({
      edit: (config) => {
        config.equity = { type: 'holdings' }
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', USDT: '5000', weETH: '100', WETH: '3' } }
        config.prices = [
          { type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500' } },
          { type: 'static', name: 'weeth_rate', quote: 'ETH', prices: { weETH: '1.05' } },
        ]
      },
    })
    // 5,000 USDT + 100 weETH × 1.05 ETH × 2,500 (262,500) + 3 WETH × 2,500 (7,500) + 1,520 EIGEN × 1.25 (1,900) + 800 ETHFI × 0.95 (760).
    expect(json.equity).toBe('277660')
    expect(json.total_dust_value).toBe('2660')
    // 2,660 / 277,660 = 133 / 13,883, written with 18 decimals rounded down.
    expect(json.dust_ratio).toBe('0.009580061946265216')
    expect(json.exceeds_threshold).toBe(true)
    expect(json.dust_tokens.map((token) => token.token)).toEqual(['EIGEN', 'EIGEN', 'ETHFI'])
    expect(warnings).toEqual([])
  })

  it('warns of a non-dust holding that holdings equity cannot price, leaves it out of equity and calls the snapshot incomplete', async () => {
    const { json, warnings } = await scan({
      edit: (config) => {
        config.equity = { type: 'holdings' }
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', weETH: '100' } }
      },
    })
    // No weETH price: equity would be the dust alone, 1,875 + 25 + 760, a ratio of 1, which no one should act on.
    expect(json).toMatchObject({ equity: '2660', dust_ratio: '1', exceeds_threshold: false, incomplete_equity: { failed_sources: [], unpriced_holdings: ['weETH'] } })
    expect(warnings).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'unpriced_token',
        token: 'weETH',
        message: 'weETH has no price in USDT; it is left out of equity.',
      },
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'incomplete_equity',
        message: 'The equity and dust of usdt_test are incomplete (weETH held without a price): nothing is planned or converted until every source answers.',
        figures: { failed_sources: '', unpriced_holdings: 'weETH' },
      },
    ])
  })

  it('keeps the snapshot complete when a price source fails but every holding is still priced', async () => {
    const { json, failedPriceSources } = await scan({
      edit: (config) => {
        config.equity = { type: 'holdings' }
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', USDT: '5000' } }
      },
      override: (strategy) => ({ priceSources: [...strategy.priceSources, createFailingPriceSource('coingecko', 'rate limited')] }),
    })
    expect(failedPriceSources).toEqual(['coingecko'])
    expect(json.incomplete_equity).toBeUndefined()
    expect(json).toMatchObject({ equity: '7660', total_dust_value: '2660' })
  })

  it('keeps ignored tokens out of dust, even with a price', async () => {
    const { json, warnings } = await scan({
      edit: (config) => {
        addToken(config, 'SPAM')
        config.ignore_tokens = ['SPAM']
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', SPAM: '1000000' } }
        config.prices = [{ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500', SPAM: '1' } }]
      },
    })
    expect(json.total_dust_value).toBe('2660')
    expect(json.dust_tokens.map((token) => token.token)).toEqual(['EIGEN', 'EIGEN', 'ETHFI'])
    expect(json.unpriced_tokens).toEqual([])
    expect(warnings).toEqual([])
  })

  it('calls a brand new reward token dust without any list naming it', async () => {
    const { json } = await scan({
      edit: (config) => {
        addToken(config, 'NEWREWARD', 8)
        config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', NEWREWARD: '100' } }
        config.prices = [{ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500', NEWREWARD: '2.5' } }]
      },
    })
    expect(json.dust_tokens.at(-1)).toEqual({ token: 'NEWREWARD', amount: '100', value: '250', venue: 'wallet', source: 'wallet_balance' })
    expect(json).toMatchObject({ total_dust_value: '2910', dust_ratio: '0.00291', exceeds_threshold: true })
  })

  describe('hysteresis (dust_hysteresis 0.1: re-arms under 0.9 × 0.002 = 0.0018)', () => {
    const eigenOnly = (eigen: string) => (config: TestConfigInput) => {
      config.venues.etherfi = { type: 'static', source: 'claimable_rewards', balances: {} }
      config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: eigen } }
    }

    it('keeps exceeding at 0.0019 (between 0.9 × delta and delta) once exceeded, and not before', async () => {
      // 1,520 EIGEN × 1.25 = 1,900 USDT: a ratio of 0.0019.
      expect((await scan({ edit: eigenOnly('1520') })).json).toMatchObject({ dust_ratio: '0.0019', exceeds_threshold: false })
      expect((await scan({ edit: eigenOnly('1520'), previouslyExceeded: false })).json.exceeds_threshold).toBe(false)
      expect((await scan({ edit: eigenOnly('1520'), previouslyExceeded: true })).json.exceeds_threshold).toBe(true)
    })

    it('stops exceeding under 0.0018 even when exceeded before', async () => {
      // 1,432 EIGEN × 1.25 = 1,790 USDT: 0.00179.
      const { json } = await scan({ edit: eigenOnly('1432'), previouslyExceeded: true })
      expect(json).toMatchObject({ dust_ratio: '0.00179', exceeds_threshold: false })
    })

    it('follows dust_hysteresis from the config: 0 turns hysteresis off', async () => {
      const { json } = await scan({
        edit: (config) => {
          eigenOnly('1520')(config)
          config.dust_hysteresis = '0'
        },
        previouslyExceeded: true,
      })
      expect(json.exceeds_threshold).toBe(false)
    })
  })

  it('stamps the snapshot with the wall-clock time of the clock it is given', async () => {
    const clock = createFakeClock(1_800_000_000_000)
    const strategy = createTestStrategy({ clock })
    const { snapshot } = await scanStrategy({ clock, logger: createRecordingLogger() }, { strategy })
    expect(snapshot.timestamp).toBe(1_800_000_000_000)
  })
})
