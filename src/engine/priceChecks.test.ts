import { describe, expect, it } from 'vitest'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { FIXED_TIME, fixtureClock } from '../../test/fixtureMoney.js'
import { createTestStrategy, currencyOf } from '../../test/createTestStrategy.js'
import { Price } from '../domain/money/index.js'
import type { PriceSource } from '../ports/index.js'
import { planConversions } from './planConversions.js'
import { scanStrategy } from './scanStrategy.js'

/** A price source answering fixed EIGEN prices in USDT, observed at a given time. */
function eigenSource(name: string, text: string, at: number): (strategy: ReturnType<typeof createTestStrategy>) => PriceSource {
  return (strategy) => ({
    name,
    fetchPrices: async () => [Price.fromDecimal(currencyOf(strategy, 'EIGEN'), currencyOf(strategy, 'USDT'), text, { source: name, at })],
  })
}

/** The defaults of the schema: 600 s of age, 30 s of clock skew, 200 bps of disagreement. */
const CHECKS = { maxAgeMs: 600_000, maxClockSkewMs: 30_000, maxDeviationBps: 200 }

describe('price checks', () => {
  it('drops a price older than max_price_age, with a warning: the token is unpriced until a fresh one comes', async () => {
    const clock = fixtureClock()
    const strategy = createTestStrategy({
      override: (base) => ({
        // The fixture's static source prices ETHFI and ETH; EIGEN comes only from an oracle 11 minutes old.
        priceSources: [base.priceSources[0] as PriceSource, eigenSource('oracle', '1.25', FIXED_TIME - 660_000)(base)],
        priceChecks: CHECKS,
      }),
      edit: (config) => {
        const prices = (config.prices as Array<{ prices?: Record<string, string> }>)[0]?.prices
        if (prices) delete prices.EIGEN
      },
    })
    const logger = createRecordingLogger()
    const scan = await scanStrategy({ clock, logger }, { strategy })
    expect(scan.warnings.find((warning) => warning.code === 'stale_price')).toMatchObject({
      venue: 'oracle',
      token: 'EIGEN',
      message: 'The EIGEN/USDT price from oracle is 660 s old, older than max_price_age (600 s); it is not used.',
      figures: { age_seconds: '660', max_price_age_seconds: '600' },
    })
    expect(scan.snapshot.unpricedTokens.map((entry) => entry.token)).toContain('EIGEN')
  })

  it('keeps a price exactly max_price_age old', async () => {
    const strategy = createTestStrategy({
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('oracle', '1.25', FIXED_TIME - 600_000)(base)], priceChecks: CHECKS }),
    })
    const scan = await scanStrategy({ clock: fixtureClock(), logger: createRecordingLogger() }, { strategy })
    expect(scan.warnings.filter((warning) => warning.code === 'stale_price')).toEqual([])
  })

  it('refuses a price stamped more than max_price_clock_skew ahead of the clock, with its figures, and keeps one exactly that far ahead', async () => {
    // EIGEN comes only from an oracle whose clock runs fast; the fixture's static source prices ETHFI and ETH.
    const withOracle = (at: number) =>
      createTestStrategy({
        override: (base) => ({ priceSources: [base.priceSources[0] as PriceSource, eigenSource('oracle', '1.25', at)(base)], priceChecks: CHECKS }),
        edit: (config) => {
          const prices = (config.prices as Array<{ prices?: Record<string, string> }>)[0]?.prices
          if (prices) delete prices.EIGEN
        },
      })
    const deps = { clock: fixtureClock(), logger: createRecordingLogger() }

    const atSkew = await scanStrategy(deps, { strategy: withOracle(FIXED_TIME + 30_000) })
    expect(atSkew.warnings.filter((warning) => warning.code === 'future_price')).toEqual([])
    expect(atSkew.snapshot.dustTokens.map((token) => token.token)).toContain('EIGEN')

    const beyond = await scanStrategy(deps, { strategy: withOracle(FIXED_TIME + 30_001) })
    expect(beyond.warnings.filter((warning) => warning.code === 'future_price')).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_test',
        timestamp: FIXED_TIME,
        code: 'future_price',
        venue: 'oracle',
        token: 'EIGEN',
        message: 'The EIGEN/USDT price from oracle is stamped 30.001 s ahead of this clock, more than max_price_clock_skew (30 s); it is not used.',
        figures: { ahead_seconds: '30.001', max_price_clock_skew_seconds: '30', price_time: new Date(FIXED_TIME + 30_001).toISOString() },
      },
    ])
    // Refused, so EIGEN has no price: never "fresh forever", never worth 0.
    expect(beyond.snapshot.unpricedTokens.map((entry) => entry.token)).toEqual(['EIGEN', 'EIGEN'])
    expect(beyond.warnings.filter((warning) => warning.code === 'stale_price')).toEqual([])
    // A price from the far future is no fresher: a day ahead is refused just the same.
    const farAhead = await scanStrategy(deps, { strategy: withOracle(FIXED_TIME + 86_400_000) })
    expect(farAhead.warnings.find((warning) => warning.code === 'future_price')?.figures?.ahead_seconds).toBe('86400')
  })

  it('takes max_price_clock_skew from the configuration, 0 refusing any price ahead of the clock', async () => {
    const strategy = createTestStrategy({
      edit: (config) => void (config.max_price_clock_skew = 0),
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('oracle', '1.25', FIXED_TIME + 1)(base)] }),
    })
    expect(strategy.priceChecks?.maxClockSkewMs).toBe(0)
    const scan = await scanStrategy({ clock: fixtureClock(), logger: createRecordingLogger() }, { strategy })
    expect(scan.warnings.map((warning) => [warning.code, warning.figures?.ahead_seconds])).toEqual([['future_price', '0.001']])
  })

  it('refuses to convert a token whose sources disagree by more than max_price_deviation_bps, with the figures', async () => {
    const strategy = createTestStrategy({
      // The fixture prices EIGEN at 1.25 USDT (source static#0); a second source says 1.30: 400 bps apart.
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('binance_mid', '1.30', FIXED_TIME)(base)], priceChecks: CHECKS }),
    })
    const deps = { clock: fixtureClock(), logger: createRecordingLogger() }
    const scan = await scanStrategy(deps, { strategy })
    const { plan, warnings } = await planConversions(deps, { strategy, scan })
    const eigen = plan.skipped.find((skipped) => skipped.token === 'EIGEN')
    expect(eigen?.reason).toBe('price_deviation')
    expect(eigen?.detail).toBe('Price sources disagree on EIGEN by 400 bps, more than max_price_deviation_bps (200): binance_mid 1.3 USDT, static#0 1.25 USDT. The conversion waits until they agree.')
    expect(warnings.find((warning) => warning.code === 'price_deviation')?.figures).toEqual({ binance_mid: '1.3', 'static#0': '1.25' })
    // ETHFI, priced by one source only, is still planned.
    expect(plan.instructions.map((instruction) => instruction.token)).toEqual(['ETHFI'])
  })

  it('converts when the sources agree within the limit', async () => {
    const strategy = createTestStrategy({
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('binance_mid', '1.26', FIXED_TIME)(base)], priceChecks: CHECKS }),
    })
    const deps = { clock: fixtureClock(), logger: createRecordingLogger() }
    const { plan } = await planConversions(deps, { strategy, scan: await scanStrategy(deps, { strategy }) })
    expect(plan.skipped.filter((skipped) => skipped.reason === 'price_deviation')).toEqual([])
    expect(plan.instructions.map((instruction) => instruction.token).sort()).toEqual(['EIGEN', 'ETHFI'])
  })

  describe('a token priced only by the venue it would be sold on', () => {
    /** EIGEN priced by one source named after the binance venue (as a book's mid is); ETHFI and ETH by the fixture's static source. */
    const binanceOnly = (venues: 'binance' | 'both') =>
      createTestStrategy({
        edit: (config) => {
          const prices = (config.prices as Array<{ prices?: Record<string, string> }>)[0]?.prices
          if (prices) delete prices.EIGEN
          ;(config.prices as unknown[]).push({ type: 'static', name: 'binance', quote: 'USDT', prices: { EIGEN: '1.25' } })
          if (venues === 'binance') delete (config.venues as Record<string, unknown>).uniswap
        },
      })

    it('is valued, but not converted on that venue: no_independent_price, not unpriced', async () => {
      const strategy = binanceOnly('binance')
      const deps = { clock: fixtureClock(), logger: createRecordingLogger() }
      const scan = await scanStrategy(deps, { strategy })
      // Valued at 1.25 like before: 1,875 + 25 + 760.
      expect(scan.snapshot.unpricedTokens).toEqual([])
      expect(scan.snapshot.totalDustValue.toString()).toBe('2660 USDT')
      expect(scan.snapshot.exceedsThreshold).toBe(true)
      const { plan } = await planConversions(deps, { strategy, scan })
      const eigen = plan.skipped.find((skipped) => skipped.token === 'EIGEN')
      expect(eigen?.reason).toBe('no_independent_price')
      expect(eigen?.detail).toBe("EIGEN is priced in USDT only by binance, the route's own venue, so the slippage floor cannot be set independently; a price source other than binance is needed.")
      expect(plan.skipped.filter((skipped) => skipped.reason === 'unpriced')).toEqual([])
      expect(plan.instructions.map((instruction) => instruction.token)).toEqual(['ETHFI'])
    })

    it('is converted on another venue, whose quote that price checks', async () => {
      const strategy = binanceOnly('both')
      const deps = { clock: fixtureClock(), logger: createRecordingLogger() }
      const { plan } = await planConversions(deps, { strategy, scan: await scanStrategy(deps, { strategy }) })
      const eigen = plan.instructions.find((instruction) => instruction.token === 'EIGEN')
      expect(eigen?.venue).toBe('uniswap')
      expect(eigen?.alternatives.filter((candidate) => candidate.venue === 'binance').map((candidate) => candidate.rejection?.reason)).toEqual(['no_independent_price'])
    })
  })
})
