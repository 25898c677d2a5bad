import { type Custody, type Holding, classifyToken, custodyKey, describeIncompleteEquity } from '../domain/dust/index.js'
import type { DustWarningRaised } from '../domain/events.js'
import { Amount, type Currency, Fraction, type Price, type PriceBook } from '../domain/money/index.js'
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

function sameCustody(a: Custody, b: Custody): boolean {
  return a.kind === 'onchain' ? b.kind === 'onchain' && a.chain === b.chain : b.kind === 'exchange' && a.exchange === b.exchange
}

/** Groups the dust holdings by token and custody, in the order each group is first met. */
function groupHoldings(strategy: Strategy, holdings: readonly Holding[]): Array<{ token: Currency; group: ConversionGroup }> {
  const isDust = new Map<string, boolean>()
  const bySymbol = new Map<string, Array<{ custody: Custody; sources: Holding[] }>>()
  const ordered: Array<{ custody: Custody; sources: Holding[] }> = []
  for (const holding of holdings) {
    if (!holding.amount.isPositive()) continue
    const symbol = holding.amount.currency.symbol
    let dust = isDust.get(symbol)
    if (dust === undefined) {
      dust = classifyToken(strategy.policy, symbol) === 'dust'
      isDust.set(symbol, dust)
    }
    if (!dust) continue
    let groups = bySymbol.get(symbol)
    if (groups === undefined) {
      groups = []
      bySymbol.set(symbol, groups)
    }
    let group: { custody: Custody; sources: Holding[] } | undefined
    for (const candidate of groups) {
      if (sameCustody(candidate.custody, holding.custody)) {
        group = candidate
        break
      }
    }
    if (group === undefined) {
      group = { custody: holding.custody, sources: [] }
      groups.push(group)
      ordered.push(group)
    }
    group.sources.push(holding)
  }
  const grouped: Array<{ token: Currency; group: ConversionGroup }> = []
  for (const { custody, sources } of ordered) {
    // A group exists only once a holding is put in it: an empty one cannot be.
    const first = sources[0]
    if (first === undefined) continue
    const token = first.amount.currency
    // As sumAmounts: from zero of the token, so that a holding of another currency of the same symbol throws.
    let total = Amount.zero(token)
    for (const source of sources) total = total.add(source.amount)
    const cap = strategy.policy.tokenSettings.get(token.symbol)?.maxSellPerRun
    grouped.push({ token, group: { custody, sources, total, sellAmount: cap ? total.min(cap) : total } })
  }
  return grouped
}

/**
 * The price book a venue's quotes are checked against: `book.without(source)`. A book that holds
 * no price of that source (by `without`'s rule: the source, alone or in a chain) is that book
 * already, so it is used as it is and its searches are shared.
 */
function independentOf(book: PriceBook, source: string): PriceBook {
  for (const price of book.prices) {
    const origin = price.origin.source
    if (origin === source || (origin.includes('+') && origin.split('+').includes(source))) return book.without(source)
  }
  return book
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
const SETTLED: Promise<void> = Promise.resolve()

/**
 * A price book that keeps its answers by currency object, for one planning call: each route asks
 * a few prices, and the book's own cache, keyed by a string of both symbols, costs more than
 * the answer. The book answers by symbol, so an answer kept for one object is the book's answer
 * for any object of that symbol; a class, so that one per call makes no closures.
 */
class RememberedPrices implements PriceBook {
  readonly #book: PriceBook
  readonly #known = new Map<Currency, Map<Currency, Price | undefined>>()

  constructor(book: PriceBook) {
    this.#book = book
  }

  get prices(): readonly Price[] {
    return this.#book.prices
  }

  price(base: Currency, quote: Currency): Price | undefined {
    let byQuote = this.#known.get(base)
    if (byQuote === undefined) {
      byQuote = new Map()
      this.#known.set(base, byQuote)
    } else if (byQuote.has(quote)) return byQuote.get(quote)
    const price = this.#book.price(base, quote)
    byQuote.set(quote, price)
    return price
  }

  without(source: string): PriceBook {
    return this.#book.without(source)
  }

  restrict(keep: (price: Price) => boolean): PriceBook {
    return this.#book.restrict(keep)
  }
}

/** The share class and its equivalents, by policy: what a path may end at. */
const targetsByPolicy = new WeakMap<Strategy['policy'], ReadonlySet<string>>()

function targetsOf(policy: Strategy['policy']): ReadonlySet<string> {
  let targets = targetsByPolicy.get(policy)
  if (targets === undefined) {
    const target = policy.shareClass.symbol
    targets = new Set([target, ...[...policy.equivalents].filter(([, to]) => to === target).map(([from]) => from)])
    targetsByPolicy.set(policy, targets)
  }
  return targets
}

/** A venue's pairs as the planner searches them: its currencies by symbol and a path finder over its graph. */
function routesOver(pairs: ReadonlyArray<readonly [Currency, Currency]>, targets: ReadonlySet<string>, maxHops: number): SettledRoutes {
  const currencies = new Map<string, Currency>()
  const symbols: Array<readonly [string, string]> = []
  for (const [a, b] of pairs) {
    currencies.set(a.symbol, a)
    currencies.set(b.symbol, b)
    symbols.push([a.symbol, b.symbol])
  }
  return { currencies, paths: createPathFinder(symbols, targets, maxHops) }
}

type QuotedVenue = {
  venue: ConversionVenue
  paths: readonly (readonly string[])[]
  quotes: ReadonlyArray<RouteQuote | RouteQuoteFailure>
  chain: string
  gasPrice: bigint | undefined
}
type VenueAnswer = { venue: ConversionVenue; why: string } | { venue: ConversionVenue; error: unknown } | QuotedVenue

/**
 * Quotes every path of a venue with its synchronous quote, or gives `undefined` when a path
 * cannot be answered at once or throws: the venue is then asked through `quote`, exactly as a
 * venue without a synchronous quote, so that a failure is met and reported as ever.
 */
function quoteAtOnce(
  quoteSync: NonNullable<ConversionVenue['quoteSync']>,
  paths: readonly (readonly string[])[],
  currencies: ReadonlyMap<string, Currency>,
  amount: Amount,
): Array<RouteQuote | RouteQuoteFailure> | undefined {
  const quotes: Array<RouteQuote | RouteQuoteFailure> = []
  try {
    for (const path of paths) {
      const steps: Currency[] = []
      for (const step of path) steps.push(currencyOf(currencies, step))
      const quote = quoteSync(steps, amount)
      if (quote === undefined) return undefined
      quotes.push(quote)
    }
  } catch {
    return undefined
  }
  return quotes
}

/** The detail of a group skipped because the token's holdings in other custodies used its whole `max_sell_per_run` this run. */
function maxSellUsedUp(symbol: string, cap: Amount, sold: Amount): string {
  return `${symbol} has max_sell_per_run ${cap.toDecimalString()}, and ${sold.toDecimalString()} held in other custodies is planned for sale this run; the rest waits for the next run.`
}

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
  const prices = new RememberedPrices(priceBook)
  const target = policy.shareClass
  const targets = targetsOf(policy)
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
  // The estimates that settled with a value, by rewards venue: a route looks up only its own claims' venues, all settled before it is priced.
  const claimGasUnits = new Map<string, bigint>()
  const claimGas = new Map<string, Promise<unknown>>()
  const claimGasOf = (venue: string): Promise<unknown> => {
    let settled = claimGas.get(venue)
    if (!settled) {
      const estimate = strategy.claimGasEstimators?.get(venue)
      const units = estimate ? estimate().catch(() => undefined) : Promise.resolve(undefined)
      settled = units.then((value) => {
        settledClaimGas.set(venue, value)
        if (value !== undefined) claimGasUnits.set(venue, value)
      })
      claimGas.set(venue, settled)
    }
    return settled
  }
  // Each venue's pairs are asked for once, when a token first needs them; the graph of its
  // pairs is built once too, and each token's paths are searched once.
  const routesOf = new Map<string, VenueRoutes>()
  const venueRoutes = (venue: ConversionVenue): VenueRoutes => {
    let routes = routesOf.get(venue.name)
    if (!routes) {
      if (venue.tradablePairsSync !== undefined) {
        // A venue that lists its pairs at once needs no promise; one that throws is as one that rejects.
        let listed: ReadonlyArray<readonly [Currency, Currency]> | undefined
        let settled: SettledRoutes | undefined
        try {
          listed = venue.tradablePairsSync()
        } catch (error) {
          settled = { error }
        }
        if (listed !== undefined) settled = routesOver(listed, targets, planning.maxHops)
        if (settled !== undefined) {
          routes = { ready: SETTLED, settled }
          routesOf.set(venue.name, routes)
          return routes
        }
      }
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
            pending.settled = routesOver(pairs, targets, planning.maxHops)
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

  const independentBooks = new Map<string, PriceBook>()
  const independentBookOf = (venue: string): PriceBook => {
    let book = independentBooks.get(venue)
    if (book === undefined) {
      const independent = independentOf(priceBook, venue)
      book = independent === priceBook ? prices : new RememberedPrices(independent)
      independentBooks.set(venue, book)
    }
    return book
  }

  const idSuffix = `:${snapshot.timestamp}`
  // What each capped token has been planned to sell so far in this run: max_sell_per_run is the
  // token's, whatever custody holds it, so a later custody sells only what an earlier one left.
  const soldThisRun = new Map<string, Amount>()
  for (const grouped of groupHoldings(strategy, scan.holdings)) {
    const { token } = grouped
    let { group } = grouped
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
    if (!prices.price(token, target)) {
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

    const cap = policy.tokenSettings.get(symbol)?.maxSellPerRun
    const sold = soldThisRun.get(symbol)
    if (cap !== undefined && sold !== undefined) {
      const left = cap.subtract(sold)
      if (!left.isPositive()) {
        skipped.push(skip(symbol, group, 'max_sell_per_run_reached', maxSellUsedUp(symbol, cap, sold)))
        continue
      }
      if (left.lessThan(group.sellAmount)) group = { ...group, sellAmount: left }
    }

    // Every venue and path is quoted at once, so that on-chain quotes join one batched call per chain.
    const waits: Array<Promise<unknown>> = []
    for (const holding of group.sources) {
      // Each claim's estimate is kept in `claimGasUnits` once it settles; the token waits for those that have not.
      if (holding.source === 'claimable_rewards' && !settledClaimGas.has(holding.venue)) waits.push(claimGasOf(holding.venue))
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
      // A venue that can answer at once is quoted without a promise; only an unknown gas price is waited for.
      const quoted = venue.quoteSync === undefined ? undefined : quoteAtOnce(venue.quoteSync, answer.paths, settled.currencies, group.sellAmount)
      if (quoted !== undefined) {
        answer.quotes = quoted
        if (group.custody.kind === 'onchain') {
          if (settledGas.has(answer.chain)) answer.gasPrice = settledGas.get(answer.chain)
          else waits.push(gasPriceOf(answer.chain).then((price) => (answer.gasPrice = price)))
        }
        continue
      }
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
            priceBook: prices,
            independentBook: independentBookOf(quote.venue),
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
    if (cap !== undefined) soldThisRun.set(symbol, sold === undefined ? chosen.amountIn : sold.add(chosen.amountIn))
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
