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

describe('price checks', () => {
  it('drops a price older than max_price_age, with a warning: the token is unpriced until a fresh one comes', async () => {
    const clock = fixtureClock()
    const strategy = createTestStrategy({
      override: (base) => ({
        // The fixture's static source prices ETHFI and ETH; EIGEN comes only from an oracle 11 minutes old.
        priceSources: [base.priceSources[0] as PriceSource, eigenSource('oracle', '1.25', FIXED_TIME - 660_000)(base)],
        priceChecks: { maxAgeMs: 600_000, maxDeviationBps: 200 },
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
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('oracle', '1.25', FIXED_TIME - 600_000)(base)], priceChecks: { maxAgeMs: 600_000, maxDeviationBps: 200 } }),
    })
    const scan = await scanStrategy({ clock: fixtureClock(), logger: createRecordingLogger() }, { strategy })
    expect(scan.warnings.filter((warning) => warning.code === 'stale_price')).toEqual([])
  })

  it('refuses to convert a token whose sources disagree by more than max_price_deviation_bps, with the figures', async () => {
    const strategy = createTestStrategy({
      // The fixture prices EIGEN at 1.25 USDT (source static#0); a second source says 1.30: 400 bps apart.
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('binance_mid', '1.30', FIXED_TIME)(base)], priceChecks: { maxAgeMs: 600_000, maxDeviationBps: 200 } }),
    })
    const deps = { clock: fixtureClock(), logger: createRecordingLogger() }
    const scan = await scanStrategy(deps, { strategy })
    const { plan, warnings } = await planConversions(deps, { strategy, scan })
    const eigen = plan.skipped.find((skipped) => skipped.token === 'EIGEN')
    expect(eigen?.reason).toBe('price_deviation')
    expect(eigen?.detail).toBe(
      'Price sources disagree on EIGEN by 400 bps, more than max_price_deviation_bps (200): binance_mid 1.3 USDT, static#0 1.25 USDT. The conversion waits until they agree.',
    )
    expect(warnings.find((warning) => warning.code === 'price_deviation')?.figures).toEqual({ binance_mid: '1.3', 'static#0': '1.25' })
    // ETHFI, priced by one source only, is still planned.
    expect(plan.instructions.map((instruction) => instruction.token)).toEqual(['ETHFI'])
  })

  it('converts when the sources agree within the limit', async () => {
    const strategy = createTestStrategy({
      override: (base) => ({ priceSources: [...base.priceSources, eigenSource('binance_mid', '1.26', FIXED_TIME)(base)], priceChecks: { maxAgeMs: 600_000, maxDeviationBps: 200 } }),
    })
    const deps = { clock: fixtureClock(), logger: createRecordingLogger() }
    const { plan } = await planConversions(deps, { strategy, scan: await scanStrategy(deps, { strategy }) })
    expect(plan.skipped.filter((skipped) => skipped.reason === 'price_deviation')).toEqual([])
    expect(plan.instructions.map((instruction) => instruction.token).sort()).toEqual(['EIGEN', 'ETHFI'])
  })
})
