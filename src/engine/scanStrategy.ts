import { type DustPolicy, type DustSnapshot, type Holding, classifyToken, detectDust } from '../domain/dust/index.js'
import type { DustWarningRaised } from '../domain/events.js'
import { type Currency, type PriceBook, createPriceBook } from '../domain/money/index.js'
import type { Clock, Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'

export type ScanStrategyParameters = {
  strategy: Strategy
  /** Whether the previous snapshot exceeded the threshold (hysteresis). */
  previouslyExceeded?: boolean | undefined
}

export type ScanStrategyReturnType = {
  snapshot: DustSnapshot
  /** Every holding found, dust or not. */
  holdings: Holding[]
  priceBook: PriceBook
  warnings: DustWarningRaised[]
  /** Balance sources that did not answer: their holdings are missing from the snapshot. */
  failedSources: string[]
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

/**
 * Reads every balance and price source of a strategy, then its equity, and measures its dust.
 *
 * A balance or price source that fails is reported as a warning and the scan goes on with the
 * others; the equity source failing fails the scan (no ratio can be known without it).
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
  const failedSources: string[] = []
  balanceResults.forEach((result, index) => {
    const source = strategy.balanceSources[index]
    if (!source) return
    if (result.status === 'fulfilled') holdings.push(...result.value)
    else {
      failedSources.push(source.name)
      warn({ code: 'source_failed', venue: source.name, message: `Balance source ${source.name} failed: ${describeError(result.reason)}` })
    }
  })
  const maxAgeMs = strategy.priceChecks?.maxAgeMs
  const prices = priceResults.flatMap((result, index) => {
    if (result.status === 'fulfilled') {
      if (maxAgeMs === undefined) return result.value
      return result.value.filter((price) => {
        const age = timestamp - price.origin.at
        if (age <= maxAgeMs) return true
        warn({
          code: 'stale_price',
          venue: price.origin.source,
          token: price.base.symbol,
          message: `The ${price.base.symbol}/${price.quote.symbol} price from ${price.origin.source} is ${Math.floor(age / 1000)} s old, older than max_price_age (${maxAgeMs / 1000} s); it is not used.`,
          figures: { age_seconds: String(Math.floor(age / 1000)), max_price_age_seconds: String(maxAgeMs / 1000) },
        })
        return false
      })
    }
    const name = strategy.priceSources[index]?.name ?? `#${index}`
    warn({ code: 'source_failed', venue: name, message: `Price source ${name} failed: ${describeError(result.reason)}` })
    return []
  })
  const equivalents = equivalentCurrencies(policy, strategy.registry)
  const priceBook = createPriceBook({ prices, equivalents, at: timestamp })
  const { equity, unpriced } = await strategy.equitySource.fetchEquity({ holdings, priceBook })
  // Unpriced dust is reported by detection below; here only the rest of the portfolio.
  for (const symbol of unpriced.filter((token) => classifyToken(policy, token) !== 'dust')) {
    warn({ code: 'unpriced_token', token: symbol, message: `${symbol} has no price in ${policy.shareClass.symbol}; it is left out of equity.` })
  }
  const detected = detectDust({ policy, holdings, priceBook, equity, timestamp, previouslyExceeded: parameters.previouslyExceeded })
  for (const warning of detected.warnings) {
    warn({ code: warning.code, message: warning.message, ...(warning.code === 'unpriced_token' ? { token: warning.token, venue: warning.venue } : {}) })
  }
  return { snapshot: detected.snapshot, holdings, priceBook, warnings, failedSources }
}
