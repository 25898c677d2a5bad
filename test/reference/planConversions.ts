// Frozen reference copy of src (commit 1412531), the oracle of the fast planner's property test and bench; never imported by src.
// One fix since, made to both planners: max_sell_per_run caps a token's sales in a run across all its custodies.
import { type Custody, type Holding, classifyToken, custodyKey, describeIncompleteEquity } from '../../src/domain/dust/index.js'
import type { DustWarningRaised } from '../../src/domain/events.js'
import { Amount, type Currency, Fraction, sumAmounts } from '../../src/domain/money/index.js'
import { crossCheckPrices } from './crossCheckPrices.js'
import type { ConversionGroup } from '../../src/domain/planning/ConversionGroup.js'
import type { ConversionPlan, DustConversionInstruction, RouteCandidate, SkippedConversion } from '../../src/domain/planning/ConversionPlan.js'
import { chooseRoute } from './chooseRoute.js'
import { evaluateRoute } from './evaluateRoute.js'
import { findPaths } from './findPaths.js'
import type { ConversionVenue, Logger } from '../../src/ports/index.js'
import type { Strategy } from '../../src/engine/Strategy.js'
import type { ScanStrategyReturnType } from '../../src/engine/scanStrategy.js'

export type PlanConversionsParameters = {
  strategy: Strategy
  scan: Pick<ScanStrategyReturnType, 'snapshot' | 'holdings' | 'priceBook'>
  /** Keys (`inFlightKey`) of conversions under way: those tokens are not planned again. */
  inFlight?: ReadonlySet<string> | undefined
  /** Plans every token as if the threshold were exceeded (what-if). */
  ignoreThreshold?: boolean | undefined
}

export type PlanConversionsReturnType = { plan: ConversionPlan; warnings: DustWarningRaised[] }

/** Names a token in one custody of one strategy, to tell whether its conversion is under way. */
export function inFlightKey(mode: string, token: string, custody: Custody): string {
  return `${mode}:${token}:${custodyKey(custody)}`
}

/** The currency of a symbol a path goes through: every symbol of a path comes from the venue's pairs, so a missing one is a bug. */
function currencyOf(currencies: ReadonlyMap<string, Currency>, symbol: string): Currency {
  const currency = currencies.get(symbol)
  if (!currency) throw new Error(`No currency ${symbol} among the venue's pairs, though a path goes through it.`)
  return currency
}

function groupHoldings(strategy: Strategy, holdings: readonly Holding[]): Array<{ token: Currency; group: ConversionGroup }> {
  const groups = new Map<string, Holding[]>()
  for (const holding of holdings) {
    if (!holding.amount.isPositive() || classifyToken(strategy.policy, holding.amount.currency.symbol) !== 'dust') continue
    const key = `${holding.amount.currency.symbol}|${custodyKey(holding.custody)}`
    groups.set(key, [...(groups.get(key) ?? []), holding])
  }
  return [...groups.values()].flatMap(([first, ...rest]) => {
    // A group exists only once a holding is put in it: an empty one cannot be.
    if (!first) return []
    const sources = [first, ...rest]
    const token = first.amount.currency
    const total = sumAmounts(
      token,
      sources.map((source) => source.amount),
    )
    const cap = strategy.policy.tokenSettings.get(token.symbol)?.maxSellPerRun
    return [{ token, group: { custody: first.custody, sources, total, sellAmount: cap ? total.min(cap) : total } }]
  })
}

function maxSellUsedUp(symbol: string, cap: Amount, sold: Amount): string {
  return `${symbol} has max_sell_per_run ${cap.toDecimalString()}, and ${sold.toDecimalString()} held in other custodies is planned for sale this run; the rest waits for the next run.`
}

/** Tells whether a venue can take tokens held in `custody`, and if not, why. */
function reach(venue: ConversionVenue, custody: Custody): string | undefined {
  if (custody.kind === 'exchange') {
    if (venue.kind === 'cex' && venue.name === custody.exchange) return undefined
    return `the tokens are on ${custody.exchange}; moving them to ${venue.name} would need a withdrawal, which is not planned`
  }
  if (venue.chain === custody.chain) return undefined
  return `the tokens are on ${custody.chain}; ${venue.name} ${venue.kind === 'cex' ? 'takes deposits' : 'trades'} on ${venue.chain}`
}

/** The rejection shown when no route can be used: the one of the route that came closest. */
function bestRejection(candidates: readonly RouteCandidate[]): RouteCandidate | undefined {
  return [...candidates].sort((a, b) => b.netOutput.compare(a.netOutput))[0]
}

/**
 * Plans the conversion of every dust token of a strategy into its share class.
 *
 * Holdings of one token in one custody (claimable rewards and the wallet on the same chain)
 * are converted together: claim first, then one sale. Every route of every venue that can
 * reach the tokens is quoted and priced with its fees, price impact and gas; the best net
 * output wins, the configured venue and path being preferences. Every token not converted
 * gets a machine-readable reason; on an incomplete snapshot every one is `incomplete_equity`.
 */
export async function planConversions(deps: { logger: Logger }, parameters: PlanConversionsParameters): Promise<PlanConversionsReturnType> {
  const { strategy, scan } = parameters
  const { policy, planning } = strategy
  const { snapshot, priceBook } = scan
  const target = policy.shareClass
  const targets = new Set([target.symbol, ...[...policy.equivalents].filter(([, to]) => to === target.symbol).map(([from]) => from)])
  const warnings: DustWarningRaised[] = []
  const instructions: DustConversionInstruction[] = []
  const skipped: SkippedConversion[] = []

  const gasPrices = new Map<string, Promise<bigint | undefined>>()
  const gasPriceOf = (chain: string): Promise<bigint | undefined> => {
    let price = gasPrices.get(chain)
    if (!price) {
      const source = strategy.gasPrices.find((candidate) => candidate.chain === chain)
      price = source
        ? source.fetchGasPrice().catch((error: unknown) => {
            const message = `Gas price of ${chain} failed: ${error instanceof Error ? error.message : String(error)}`
            warnings.push({ event_type: 'dust_warning', strategy_mode: policy.mode, timestamp: snapshot.timestamp, code: 'source_failed', message })
            deps.logger.warn({ strategy: policy.mode, chain }, message)
            return undefined
          })
        : Promise.resolve(undefined)
      gasPrices.set(chain, price)
    }
    return price
  }
  const claimGas = new Map<string, Promise<bigint | undefined>>()
  const claimGasOf = (venue: string): Promise<bigint | undefined> => {
    let units = claimGas.get(venue)
    if (!units) {
      const estimate = strategy.claimGasEstimators?.get(venue)
      units = estimate ? estimate().catch(() => undefined) : Promise.resolve(undefined)
      claimGas.set(venue, units)
    }
    return units
  }
  const pairsOf = new Map<string, Promise<ReadonlyArray<readonly [Currency, Currency]>>>()
  const venuePairs = (venue: ConversionVenue) => {
    let pairs = pairsOf.get(venue.name)
    if (!pairs) {
      pairs = venue.tradablePairs()
      pairsOf.set(venue.name, pairs)
    }
    return pairs
  }

  // max_sell_per_run is the token's, whatever custody holds it: what earlier custodies sell this run counts.
  const soldThisRun = new Map<string, Amount>()
  for (const grouped of groupHoldings(strategy, scan.holdings)) {
    const { token } = grouped
    let { group } = grouped
    const symbol = token.symbol
    const skip = (reason: SkippedConversion['reason'], detail: string, alternatives?: readonly RouteCandidate[]) =>
      skipped.push({ token: symbol, custody: group.custody, amount: group.total, reason, detail, alternatives })
    if (snapshot.incomplete) {
      // Never plan on partial data, not even with --ignore-threshold: a missing source may hold what changes the decision.
      skip('incomplete_equity', `The equity and dust of ${policy.mode} are incomplete (${describeIncompleteEquity(snapshot.incomplete)}); nothing is converted until every source answers.`)
      continue
    }
    if (!priceBook.price(token, target)) {
      skip('unpriced', `${symbol} has no price in ${target.symbol}; it is not converted until it has one.`)
      continue
    }
    if (!snapshot.exceedsThreshold && !parameters.ignoreThreshold) {
      skip('below_threshold', `The dust ratio ${snapshot.dustRatio.toSignificant(6)} does not exceed dust_delta ${snapshot.dustDelta.toSignificant(6)}.`)
      continue
    }
    if (policy.tokenSettings.get(symbol)?.convert === false) {
      skip('disabled', `${symbol} has convert: false in dust_tokens.`)
      continue
    }
    if (parameters.inFlight?.has(inFlightKey(policy.mode, symbol, group.custody))) {
      skip('in_flight', `A conversion of ${symbol} held ${custodyKey(group.custody)} is under way.`)
      continue
    }
    if (strategy.priceChecks) {
      const { quotes, deviationBps } = crossCheckPrices(priceBook, token, target)
      if (deviationBps.greaterThan(new Fraction(BigInt(strategy.priceChecks.maxDeviationBps)))) {
        const figures = Object.fromEntries(quotes.map((quote) => [quote.source, quote.price.toSignificant(8)]))
        const detail = `Price sources disagree on ${symbol} by ${deviationBps.toDecimalString(1, 'up')} bps, more than max_price_deviation_bps (${strategy.priceChecks.maxDeviationBps}): ${quotes
          .map((quote) => `${quote.source} ${quote.price.toSignificant(8)} ${target.symbol}`)
          .join(', ')}. The conversion waits until they agree.`
        skip('price_deviation', detail)
        warnings.push({ event_type: 'dust_warning', strategy_mode: policy.mode, timestamp: snapshot.timestamp, code: 'price_deviation', token: symbol, message: detail, figures })
        deps.logger.warn({ strategy: policy.mode, token: symbol, figures }, detail)
        continue
      }
    }

    const cap = policy.tokenSettings.get(symbol)?.maxSellPerRun
    const sold = soldThisRun.get(symbol)
    if (cap !== undefined && sold !== undefined) {
      if (!cap.greaterThan(sold)) {
        skip('max_sell_per_run_reached', maxSellUsedUp(symbol, cap, sold))
        continue
      }
      group = { ...group, sellAmount: group.sellAmount.min(cap.subtract(sold)) }
    }

    const candidates: RouteCandidate[] = []
    const unreachable: string[] = []
    const claimVenues = group.sources.filter((holding) => holding.source === 'claimable_rewards').map((holding) => holding.venue)
    const claimEstimates = Promise.all(claimVenues.map(async (venue) => [venue, await claimGasOf(venue)] as const))
    // Every venue and path is quoted at once, so that on-chain quotes join one batched call per chain.
    const perVenue = await Promise.all(
      strategy.venues.map(async (venue) => {
        const why = reach(venue, group.custody)
        if (why) return { venue, why }
        try {
          const pairs = await venuePairs(venue)
          const currencies = new Map<string, Currency>()
          for (const [a, b] of pairs) {
            currencies.set(a.symbol, a)
            currencies.set(b.symbol, b)
          }
          const paths = findPaths(
            pairs.map(([a, b]) => [a.symbol, b.symbol] as const),
            symbol,
            targets,
            planning.maxHops,
          )
          const chain = group.custody.kind === 'onchain' ? group.custody.chain : venue.chain
          const [quotes, gasPrice] = await Promise.all([
            Promise.all(
              paths.map((path) =>
                venue.quote(
                  path.map((step) => currencyOf(currencies, step)),
                  group.sellAmount,
                ),
              ),
            ),
            group.custody.kind === 'onchain' ? gasPriceOf(chain) : Promise.resolve(undefined),
          ])
          return { venue, paths, quotes, chain, gasPrice }
        } catch (error) {
          return { venue, error }
        }
      }),
    )
    const claimGasUnits = new Map<string, bigint>()
    for (const [venue, units] of await claimEstimates) if (units !== undefined) claimGasUnits.set(venue, units)
    for (const entry of perVenue) {
      const { venue } = entry
      if ('why' in entry) {
        unreachable.push(`${venue.name}: ${entry.why}`)
        continue
      }
      if ('error' in entry) {
        const error = entry.error
        const message = `Venue ${venue.name} could not quote ${symbol}: ${error instanceof Error ? error.message : String(error)}`
        warnings.push({ event_type: 'dust_warning', strategy_mode: policy.mode, timestamp: snapshot.timestamp, code: 'venue_failed', venue: venue.name, token: symbol, message })
        deps.logger.warn({ strategy: policy.mode, venue: venue.name, token: symbol }, message)
        unreachable.push(`${venue.name}: unavailable (${error instanceof Error ? error.message : String(error)})`)
        continue
      }
      entry.paths.forEach((path, index) => {
        const quote = entry.quotes[index]
        if (!quote) throw new Error(`Venue ${venue.name} answered ${entry.quotes.length} quotes for ${entry.paths.length} paths of ${symbol}.`)
        if (!quote.ok) {
          const zero = Amount.zero(target)
          candidates.push({
            venue: venue.name,
            path,
            amountIn: group.sellAmount,
            residual: group.total.subtract(group.sellAmount),
            leftovers: [],
            estimatedOutput: zero,
            tradingFees: zero,
            priceImpact: zero,
            gasUnits: 0n,
            gasCost: zero,
            estimatedFees: zero,
            netOutput: zero,
            minOutput: zero,
            steps: [],
            rejection: { reason: quote.reason, detail: quote.detail },
          })
          return
        }
        candidates.push(
          evaluateRoute({
            group,
            quote,
            venueKind: venue.kind,
            target,
            priceBook,
            native: strategy.natives.get(entry.chain),
            gasPrice: entry.gasPrice,
            gasPriceCap: strategy.gasPriceCaps?.get(entry.chain),
            gasUnits: planning.gasUnits,
            claimGasUnits,
            maxSlippageBps: planning.maxSlippageBps,
            minNotionalBufferBps: planning.minNotionalBufferBps,
          }),
        )
      })
    }

    const choice = chooseRoute(candidates, planning.preference)
    if (!choice) {
      const closest = bestRejection(candidates)
      if (closest?.rejection) skip(closest.rejection.reason, closest.rejection.detail, candidates)
      else if (unreachable.some((line) => line.includes('unavailable'))) skip('venue_unavailable', unreachable.join('; '))
      else if (unreachable.length > 0 && strategy.venues.length === unreachable.length) skip('custody_unreachable', unreachable.join('; '))
      else skip('no_route', `No venue trades a path of at most ${planning.maxHops} hops from ${symbol} to ${target.symbol}.`)
      continue
    }
    const { chosen, reason } = choice
    if (cap !== undefined) soldThisRun.set(symbol, sold === undefined ? chosen.amountIn : sold.add(chosen.amountIn))
    instructions.push({
      conversionId: `${inFlightKey(policy.mode, symbol, group.custody)}:${snapshot.timestamp}`,
      strategyMode: policy.mode,
      token: symbol,
      amount: chosen.amountIn,
      targetCurrency: target.symbol,
      venue: chosen.venue,
      conversionPath: chosen.path,
      estimatedOutput: chosen.estimatedOutput,
      estimatedFees: chosen.estimatedFees,
      minOutput: chosen.minOutput,
      netOutput: chosen.netOutput,
      custody: group.custody,
      sources: group.sources,
      chosen,
      reason,
      alternatives: candidates.filter((candidate) => candidate !== chosen),
    })
  }

  return { plan: { snapshot, instructions, skipped }, warnings }
}
