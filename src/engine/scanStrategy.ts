import { type DustPolicy, type DustSnapshot, type Holding, type IncompleteEquity, classifyToken, describeIncompleteEquity, detectDust } from '../domain/dust/index.js'
import type { DustWarningRaised } from '../domain/events.js'
import { type Currency, type Price, type PriceBook, createPriceBook, formatScaled } from '../domain/money/index.js'
import { SourceError } from '../errors/index.js'
import type { Clock, Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'

export type ScanStrategyParameters = {
  strategy: Strategy
  /** Whether the previous snapshot exceeded the threshold (hysteresis). */
  previouslyExceeded?: boolean | undefined
}

export type ScanStrategyReturnType = {
  snapshot: DustSnapshot
  /** Every holding found, dust or not, but those only listed (`held`). */
  holdings: Holding[]
  /** Holdings a source only lists (a token nobody listed, rewards whose proofs lag): each is a warning, and none is valued or planned. */
  heldHoldings: Holding[]
  priceBook: PriceBook
  warnings: DustWarningRaised[]
  /** Balance sources that did not answer: their holdings are missing from the snapshot. */
  failedSources: string[]
  /** Price sources that did not answer. */
  failedPriceSources: string[]
}

/** The policy's equivalent symbols (WETH counted as ETH) as currency pairs of the registry; a pair with an unknown symbol is left out. */
export function equivalentCurrencies(policy: Pick<DustPolicy, 'equivalents'>, registry: ReadonlyMap<string, Currency>): Array<readonly [Currency, Currency]> {
  const pairs: Array<readonly [Currency, Currency]> = []
  for (const [from, to] of policy.equivalents) {
    const a = registry.get(from)
    const b = registry.get(to)
    if (a && b) pairs.push([a, b])
  }
  return pairs
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Writes milliseconds as seconds to the millisecond (`30.001`); a source's fraction of a millisecond is rounded. */
function seconds(ms: number): string {
  return formatScaled(BigInt(Math.round(ms)), 3)
}

/**
 * Reads every balance and price source of a strategy, then its equity, and measures its dust.
 *
 * A price stamped more than `max_price_age` ago, or more than `max_price_clock_skew` ahead of
 * this clock, is not used (warnings `stale_price`, `future_price`). A balance or price source
 * that fails is reported as a warning (`source_failed`) and the scan goes on with the others,
 * but the snapshot is then `incomplete` (warning `incomplete_equity`) when what is missing may
 * change equity or dust: a balance source failed, or a price source failed while a holding is
 * left without a price, or equity from holdings could not value a holding that is not dust.
 * Nothing is decided on an incomplete snapshot. When no balance source answers, or the equity
 * source fails, the scan fails: no figure could be given at all.
 */
export async function scanStrategy(deps: { clock: Clock; logger: Logger }, parameters: ScanStrategyParameters): Promise<ScanStrategyReturnType> {
  const { strategy } = parameters
  const { policy } = strategy
  const timestamp = deps.clock.now()
  const warnings: DustWarningRaised[] = []
  const warn = (warning: Omit<DustWarningRaised, 'event_type' | 'strategy_mode' | 'timestamp'>) => {
    warnings.push({ event_type: 'dust_warning', strategy_mode: policy.mode, timestamp, ...warning })
    deps.logger.warn({ strategy: policy.mode, code: warning.code, venue: warning.venue, token: warning.token }, warning.message)
  }

  const [balanceResults, priceResults] = await Promise.all([
    Promise.allSettled(strategy.balanceSources.map((source) => source.fetchHoldings())),
    Promise.allSettled(strategy.priceSources.map((source) => source.fetchPrices())),
  ])
  const holdings: Holding[] = []
  const heldHoldings: Holding[] = []
  const failedSources: string[] = []
  const failures: string[] = []
  balanceResults.forEach((result, index) => {
    const source = strategy.balanceSources[index]
    if (!source) return
    if (result.status === 'fulfilled') {
      for (const holding of result.value) (holding.held ? heldHoldings : holdings).push(holding)
    } else {
      failedSources.push(source.name)
      failures.push(`${source.name}: ${describeError(result.reason)}`)
      warn({ code: 'source_failed', venue: source.name, message: `Balance source ${source.name} failed: ${describeError(result.reason)}` })
    }
  })
  if (strategy.balanceSources.length > 0 && failedSources.length === strategy.balanceSources.length) {
    // Equity 0 and no dust would read as a valid answer: with no holding known, there is none to give.
    throw new SourceError(failedSources.join(', '), `No balance source of ${policy.mode} answered, so neither its dust nor its equity can be known: ${failures.join('; ')}`, {
      code: 'all_sources_failed',
      details: `Expected at least one of ${failedSources.length} balance source(s) to answer; every one failed.`,
    })
  }
  for (const { held, venue, amount } of heldHoldings) {
    if (held)
      warn({
        code: held.code,
        venue,
        token: amount.currency.symbol,
        message: held.detail,
        figures: { amount: amount.toString(), ...(amount.currency.address ? { address: amount.currency.address } : {}) },
      })
  }
  const checks = strategy.priceChecks
  const usable = (price: Price): boolean => {
    if (!checks) return true
    const age = timestamp - price.origin.at
    const pair = `${price.base.symbol}/${price.quote.symbol}`
    if (-age > checks.maxClockSkewMs) {
      warn({
        code: 'future_price',
        venue: price.origin.source,
        token: price.base.symbol,
        message: `The ${pair} price from ${price.origin.source} is stamped ${seconds(-age)} s ahead of this clock, more than max_price_clock_skew (${seconds(checks.maxClockSkewMs)} s); it is not used.`,
        figures: { ahead_seconds: seconds(-age), max_price_clock_skew_seconds: seconds(checks.maxClockSkewMs), price_time: new Date(price.origin.at).toISOString() },
      })
      return false
    }
    if (age > checks.maxAgeMs) {
      warn({
        code: 'stale_price',
        venue: price.origin.source,
        token: price.base.symbol,
        message: `The ${pair} price from ${price.origin.source} is ${Math.floor(age / 1000)} s old, older than max_price_age (${checks.maxAgeMs / 1000} s); it is not used.`,
        figures: { age_seconds: String(Math.floor(age / 1000)), max_price_age_seconds: String(checks.maxAgeMs / 1000) },
      })
      return false
    }
    return true
  }
  const failedPriceSources: string[] = []
  const prices = priceResults.flatMap((result, index) => {
    if (result.status === 'fulfilled') return result.value.filter(usable)
    const name = strategy.priceSources[index]?.name ?? `#${index}`
    failedPriceSources.push(name)
    warn({ code: 'source_failed', venue: name, message: `Price source ${name} failed: ${describeError(result.reason)}` })
    return []
  })
  const equivalents = equivalentCurrencies(policy, strategy.registry)
  const priceBook = createPriceBook({ prices, equivalents, at: timestamp })
  const { equity, unpriced } = await strategy.equitySource.fetchEquity({ holdings, priceBook })
  // Unpriced dust is reported by detection below; here only the rest of the portfolio.
  const unpricedHoldings = unpriced.filter((token) => classifyToken(policy, token) !== 'dust')
  for (const symbol of unpricedHoldings) {
    warn({ code: 'unpriced_token', token: symbol, message: `${symbol} has no price in ${policy.shareClass.symbol}; it is left out of equity.` })
  }
  const unpricedDust = holdings.some(
    (holding) => holding.amount.isPositive() && classifyToken(policy, holding.amount.currency.symbol) === 'dust' && !priceBook.price(holding.amount.currency, policy.shareClass),
  )
  // A failed price source matters when something is left unpriced: it may have been the one to value it.
  const missing = [...failedSources, ...(unpricedHoldings.length > 0 || unpricedDust ? failedPriceSources : [])]
  const incomplete: IncompleteEquity | undefined = missing.length > 0 || unpricedHoldings.length > 0 ? { failedSources: missing, unpricedHoldings } : undefined
  const detected = detectDust({ policy, holdings, priceBook, equity, timestamp, previouslyExceeded: parameters.previouslyExceeded, incomplete })
  for (const warning of detected.warnings) {
    warn({ code: warning.code, message: warning.message, ...(warning.code === 'unpriced_token' ? { token: warning.token, venue: warning.venue } : {}) })
  }
  if (incomplete) {
    warn({
      code: 'incomplete_equity',
      message: `The equity and dust of ${policy.mode} are incomplete (${describeIncompleteEquity(incomplete)}): nothing is planned or converted until every source answers.`,
      figures: { failed_sources: incomplete.failedSources.join(','), unpriced_holdings: incomplete.unpricedHoldings.join(',') },
    })
  }
  return { snapshot: detected.snapshot, holdings, heldHoldings, priceBook, warnings, failedSources, failedPriceSources }
}
