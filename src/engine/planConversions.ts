import { type Custody, type Holding, classifyToken, custodyKey, describeIncompleteEquity } from '../domain/dust/index.js'
import type { DustWarningRaised } from '../domain/events.js'
import { Amount, type Currency, Fraction, sumAmounts } from '../domain/money/index.js'
import { crossCheckPrices } from '../domain/planning/crossCheckPrices.js'
import type { ConversionGroup } from '../domain/planning/ConversionGroup.js'
import type { ConversionPlan, DustConversionInstruction, RouteCandidate, SkippedConversion } from '../domain/planning/ConversionPlan.js'
import { chooseRoute } from '../domain/planning/chooseRoute.js'
import { evaluateRoute } from '../domain/planning/evaluateRoute.js'
import { type PathFinder, createPathFinder } from '../domain/planning/createPathFinder.js'
import type { RouteQuote, RouteQuoteFailure } from '../domain/planning/RouteQuote.js'
import type { ConversionVenue, Logger } from '../ports/index.js'
import type { Strategy } from './Strategy.js'
import type { ScanStrategyReturnType } from './scanStrategy.js'

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
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [holding])
    else group.push(holding)
  }
  const grouped: Array<{ token: Currency; group: ConversionGroup }> = []
  for (const sources of groups.values()) {
    // A group exists only once a holding is put in it: an empty one cannot be.
    const first = sources[0]
    if (first === undefined) continue
    const token = first.amount.currency
    const total = sumAmounts(
      token,
      sources.map((source) => source.amount),
    )
    const cap = strategy.policy.tokenSettings.get(token.symbol)?.maxSellPerRun
    grouped.push({ token, group: { custody: first.custody, sources, total, sellAmount: cap ? total.min(cap) : total } })
  }
  return grouped
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

/** A venue's pairs as the planner searches them: its currencies by symbol and a path finder over its graph. */
type SettledRoutes = { currencies: ReadonlyMap<string, Currency>; paths: PathFinder } | { error: unknown }
type VenueRoutes = { ready: Promise<void>; settled: SettledRoutes | undefined }
type QuotedVenue = {
  venue: ConversionVenue
  paths: readonly (readonly string[])[]
  quotes: ReadonlyArray<RouteQuote | RouteQuoteFailure>
  chain: string
  gasPrice: bigint | undefined
}
type VenueAnswer = { venue: ConversionVenue; why: string } | { venue: ConversionVenue; error: unknown } | QuotedVenue

function skip(token: string, group: ConversionGroup, reason: SkippedConversion['reason'], detail: string, alternatives?: readonly RouteCandidate[]): SkippedConversion {
  return { token, custody: group.custody, amount: group.total, reason, detail, alternatives }
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

  // Promises of gas prices and claim estimates are kept, as in the reference planner; once one
  // has settled, its value is kept beside it so that later tokens use it without waiting.
  const settledGas = new Map<string, bigint | undefined>()
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
      price.then((value) => settledGas.set(chain, value))
    }
    return price
  }
  const settledClaimGas = new Map<string, bigint | undefined>()
  const claimGas = new Map<string, Promise<bigint | undefined>>()
  const claimGasOf = (venue: string): Promise<bigint | undefined> => {
    let units = claimGas.get(venue)
    if (!units) {
      const estimate = strategy.claimGasEstimators?.get(venue)
      units = estimate ? estimate().catch(() => undefined) : Promise.resolve(undefined)
      claimGas.set(venue, units)
      units.then((value) => settledClaimGas.set(venue, value))
    }
    return units
  }
  // Each venue's pairs are asked for once, when a token first needs them; the graph of its
  // pairs is built once too, and each token's paths are searched once.
  const routesOf = new Map<string, VenueRoutes>()
  const venueRoutes = (venue: ConversionVenue): VenueRoutes => {
    let routes = routesOf.get(venue.name)
    if (!routes) {
      let pairs: Promise<ReadonlyArray<readonly [Currency, Currency]>>
      try {
        pairs = venue.tradablePairs()
      } catch (error) {
        // Thrown, not rejected: nothing is kept, and the next token asks again.
        return { ready: Promise.resolve(), settled: { error } }
      }
      const pending: VenueRoutes = {
        ready: pairs.then(
          (pairs) => {
            const currencies = new Map<string, Currency>()
            const symbols: Array<readonly [string, string]> = []
            for (const [a, b] of pairs) {
              currencies.set(a.symbol, a)
              currencies.set(b.symbol, b)
              symbols.push([a.symbol, b.symbol])
            }
            pending.settled = { currencies, paths: createPathFinder(symbols, targets, planning.maxHops) }
          },
          (error: unknown) => {
            pending.settled = { error }
          },
        ),
        settled: undefined,
      }
      routes = pending
      routesOf.set(venue.name, routes)
    }
    return routes
  }
  // The token's sources of a price, for the cross-check; built on first use.
  let priceSourcesOf: Map<string, Set<string>> | undefined
  const sourcesPricing = (symbol: string): number => {
    if (!priceSourcesOf) {
      priceSourcesOf = new Map()
      for (const price of priceBook.prices) {
        for (const side of [price.base.symbol, price.quote.symbol]) {
          const sources = priceSourcesOf.get(side)
          if (sources === undefined) priceSourcesOf.set(side, new Set([price.origin.source]))
          else sources.add(price.origin.source)
        }
      }
    }
    return priceSourcesOf.get(symbol)?.size ?? 0
  }

  const idSuffix = `:${snapshot.timestamp}`
  for (const { token, group } of groupHoldings(strategy, scan.holdings)) {
    const symbol = token.symbol
    if (snapshot.incomplete) {
      // Never plan on partial data, not even with --ignore-threshold: a missing source may hold what changes the decision.
      skipped.push(
        skip(
          symbol,
          group,
          'incomplete_equity',
          `The equity and dust of ${policy.mode} are incomplete (${describeIncompleteEquity(snapshot.incomplete)}); nothing is converted until every source answers.`,
        ),
      )
      continue
    }
    if (!priceBook.price(token, target)) {
      skipped.push(skip(symbol, group, 'unpriced', `${symbol} has no price in ${target.symbol}; it is not converted until it has one.`))
      continue
    }
    if (!snapshot.exceedsThreshold && !parameters.ignoreThreshold) {
      skipped.push(skip(symbol, group, 'below_threshold', `The dust ratio ${snapshot.dustRatio.toSignificant(6)} does not exceed dust_delta ${snapshot.dustDelta.toSignificant(6)}.`))
      continue
    }
    if (policy.tokenSettings.get(symbol)?.convert === false) {
      skipped.push(skip(symbol, group, 'disabled', `${symbol} has convert: false in dust_tokens.`))
      continue
    }
    if (parameters.inFlight?.has(inFlightKey(policy.mode, symbol, group.custody))) {
      skipped.push(skip(symbol, group, 'in_flight', `A conversion of ${symbol} held ${custodyKey(group.custody)} is under way.`))
      continue
    }
    if (strategy.priceChecks) {
      const maxDeviationBps = BigInt(strategy.priceChecks.maxDeviationBps)
      // With fewer than two sources the deviation is zero, which no limit of at least zero refuses: the check is skipped.
      if (maxDeviationBps < 0n || sourcesPricing(symbol) >= 2) {
        const { quotes, deviationBps } = crossCheckPrices(priceBook, token, target)
        if (deviationBps.greaterThan(new Fraction(maxDeviationBps))) {
          const figures = Object.fromEntries(quotes.map((quote) => [quote.source, quote.price.toSignificant(8)]))
          const detail = `Price sources disagree on ${symbol} by ${deviationBps.toDecimalString(1, 'up')} bps, more than max_price_deviation_bps (${strategy.priceChecks.maxDeviationBps}): ${quotes
            .map((quote) => `${quote.source} ${quote.price.toSignificant(8)} ${target.symbol}`)
            .join(', ')}. The conversion waits until they agree.`
          skipped.push(skip(symbol, group, 'price_deviation', detail))
          warnings.push({ event_type: 'dust_warning', strategy_mode: policy.mode, timestamp: snapshot.timestamp, code: 'price_deviation', token: symbol, message: detail, figures })
          deps.logger.warn({ strategy: policy.mode, token: symbol, figures }, detail)
          continue
        }
      }
    }

    // Every venue and path is quoted at once, so that on-chain quotes join one batched call per chain.
    const waits: Array<Promise<unknown>> = []
    const claimGasUnits = new Map<string, bigint>()
    const claimUnits: Array<bigint | undefined> = []
    const claimVenues: string[] = []
    for (const holding of group.sources) {
      if (holding.source !== 'claimable_rewards') continue
      const slot = claimVenues.push(holding.venue) - 1
      const units = claimGasOf(holding.venue)
      if (settledClaimGas.has(holding.venue)) claimUnits[slot] = settledClaimGas.get(holding.venue)
      else
        waits.push(
          units.then((value) => {
            claimUnits[slot] = value
          }),
        )
    }
    const reasons: Array<string | undefined> = []
    const routes: Array<VenueRoutes | undefined> = []
    let unsettled: Promise<void>[] | undefined
    for (const venue of strategy.venues) {
      const why = reach(venue, group.custody)
      reasons.push(why)
      const venueRoute = why === undefined ? venueRoutes(venue) : undefined
      routes.push(venueRoute)
      if (venueRoute !== undefined && venueRoute.settled === undefined) (unsettled ??= []).push(venueRoute.ready)
    }
    if (unsettled !== undefined) await Promise.all(unsettled)
    const perVenue: VenueAnswer[] = []
    for (const [index, venue] of strategy.venues.entries()) {
      const why = reasons[index]
      if (why !== undefined) {
        perVenue.push({ venue, why })
        continue
      }
      // Reachable, so its routes were asked for and awaited above.
      const settled = routes[index]?.settled
      if (settled === undefined) throw new Error(`The routes of venue ${venue.name} were not settled after they were awaited.`)
      if ('error' in settled) {
        perVenue.push({ venue, error: settled.error })
        continue
      }
      const answer: QuotedVenue = { venue, paths: settled.paths(symbol), quotes: [], chain: group.custody.kind === 'onchain' ? group.custody.chain : venue.chain, gasPrice: undefined }
      const slot = perVenue.push(answer) - 1
      try {
        const quotes = Promise.all(
          answer.paths.map((path) =>
            venue.quote(
              path.map((step) => currencyOf(settled.currencies, step)),
              group.sellAmount,
            ),
          ),
        )
        const onchain = group.custody.kind === 'onchain'
        const gasPrice = onchain ? gasPriceOf(answer.chain) : undefined
        const gasKnown = !onchain || settledGas.has(answer.chain)
        if (gasKnown && onchain) answer.gasPrice = settledGas.get(answer.chain)
        waits.push(
          (gasKnown
            ? quotes
            : Promise.all([quotes, gasPrice]).then(([answers, price]) => {
                answer.gasPrice = price
                return answers
              })
          ).then(
            (answers) => {
              answer.quotes = answers
            },
            (error: unknown) => {
              perVenue[slot] = { venue, error }
            },
          ),
        )
      } catch (error) {
        perVenue[slot] = { venue, error }
      }
    }
    if (waits.length === 1) await waits[0]
    else if (waits.length > 1) await Promise.all(waits)
    for (const [slot, venue] of claimVenues.entries()) {
      const units = claimUnits[slot]
      if (units !== undefined) claimGasUnits.set(venue, units)
    }

    const candidates: RouteCandidate[] = []
    const unreachable: string[] = []
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
      for (const [index, path] of entry.paths.entries()) {
        const quote = entry.quotes[index]
        if (!quote) throw new Error(`Venue ${venue.name} answered ${entry.quotes.length} quotes for ${entry.paths.length} paths of ${symbol}.`)
        if (!quote.ok) {
          const zero = Amount.zero(target)
          candidates.push({
            venue: venue.name,
            path: [...path],
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
          continue
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
      }
    }

    const choice = chooseRoute(candidates, planning.preference)
    if (!choice) {
      const closest = bestRejection(candidates)
      if (closest?.rejection) skipped.push(skip(symbol, group, closest.rejection.reason, closest.rejection.detail, candidates))
      else if (unreachable.some((line) => line.includes('unavailable'))) skipped.push(skip(symbol, group, 'venue_unavailable', unreachable.join('; ')))
      else if (unreachable.length > 0 && strategy.venues.length === unreachable.length) skipped.push(skip(symbol, group, 'custody_unreachable', unreachable.join('; ')))
      else skipped.push(skip(symbol, group, 'no_route', `No venue trades a path of at most ${planning.maxHops} hops from ${symbol} to ${target.symbol}.`))
      continue
    }
    const { chosen, reason } = choice
    const alternatives: RouteCandidate[] = []
    for (const candidate of candidates) if (candidate !== chosen) alternatives.push(candidate)
    instructions.push({
      conversionId: `${inFlightKey(policy.mode, symbol, group.custody)}${idSuffix}`,
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
      alternatives,
    })
  }

  return { plan: { snapshot, instructions, skipped }, warnings }
}
