import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTestStrategy, type CreateTestStrategyParameters, currencyOf, type TestConfigInput } from '../../test/createTestStrategy.js'
import { createFailingBalanceSource, createFakeClock, createRecordingLogger, createThrowingVenue } from '../../test/fakePorts.js'
import { FIXED_TIME } from '../../test/fixtureMoney.js'
import { createStaticBalanceSource } from '../adapters/static/createStaticBalanceSource.js'
import { Amount, Fraction, Price, sumAmounts } from '../domain/money/index.js'
import { type DustConversionInstruction, type RouteCandidate, serializeInstruction, serializeSkipped } from '../domain/planning/ConversionPlan.js'
import type { GasPriceSource } from '../ports/index.js'
import { inFlightKey, planConversions } from './planConversions.js'
import { scanStrategy } from './scanStrategy.js'
import type { Strategy } from './Strategy.js'

type PlanParameters = CreateTestStrategyParameters & { inFlight?: ReadonlySet<string>; ignoreThreshold?: boolean }

async function planWith(strategy: Strategy, parameters: Omit<PlanParameters, 'edit' | 'override'> = {}) {
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const scan = await scanStrategy({ clock, logger }, { strategy })
  const result = await planConversions({ logger }, { strategy, scan, inFlight: parameters.inFlight, ignoreThreshold: parameters.ignoreThreshold })
  return { ...result, logger, instructions: result.plan.instructions, skipped: result.plan.skipped }
}

function plan(parameters: PlanParameters = {}) {
  return planWith(createTestStrategy({ ...parameters, clock: createFakeClock() }), parameters)
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1)
  return items[0] as T
}

/** The route an instruction or skip was decided on, in words and decimal strings. */
function summary(instruction: DustConversionInstruction) {
  const json = serializeInstruction(instruction)
  return {
    token: json.token,
    amount: json.amount,
    venue: json.venue,
    conversion_path: json.conversion_path,
    estimated_output: json.estimated_output,
    estimated_fees: json.estimated_fees,
    min_output: json.min_output,
    net_output: json.net_output,
    residual: json.residual,
  }
}

const wallet = (balances: Record<string, string>) => (config: TestConfigInput) => {
  config.venues.etherfi = { type: 'static', source: 'claimable_rewards', balances: {} }
  config.venues.wallet = { type: 'static', source: 'wallet_balance', balances }
}

describe('planConversions', () => {
  it("plans the issue's example on binance, the preferred venue that also nets the most", async () => {
    const { instructions, skipped, warnings } = await plan()
    expect(skipped).toEqual([])
    expect(warnings).toEqual([])
    expect(instructions.map(summary)).toEqual([
      {
        token: 'EIGEN',
        amount: '1520',
        venue: 'binance',
        conversion_path: ['EIGEN', 'USDT'],
        // 1,000 × 1.249 + 520 × 1.247 = 1,897.44 less the 10 bps taker fee (1.89744).
        estimated_output: '1895.54256',
        // The taker fee plus gas of a claim and a transfer: 155,000 × 2.5 gwei × 2,500 = 0.96875.
        estimated_fees: '2.86619',
        // 1,520 × 1.25 = 1,900 at the static price, less 1.89744 of fees = 1,898.10256, × 0.995 = 1,888.6120472, up to 1,888.612048:
        // over the quote less 50 bps (1,895.54256 × 0.995 = 1,886.0648472, up to 1,886.064848).
        min_output: '1888.612048',
        net_output: '1894.57381',
        residual: '0',
      },
      {
        token: 'ETHFI',
        amount: '800',
        venue: 'binance',
        conversion_path: ['ETHFI', 'USDT'],
        // 500 × 0.949 + 300 × 0.948 = 758.9 less 0.7589; gas of a transfer is 0.40625.
        estimated_output: '758.1411',
        estimated_fees: '1.16515',
        // 800 × 0.95 = 760, less 0.7589 = 759.2411, × 0.995 = 755.4448945, up to 755.444895 (758.1411 × 0.995 = 754.3503945 is lower).
        min_output: '755.444895',
        net_output: '757.73485',
        residual: '0',
      },
    ])
    const [eigen] = instructions
    expect(eigen?.reason).toBe('Preferred route binance EIGEN→USDT nets 1894.57381 USDT; no route nets more.')
    expect(eigen?.targetCurrency).toBe('USDT')
    expect(eigen?.conversionId).toBe(`usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`)
    // The uniswap route is kept as the alternative, with its exact V2 output (two hops, 30 bps each).
    expect(eigen?.alternatives.map((candidate) => [candidate.venue, candidate.path.join('→'), candidate.estimatedOutput.toDecimalString(), candidate.netOutput.toDecimalString()])).toEqual([
      ['uniswap', 'EIGEN→WETH→USDT', '1880.781157', '1878.312407'],
    ])
  })

  it('plans nothing on an incomplete snapshot, not even with ignoreThreshold: every token is skipped as incomplete_equity', async () => {
    const { instructions, skipped } = await plan({
      ignoreThreshold: true,
      override: (strategy) => ({ balanceSources: [...strategy.balanceSources, createFailingBalanceSource('okx', 'API key revoked')] }),
    })
    expect(instructions).toEqual([])
    expect(skipped.map((skip) => [skip.token, skip.amount?.toString(), skip.reason, skip.detail])).toEqual([
      ['EIGEN', '1520 EIGEN', 'incomplete_equity', 'The equity and dust of usdt_test are incomplete (okx failed); nothing is converted until every source answers.'],
      ['ETHFI', '800 ETHFI', 'incomplete_equity', 'The equity and dust of usdt_test are incomplete (okx failed); nothing is converted until every source answers.'],
    ])
  })

  it('chooses the route that nets more over the preferred one, and says why naming both', async () => {
    const { instructions } = await plan({
      edit: (config) => {
        config.dust_conversion_venue = 'uniswap'
        config.dust_conversion_path = ['EIGEN', 'WETH', 'USDT']
      },
    })
    expect(instructions.map((instruction) => [instruction.token, instruction.venue, instruction.reason])).toEqual([
      ['EIGEN', 'binance', 'binance EIGEN→USDT nets 1894.57381 USDT, 16.261403 USDT more than the preferred uniswap EIGEN→WETH→USDT (1878.312407 USDT).'],
      ['ETHFI', 'binance', 'binance ETHFI→USDT nets 757.73485 USDT, 5.51119 USDT more than the preferred uniswap ETHFI→WETH→USDT (752.22366 USDT).'],
    ])
  })

  it('keeps the preferred route when it nets as much as the best', async () => {
    // Without binance's transfer gas, uniswap is the only venue and the preference is met.
    const { instructions } = await plan({
      edit: (config) => {
        delete config.venues.binance
        config.dust_conversion_venue = 'uniswap'
        config.dust_conversion_path = ['EIGEN', 'WETH', 'USDT']
      },
    })
    expect(instructions.map((instruction) => instruction.reason)).toEqual([
      'Preferred route uniswap EIGEN→WETH→USDT nets 1878.312407 USDT; no route nets more.',
      'Preferred route uniswap ETHFI→WETH→USDT nets 752.22366 USDT; no route nets more.',
    ])
  })

  it('keeps the preferred route on a tie, though the tie-break of the ranking would pick the other', async () => {
    const { instructions } = await plan({
      edit: (config) => {
        // okx is binance's twin, and ranks after it by name; it is the preferred venue.
        config.venues.okx = { ...(config.venues.binance as NonNullable<TestConfigInput['venues']['binance']>) }
        config.dust_conversion_venue = 'okx'
      },
    })
    expect(instructions.map((instruction) => [instruction.venue, instruction.reason])).toEqual([
      ['okx', 'Preferred route okx EIGEN→USDT nets 1894.57381 USDT; no route nets more.'],
      ['okx', 'Preferred route okx ETHFI→USDT nets 757.73485 USDT; no route nets more.'],
    ])
    expect(instructions[0]?.alternatives.map((candidate) => [candidate.venue, candidate.netOutput.toDecimalString()])).toEqual([
      ['binance', '1894.57381'],
      ['uniswap', '1878.312407'],
    ])
  })

  it('claims first and sells claimable and wallet EIGEN together: 1,500 + 20 in one sale of 1,520', async () => {
    const { instructions } = await plan()
    const eigen = instructions[0] as DustConversionInstruction
    expect(instructions.filter((instruction) => instruction.token === 'EIGEN')).toHaveLength(1)
    expect(eigen.sources.map((source) => `${source.amount.toString()} ${source.venue} ${source.source}`)).toEqual(['1500 EIGEN etherfi claimable_rewards', '20 EIGEN wallet wallet_balance'])
    expect(serializeInstruction(eigen).steps).toEqual([
      { kind: 'claim', venue: 'etherfi', token: 'EIGEN', amount: '1500' },
      { kind: 'transfer', to: 'binance', token: 'EIGEN', amount: '1520' },
      // (1,900 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
      { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT'], amount_in: '1520', min_output: '1888.612048' },
    ])
    // The DEX alternative claims, approves, then swaps.
    expect(eigen.alternatives[0]?.steps.map((step) => step.kind)).toEqual(['claim', 'approve', 'swap'])
  })

  describe('reasons not to convert', () => {
    it('skips every token below_threshold when the ratio does not exceed dust_delta', async () => {
      const { instructions, skipped } = await plan({ edit: (config) => void (config.equity = { type: 'static', value: '10000000' }) })
      expect(instructions).toEqual([])
      expect(skipped.map(serializeSkipped)).toEqual([
        {
          token: 'EIGEN',
          custody: { kind: 'onchain', chain: 'ethereum' },
          amount: '1520',
          reason: 'below_threshold',
          detail: 'The dust ratio 0.000266 does not exceed dust_delta 0.002.',
        },
        {
          token: 'ETHFI',
          custody: { kind: 'onchain', chain: 'ethereum' },
          amount: '800',
          reason: 'below_threshold',
          detail: 'The dust ratio 0.000266 does not exceed dust_delta 0.002.',
        },
      ])
    })

    it('plans below the threshold when asked what it would do (ignoreThreshold)', async () => {
      const { instructions } = await plan({ edit: (config) => void (config.equity = { type: 'static', value: '10000000' }), ignoreThreshold: true })
      expect(instructions.map((instruction) => `${instruction.token} ${instruction.amount.toDecimalString()}`)).toEqual(['EIGEN 1520', 'ETHFI 800'])
    })

    it('skips a token with convert: false as disabled, and plans the others', async () => {
      const { instructions, skipped } = await plan({ edit: (config) => void (config.dust_tokens = { ETHFI: { convert: false } }) })
      expect(instructions.map((instruction) => instruction.token)).toEqual(['EIGEN'])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([['ETHFI', 'disabled', 'ETHFI has convert: false in dust_tokens.']])
    })

    it('skips a token whose conversion is in flight', async () => {
      const inFlight = new Set([inFlightKey('usdt_test', 'EIGEN', { kind: 'onchain', chain: 'ethereum' })])
      expect([...inFlight]).toEqual(['usdt_test:EIGEN:onchain:ethereum'])
      const { instructions, skipped } = await plan({ inFlight })
      expect(instructions.map((instruction) => instruction.token)).toEqual(['ETHFI'])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail, skip.amount?.toDecimalString()])).toEqual([
        ['EIGEN', 'in_flight', 'A conversion of EIGEN held onchain:ethereum is under way.', '1520'],
      ])
    })

    it('skips an unpriced token, before anything else', async () => {
      const { instructions, skipped } = await plan({
        edit: (config) => {
          config.tokens.push({ symbol: 'ZRO', decimals: 18, address: '0x6985884C4392D348587B19cb9eAAf157F13271cd' })
          config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', ZRO: '42.5' } }
          config.dust_tokens = { ZRO: { convert: false } }
        },
      })
      expect(instructions.map((instruction) => instruction.token)).toEqual(['EIGEN', 'ETHFI'])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail, skip.amount?.toDecimalString()])).toEqual([
        ['ZRO', 'unpriced', 'ZRO has no price in USDT; it is not converted until it has one.', '42.5'],
      ])
    })

    it('skips a priced token that no venue trades as no_route', async () => {
      const { skipped } = await plan({
        edit: (config) => {
          config.tokens.push({ symbol: 'ZRO', decimals: 18, address: '0x6985884C4392D348587B19cb9eAAf157F13271cd' })
          config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800', ZRO: '42.5' } }
          config.prices = [{ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500', ZRO: '4' } }]
        },
      })
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([['ZRO', 'no_route', 'No venue trades a path of at most 2 hops from ZRO to USDT.']])
    })

    it('skips an order worth more than min_notional but less than min_notional plus the 1% buffer as below_venue_minimum', async () => {
      const binanceOnly = (eigen: string) => (config: TestConfigInput) => {
        wallet({ EIGEN: eigen })(config)
        delete config.venues.uniswap
        config.equity = { type: 'static', value: '1000' }
      }
      // 4.02 × 1.249 = 5.02098 USDT: over the raw minimum of 5, under 5 × 1.01 = 5.05.
      const under = await plan({ edit: binanceOnly('4.02') })
      expect(under.instructions).toEqual([])
      const skip = only(under.skipped)
      expect([skip.token, skip.reason, skip.detail]).toEqual([
        'EIGEN',
        'below_venue_minimum',
        'EIGEN/USDT on binance: the order is worth 5.02098 USDT, under the minimum 5 USDT plus the 100 bps safety buffer (5.05 USDT).',
      ])
      expect(skip.alternatives?.map((candidate) => candidate.rejection?.reason)).toEqual(['below_venue_minimum'])
      // 4.05 × 1.249 = 5.05845 USDT clears the buffer.
      const over = await plan({ edit: binanceOnly('4.05') })
      expect(over.skipped).toEqual([])
      expect(only(over.instructions).amount.toDecimalString()).toBe('4.05')
    })

    it('skips dust whose gas costs more than it yields as net_output_not_positive', async () => {
      const { instructions, skipped } = await plan({
        edit: (config) => {
          wallet({ EIGEN: '10' })(config)
          config.equity = { type: 'static', value: '1000' }
          config.gas_price = { ethereum: { type: 'static', gwei: '1000' } }
        },
      })
      expect(instructions).toEqual([])
      const skip = only(skipped)
      // The closest route: binance pays 12.47751 USDT, the transfer costs 65,000 × 1,000 gwei × 2,500 = 162.5 USDT.
      expect([skip.token, skip.reason, skip.detail]).toEqual(['EIGEN', 'net_output_not_positive', 'Selling 10 EIGEN on binance yields 12.47751 USDT but costs 162.5 USDT in gas: nothing is gained.'])
      expect(skip.alternatives?.map((candidate) => [candidate.venue, candidate.rejection?.reason, candidate.netOutput.toDecimalString()])).toEqual([
        ['binance', 'net_output_not_positive', '-150.02249'],
        ['uniswap', 'net_output_not_positive', expect.stringMatching(/^-7\d\d\.\d+$/)],
      ])
    })

    it('skips tokens held on an exchange when only a DEX is configured as custody_unreachable', async () => {
      const { instructions, skipped } = await plan({
        edit: (config) => {
          config.venues = {
            okx: { type: 'static', source: 'exchange_balance', exchange: 'okx', balances: { EIGEN: '1520' } },
            uniswap: config.venues.uniswap as NonNullable<TestConfigInput['venues']['uniswap']>,
          }
          config.equity = { type: 'static', value: '100000' }
        },
      })
      expect(instructions).toEqual([])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail, skip.custody])).toEqual([
        ['EIGEN', 'custody_unreachable', 'uniswap: the tokens are on okx; moving them to uniswap would need a withdrawal, which is not planned', { kind: 'exchange', exchange: 'okx' }],
      ])
    })

    it('sells tokens held on an exchange on that exchange, with no gas and no claim or transfer', async () => {
      const { instructions } = await plan({
        edit: (config) => {
          wallet({})(config)
          const binance = config.venues.binance
          if (binance?.type !== 'static_cex') throw new Error('test setup: binance is a static_cex venue')
          binance.balances = { ETHFI: '800' }
          config.equity = { type: 'static', value: '100000' }
        },
      })
      const ethfi = only(instructions)
      expect(summary(ethfi)).toMatchObject({ venue: 'binance', estimated_output: '758.1411', estimated_fees: '0.7589', net_output: '758.1411' })
      expect(ethfi.custody).toEqual({ kind: 'exchange', exchange: 'binance' })
      expect(ethfi.chosen.steps.map((step) => step.kind)).toEqual(['market_sell'])
      // Uniswap cannot take tokens sitting at binance.
      expect(ethfi.alternatives).toEqual([])
    })

    it('skips on-chain tokens on a chain no venue reaches as custody_unreachable, naming each venue', async () => {
      const { skipped } = await plan({
        edit: (config) => {
          config.venues.etherfi = { type: 'static', source: 'claimable_rewards', balances: {} }
          config.venues.wallet = { type: 'static', source: 'wallet_balance', chain: 'arbitrum', balances: { EIGEN: '1520' } }
        },
        ignoreThreshold: true,
      })
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
        ['EIGEN', 'custody_unreachable', 'binance: the tokens are on arbitrum; binance takes deposits on ethereum; uniswap: the tokens are on arbitrum; uniswap trades on ethereum'],
      ])
    })

    it('plans on the other venues when one venue throws, with a venue_failed warning per token', async () => {
      const { instructions, warnings, logger } = await plan({
        override: (strategy) => ({
          venues: [
            createThrowingVenue(
              'sushiswap',
              [
                [currencyOf(strategy, 'EIGEN'), currencyOf(strategy, 'USDT')],
                [currencyOf(strategy, 'ETHFI'), currencyOf(strategy, 'USDT')],
              ],
              'HTTP 503',
            ),
            ...strategy.venues,
          ],
        }),
      })
      expect(instructions.map((instruction) => `${instruction.token} ${instruction.venue}`)).toEqual(['EIGEN binance', 'ETHFI binance'])
      expect(warnings).toEqual([
        {
          event_type: 'dust_warning',
          strategy_mode: 'usdt_test',
          timestamp: FIXED_TIME,
          code: 'venue_failed',
          venue: 'sushiswap',
          token: 'EIGEN',
          message: 'Venue sushiswap could not quote EIGEN: HTTP 503',
        },
        {
          event_type: 'dust_warning',
          strategy_mode: 'usdt_test',
          timestamp: FIXED_TIME,
          code: 'venue_failed',
          venue: 'sushiswap',
          token: 'ETHFI',
          message: 'Venue sushiswap could not quote ETHFI: HTTP 503',
        },
      ])
      expect(logger.at('warn').map((entry) => entry.message)).toEqual(['Venue sushiswap could not quote EIGEN: HTTP 503', 'Venue sushiswap could not quote ETHFI: HTTP 503'])
    })

    it('skips a token as venue_unavailable when the only venue that trades it throws', async () => {
      const { instructions, skipped } = await plan({
        override: (strategy) => ({
          venues: [createThrowingVenue('sushiswap', [[currencyOf(strategy, 'EIGEN'), currencyOf(strategy, 'USDT')]], 'HTTP 503')],
        }),
      })
      expect(instructions).toEqual([])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
        ['EIGEN', 'venue_unavailable', 'sushiswap: unavailable (HTTP 503)'],
        // ETHFI has no path on sushiswap: nothing was asked of it.
        ['ETHFI', 'no_route', 'No venue trades a path of at most 2 hops from ETHFI to USDT.'],
      ])
    })

    it('words a venue failure that is not an Error', async () => {
      const { skipped, warnings } = await plan({
        override: (strategy) => ({
          venues: [
            {
              name: 'rfq',
              kind: 'cex',
              chain: 'ethereum',
              tradablePairs: async () => [[currencyOf(strategy, 'EIGEN'), currencyOf(strategy, 'USDT')] as const],
              quote: () => Promise.reject('maintenance'),
            },
          ],
        }),
      })
      expect(warnings.map((warning) => warning.message)).toEqual(['Venue rfq could not quote EIGEN: maintenance'])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
        ['EIGEN', 'venue_unavailable', 'rfq: unavailable (maintenance)'],
        ['ETHFI', 'no_route', 'No venue trades a path of at most 2 hops from ETHFI to USDT.'],
      ])
    })

    it("skips a route's quote failure with the venue's reason (insufficient liquidity)", async () => {
      const { skipped } = await plan({
        edit: (config) => {
          wallet({ ETHFI: '6000' })(config)
          delete config.venues.uniswap
        },
      })
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
        ['ETHFI', 'insufficient_liquidity', 'ETHFI/USDT on binance: The bids of ETHFI/USDT hold 5500 ETHFI in all, less than the 6000 ETHFI to sell.'],
      ])
    })

    it('rejects on-chain routes as gas_price_unavailable when the gas price source fails, with a warning', async () => {
      const failing: GasPriceSource = { chain: 'ethereum', fetchGasPrice: () => Promise.reject('RPC timeout') }
      const { instructions, skipped, warnings } = await plan({ override: () => ({ gasPrices: [failing] }) })
      expect(instructions).toEqual([])
      expect(skipped.map((skip) => [skip.token, skip.reason])).toEqual([
        ['EIGEN', 'gas_price_unavailable'],
        ['ETHFI', 'gas_price_unavailable'],
      ])
      // The chain is asked once per plan, and its failure reported once.
      expect(warnings).toEqual([
        {
          event_type: 'dust_warning',
          strategy_mode: 'usdt_test',
          timestamp: FIXED_TIME,
          code: 'source_failed',
          message: 'Gas price of ethereum failed: RPC timeout',
        },
      ])
    })

    it('rejects on-chain routes as gas_price_unavailable when the chain has no gas price source, and still sells exchange-held tokens', async () => {
      const { instructions, skipped, warnings } = await plan({
        edit: (config) => {
          config.gas_price = {}
          const binance = config.venues.binance
          if (binance?.type !== 'static_cex') throw new Error('test setup: binance is a static_cex venue')
          binance.balances = { ETHFI: '100' }
        },
      })
      expect(warnings).toEqual([])
      expect(skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
        ['EIGEN', 'gas_price_unavailable', 'The gas price of ethereum is unknown, so the cost of 155000 gas units cannot be known.'],
        ['ETHFI', 'gas_price_unavailable', 'The gas price of ethereum is unknown, so the cost of 65000 gas units cannot be known.'],
      ])
      // ETHFI already at binance needs no gas.
      expect(instructions.map((instruction) => `${instruction.token} ${instruction.amount.toDecimalString()} ${instruction.custody.kind}`)).toEqual(['ETHFI 100 exchange'])
    })
  })

  it('sells at most max_sell_per_run and leaves the rest as residual', async () => {
    const { instructions } = await plan({ edit: (config) => void (config.dust_tokens = { EIGEN: { max_sell_per_run: '1000' } }) })
    const eigen = instructions[0] as DustConversionInstruction
    expect(summary(eigen)).toMatchObject({ token: 'EIGEN', amount: '1000', venue: 'binance', estimated_output: '1247.751', residual: '520' })
    expect(serializeInstruction(eigen).steps).toEqual([
      { kind: 'claim', venue: 'etherfi', token: 'EIGEN', amount: '1500' },
      { kind: 'transfer', to: 'binance', token: 'EIGEN', amount: '1000' },
      // 1,000 × 1.25 = 1,250, less the 1.249 fee = 1,248.751, × 0.995 = 1,242.507245 (over 1,247.751 × 0.995 = 1,241.512245).
      { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT'], amount_in: '1000', min_output: '1242.507245' },
    ])
    expect(eigen.alternatives.map((candidate) => [candidate.amountIn.toDecimalString(), candidate.residual.toDecimalString()])).toEqual([['1000', '520']])
  })

  it('caps a token across its custodies: max_sell_per_run is what the whole run sells, the first custody found going first', async () => {
    const capped = (cap: string) => (config: TestConfigInput) => {
      wallet({ EIGEN: '600' })(config)
      const binance = config.venues.binance
      if (binance?.type !== 'static_cex') throw new Error('test setup: binance is a static_cex venue')
      binance.balances = { EIGEN: '700' }
      config.dust_tokens = { EIGEN: { max_sell_per_run: cap } }
    }
    // 1,000 between them: the wallet's 600 whole, then 400 of the 700 held on binance.
    const shared = await plan({ edit: capped('1000'), ignoreThreshold: true })
    expect(shared.skipped).toEqual([])
    expect(shared.instructions.map((instruction) => [instruction.custody.kind, instruction.amount.toDecimalString(), instruction.chosen.residual.toDecimalString()])).toEqual([
      ['onchain', '600', '0'],
      ['exchange', '400', '300'],
    ])
    // Every route of the second custody is priced on what the cap leaves.
    const second = shared.instructions[1] as DustConversionInstruction
    for (const candidate of [second.chosen, ...second.alternatives]) expect(candidate.amountIn.toDecimalString()).toBe('400')

    // 500: the wallet sells 500, and binance's EIGEN waits for the next run, with the reason.
    const usedUp = await plan({ edit: capped('500'), ignoreThreshold: true })
    expect(usedUp.instructions.map((instruction) => [instruction.custody.kind, instruction.amount.toDecimalString(), instruction.chosen.residual.toDecimalString()])).toEqual([
      ['onchain', '500', '100'],
    ])
    expect(usedUp.skipped.map(serializeSkipped)).toEqual([
      {
        token: 'EIGEN',
        custody: { kind: 'exchange', exchange: 'binance' },
        amount: '700',
        reason: 'max_sell_per_run_reached',
        detail: 'EIGEN has max_sell_per_run 500, and 500 held in other custodies is planned for sale this run; the rest waits for the next run.',
      },
    ])
  })

  it("rounds the sale down to the venue's amount step and leaves the remainder as residual", async () => {
    const { instructions } = await plan({ edit: (config) => void (config.venues.wallet = { type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800.05' } }) })
    const ethfi = instructions.find((instruction) => instruction.token === 'ETHFI') as DustConversionInstruction
    // ETHFI/USDT trades in steps of 0.1: 800.05 sells as 800, 0.05 stays.
    expect(summary(ethfi)).toMatchObject({ amount: '800', venue: 'binance', estimated_output: '758.1411', residual: '0.05' })
    // The pool takes every unit, so the DEX alternative has no residual.
    expect(ethfi.alternatives.map((candidate) => [candidate.venue, candidate.amountIn.toDecimalString(), candidate.residual.toDecimalString()])).toEqual([['uniswap', '800.05', '0']])
  })

  it('sets min_output to the higher of estimated_output and its value at independent prices less fees, each × (1 − max_slippage_bps / 10,000) rounded up, and rejects a route under it as slippage_above_limit', async () => {
    // The static prices are the fixture's only source, so they are independent of every venue.
    const perToken: Record<string, string> = { EIGEN: '1.25', ETHFI: '0.95' }
    const floors = (candidate: RouteCandidate, bps: bigint) => {
      const keep = new Fraction(10_000n - bps, 10_000n)
      const token = candidate.amountIn.currency
      const value = Price.fromDecimal(token, candidate.estimatedOutput.currency, perToken[token.symbol] as string, { source: 'static', at: FIXED_TIME }).quoteAmount(candidate.amountIn, 'down')
      // No route of a USDT share class leaves anything unspent.
      expect(candidate.leftovers).toEqual([])
      const fair = value.subtract(candidate.tradingFees)
      return { quoted: candidate.estimatedOutput.multiply(keep, 'up'), independent: fair.isPositive() ? fair.multiply(keep, 'up') : Amount.zero(fair.currency) }
    }
    const check = (candidates: readonly RouteCandidate[], bps: bigint) => {
      for (const candidate of candidates) {
        const { quoted, independent } = floors(candidate, bps)
        expect(candidate.minOutput.toString()).toBe(quoted.max(independent).toString())
        if (candidate.rejection === undefined) {
          expect(candidate.minOutput.raw <= candidate.estimatedOutput.raw).toBe(true)
        } else {
          expect(candidate.rejection.reason).toBe('slippage_above_limit')
          expect(independent.greaterThan(candidate.estimatedOutput)).toBe(true)
        }
      }
    }
    const routes = (instruction: DustConversionInstruction) => [instruction.chosen, ...instruction.alternatives]

    const defaults = await plan()
    // binance: EIGEN (1,520 × 1.25 − 1.89744) × 0.995 = 1,898.10256 × 0.995 = 1,888.6120472, up to 1,888.612048, over
    // 1,895.54256 × 0.995 = 1,886.064848; ETHFI (800 × 0.95 − 0.7589) × 0.995 = 759.2411 × 0.995 = 755.4448945, up to 755.444895,
    // over 758.1411 × 0.995 = 754.3503945, up to 754.350395.
    expect(defaults.instructions.map((instruction) => instruction.minOutput.toDecimalString())).toEqual(['1888.612048', '755.444895'])
    // uniswap: EIGEN fees 4.56 EIGEN × 1.25 = 5.7 and 0.002264580410656188 WETH × 2,500 = 5.66145102664047, up to 5.661452,
    // (1,900 − 11.361452) × 0.995 = 1,879.19535526, up to 1,879.195356, over 1,880.781157 × 0.995 = 1,871.377251215, up to 1,871.377252;
    // ETHFI fees 2.4 ETHFI × 0.95 = 2.28 and 0.000907815852152647 WETH × 2,500 = 2.2695396..., up to 2.26954,
    // (760 − 4.54954) × 0.995 = 751.6732077, up to 751.673208, over 754.12991 × 0.995 = 750.35926045, up to 750.359261.
    expect(defaults.instructions.map((instruction) => instruction.alternatives.map((candidate) => candidate.minOutput.toDecimalString()))).toEqual([['1879.195356'], ['751.673208']])
    for (const instruction of defaults.instructions) {
      check(routes(instruction), 50n)
      // Here the floor at independent prices is the higher of the two on every route.
      for (const candidate of routes(instruction)) {
        const { quoted, independent } = floors(candidate, 50n)
        expect(independent.greaterThan(quoted)).toBe(true)
        expect(candidate.minOutput.equals(independent)).toBe(true)
      }
    }

    const wide = await plan({ edit: (config) => void (config.execution = { max_slippage_bps: 300 }) })
    // 1,898.10256 × 0.97 = 1,841.1594832, up to 1,841.159484 (over 1,895.54256 × 0.97 = 1,838.676284);
    // 759.2411 × 0.97 = 736.463867 (over 758.1411 × 0.97 = 735.396867).
    expect(wide.instructions.map((instruction) => instruction.minOutput.toDecimalString())).toEqual(['1841.159484', '736.463867'])
    for (const instruction of wide.instructions) check(routes(instruction), 300n)

    // With no slippage allowed, the floor is the value less fees, which every route with any price impact misses.
    const none = await plan({ edit: (config) => void (config.execution = { max_slippage_bps: 0 }) })
    expect(none.instructions).toEqual([])
    expect(none.skipped.map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
      [
        'EIGEN',
        'slippage_above_limit',
        'binance gives 1895.54256 USDT for 1520 EIGEN, under the floor of 1898.10256 USDT: 0 bps under its value at prices from other sources (1900 USDT, less 1.89744 USDT of fees).',
      ],
      [
        'ETHFI',
        'slippage_above_limit',
        'binance gives 758.1411 USDT for 800 ETHFI, under the floor of 759.2411 USDT: 0 bps under its value at prices from other sources (760 USDT, less 0.7589 USDT of fees).',
      ],
    ])
    // uniswap's floors: 1,900 − 11.361452 = 1,888.638548 over 1,880.781157; 760 − 4.54954 = 755.45046 over 754.12991.
    expect(none.skipped.map((skip) => skip.alternatives?.map((candidate) => [candidate.venue, candidate.minOutput.toDecimalString()]))).toEqual([
      [
        ['binance', '1898.10256'],
        ['uniswap', '1888.638548'],
      ],
      [
        ['binance', '759.2411'],
        ['uniswap', '755.45046'],
      ],
    ])
    for (const skip of none.skipped) check(skip.alternatives ?? [], 0n)
  })

  it('never plans to sell more than the group holds, and accounts for every unit (property)', async () => {
    const base = createTestStrategy({ edit: (config) => void (config.dust_tokens = {}) })
    const EIGEN = currencyOf(base, 'EIGEN')
    const ETHFI = currencyOf(base, 'ETHFI')
    const custody = { kind: 'onchain', chain: 'ethereum' } as const
    // Up to 3,000 tokens, which the fixture's books and pools take within the slippage floor, or up to 10,000,000,
    // which they mostly cannot: both planned sales and rejected ones are drawn.
    const raw = fc.oneof(fc.bigInt({ min: 0n, max: 3n * 10n ** 21n }), fc.bigInt({ min: 0n, max: 10n ** 25n }))
    let planned = 0
    let slipped = 0
    await fc.assert(
      fc.asyncProperty(raw, raw, raw, fc.option(fc.bigInt({ min: 1n, max: 10n ** 24n }), { nil: undefined }), async (claimable, inWallet, ethfi, cap) => {
        const strategy: Strategy = {
          ...base,
          policy: { ...base.policy, tokenSettings: new Map(cap === undefined ? [] : [['EIGEN', { convert: true, maxSellPerRun: Amount.fromRaw(EIGEN, cap) }]]) },
          balanceSources: [
            createStaticBalanceSource({ name: 'etherfi', source: 'claimable_rewards', custody, balances: [Amount.fromRaw(EIGEN, claimable)] }),
            createStaticBalanceSource({ name: 'wallet', source: 'wallet_balance', custody, balances: [Amount.fromRaw(EIGEN, inWallet), Amount.fromRaw(ETHFI, ethfi)] }),
          ],
        }
        const held = new Map([
          ['EIGEN', claimable + inWallet],
          ['ETHFI', ethfi],
        ])
        const { instructions, skipped } = await planWith(strategy, { ignoreThreshold: true })
        planned += instructions.length
        for (const instruction of instructions) {
          const total = held.get(instruction.token) as bigint
          expect(
            sumAmounts(
              instruction.amount.currency,
              instruction.sources.map((source) => source.amount),
            ).raw,
          ).toBe(total)
          expect(instruction.amount.raw > 0n).toBe(true)
          expect(instruction.amount.raw <= total).toBe(true)
          if (instruction.token === 'EIGEN' && cap !== undefined) expect(instruction.amount.raw <= cap).toBe(true)
          for (const candidate of [instruction.chosen, ...instruction.alternatives]) {
            expect(candidate.amountIn.raw + candidate.residual.raw).toBe(total)
            expect(candidate.residual.raw >= 0n).toBe(true)
          }
          expect(instruction.chosen.rejection).toBeUndefined()
          expect(instruction.netOutput.isPositive()).toBe(true)
        }
        // A route that can be used never promises less than its floor; one under its floor is rejected for it.
        const candidates = [...instructions.flatMap((instruction) => [instruction.chosen, ...instruction.alternatives]), ...skipped.flatMap((skip) => skip.alternatives ?? [])]
        for (const candidate of candidates) {
          if (candidate.rejection === undefined) expect(candidate.minOutput.raw <= candidate.estimatedOutput.raw).toBe(true)
          if (candidate.rejection?.reason === 'slippage_above_limit') {
            expect(candidate.minOutput.raw > candidate.estimatedOutput.raw).toBe(true)
            slipped += 1
          }
        }
        // Every token held is either planned or skipped with its reason, exactly once.
        const decided = [...instructions.map((instruction) => instruction.token), ...skipped.map((skip) => skip.token)].sort()
        expect(decided).toEqual([...held].filter(([, total]) => total > 0n).map(([token]) => token))
        for (const skip of skipped) expect(skip.amount?.raw).toBe(held.get(skip.token))
      }),
      { numRuns: 150 },
    )
    // The property is not vacuous: many runs did plan sales, and some routes fell under their floor.
    expect(planned).toBeGreaterThan(50)
    expect(slipped).toBeGreaterThan(0)
  })

  it('plans the same on every cycle, and the same with venues that answer only by promise', async () => {
    const strategy = createTestStrategy({ clock: createFakeClock() })
    const first = await planWith(strategy, { ignoreThreshold: true })
    // The static venues list the same frozen pairs on every cycle; nothing of one plan leaks into the next.
    const second = await planWith(strategy, { ignoreThreshold: true })
    expect(second.plan).toStrictEqual(first.plan)
    expect(first.instructions.length).toBeGreaterThan(0)
    const byPromise = { ...strategy, venues: strategy.venues.map((venue) => ({ ...venue, quoteSync: undefined, tradablePairsSync: undefined })) }
    const third = await planWith(byPromise, { ignoreThreshold: true })
    expect(third.plan).toStrictEqual(first.plan)
    expect(third.warnings).toStrictEqual(first.warnings)
  })
})
