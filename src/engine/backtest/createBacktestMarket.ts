import type { HourlyHistory, HourlySeries } from '../../domain/backtest/History.js'
import { trailingVolatility } from '../../domain/backtest/holdingRisk.js'
import { type Amount, type Currency, type Fraction, Price, type PriceBook, createPriceBook } from '../../domain/money/index.js'
import type { OrderBookMarket } from '../../domain/planning/orderBook.js'
import type { ConstantProductPool } from '../../domain/planning/quoteConstantProduct.js'
import { SourceError } from '../../errors/index.js'
import type { ConversionVenue } from '../../ports/index.js'
import type { BacktestTokens, BacktestVenueSettings } from './BacktestVenueSettings.js'
import { layOutOrderBook } from './layOutOrderBook.js'
import { type LayOutPoolsParameters, layOutPools } from './layOutPools.js'

/**
 * The venues the replay trades on, made by the caller from the pools and order books of an hour:
 * the static venues of paper trading, so the planner quotes them exactly as it quotes live ones.
 */
export type BacktestVenueFactories = {
  /** A DEX of constant-product pools with these reserves. */
  readonly createAmmVenue: (parameters: {
    readonly name: string
    readonly chain: string
    readonly pools: readonly ConstantProductPool[]
    readonly gas: { readonly swap: bigint; readonly extraHop: bigint }
  }) => ConversionVenue
  /** A CEX that fills against these order books. */
  readonly createCexVenue: (parameters: { readonly name: string; readonly chain: string; readonly markets: readonly OrderBookMarket[] }) => ConversionVenue
}

export type CreateBacktestMarketParameters = {
  readonly history: HourlyHistory
  readonly tokens: BacktestTokens
  readonly shareClass: Currency
  /** Pairs that count as one unit (WETH and ETH). */
  readonly equivalents: ReadonlyArray<readonly [Currency, Currency]>
  /** The weETH held: equity is its value at each hour. */
  readonly position: Amount
  readonly venues: BacktestVenueSettings
  /** Trailing hours of the volatility the cost-aware policy weighs. */
  readonly volatilityHours: number
}

/** What one hour of history offers the replay. Every value is exact and computed once, when first asked. */
export type BacktestMarket = {
  readonly hours: readonly number[]
  /** The hour's prices: pool closes (source `uniswap_v3_close`) and the weETH oracle (`aave_oracle`). */
  priceBook(index: number): PriceBook
  /** The weETH position valued in the share class, rounded down. */
  equity(index: number): Amount
  /** The hour's gas price, in wei, rounded up. */
  gasPriceWei(index: number): bigint
  /** The DEX and CEX as they stood at the hour's close. */
  venues(index: number): readonly ConversionVenue[]
  /** Trailing hourly volatility of a token's price in the share class, scaled by 10^18 (0 for a token without a price). */
  volatility(token: Currency, index: number): bigint
}

const GWEI = 10n ** 9n

/** A function of the hour index that builds each hour's value once, on first use. */
function perHour<T>(count: number, build: (index: number) => T): (index: number) => T {
  const built = new Array<T | undefined>(count)
  return (index) => {
    let value = built[index]
    if (value === undefined) {
      value = build(index)
      built[index] = value
    }
    return value
  }
}

/** The entry of an hourly list, or an error naming the hour asked for when the history has no such hour. */
function hourly<T>(list: readonly T[], index: number): T {
  const value = list[index]
  if (value === undefined) throw new RangeError(`The history has ${list.length} hours, numbered from 0; hour ${index} is outside it.`)
  return value
}

type HourVenuesParameters = {
  readonly settings: BacktestVenueSettings
  readonly tokens: BacktestTokens
  readonly feeBps: HourlyHistory['feeBps']
  readonly closes: LayOutPoolsParameters['closes']
  /** Whole USDT per whole token at the hour. */
  readonly mid: (base: Currency) => Fraction
}

/** The DEX and CEX of one hour, as the settings ask for them. */
function hourVenues(deps: BacktestVenueFactories, parameters: HourVenuesParameters): ConversionVenue[] {
  const { settings, tokens } = parameters
  const { dex, cex, chain } = settings
  const built: ConversionVenue[] = []
  if (dex) {
    const pools = layOutPools({ dex, tokens, closes: parameters.closes, feeBps: parameters.feeBps })
    built.push(deps.createAmmVenue({ name: dex.name, chain, pools, gas: dex.gas }))
  }
  if (cex) {
    const market = (base: Currency, amountStep: Fraction) => layOutOrderBook({ cex, base, quote: tokens.USDT, mid: parameters.mid(base), amountStep })
    const markets = [market(tokens.EIGEN, cex.amountStep), market(tokens.ETHFI, cex.amountStep), market(tokens.ETH, cex.ethAmountStep)]
    built.push(deps.createCexVenue({ name: cex.name, chain, markets }))
  }
  return built
}

/**
 * Builds the market a backtest replays: one price book, equity, gas price and set of venues per
 * hour of the history, each made on first use and kept.
 *
 * The DEX is constant-product pools at each hour's close with the fee tier of its file and the
 * configured WETH depth per side (`layOutPools`); the CEX has bid levels laid under the close
 * (`layOutOrderBook`) with its taker fee, minimum notional and amount step. `deps` turns them into
 * venues, so the planner quotes them as it quotes live ones.
 */
export function createBacktestMarket(deps: BacktestVenueFactories, parameters: CreateBacktestMarketParameters): BacktestMarket {
  const { history, tokens, shareClass, position } = parameters
  const { hours } = history
  const value = (series: HourlySeries, index: number): Fraction => hourly(history.values[series], index)

  const priceBook = perHour(hours.length, (index) => {
    const at = hourly(hours, index)
    const pool = { source: 'uniswap_v3_close', at }
    return createPriceBook({
      at,
      equivalents: parameters.equivalents,
      prices: [
        Price.fromTokens(tokens.EIGEN, tokens.WETH, value('eigenWeth', index), pool),
        Price.fromTokens(tokens.ETHFI, tokens.WETH, value('ethfiWeth', index), pool),
        Price.fromTokens(tokens.WETH, tokens.USDT, value('ethUsdt', index), pool),
        Price.fromTokens(tokens.weETH, tokens.ETH, value('weethEth', index), { source: 'aave_oracle', at }),
      ],
    })
  })

  /** A price the market cannot do without; the history and the equivalents always give it when the configuration is whole. */
  const priceOf = (index: number, base: Currency, quote: Currency): Price => {
    const price = priceBook(index).price(base, quote)
    if (!price) {
      throw new SourceError('history', `The history gives no ${base.symbol}/${quote.symbol} price at ${new Date(hourly(hours, index)).toISOString()}.`, {
        details: 'Expected the pool closes and the oracle to connect them, with WETH counted as ETH (equivalents: { WETH: ETH }).',
      })
    }
    return price
  }

  // Whole share-class tokens per whole token, per hour: what the volatility is measured on.
  const volatilities = new Map<string, readonly bigint[]>()
  const volatilitySeries = (token: Currency): readonly bigint[] => {
    let series = volatilities.get(token.symbol)
    if (!series) {
      const prices = hours.map((_, index) => priceBook(index).price(token, shareClass)?.perToken())
      const priced = prices.filter((price): price is Fraction => price !== undefined && price.numerator > 0n)
      series = priced.length === hours.length ? trailingVolatility(priced, parameters.volatilityHours) : new Array<bigint>(hours.length).fill(0n)
      volatilities.set(token.symbol, series)
    }
    return series
  }

  const venues = (index: number): readonly ConversionVenue[] =>
    hourVenues(deps, {
      settings: parameters.venues,
      tokens,
      feeBps: history.feeBps,
      closes: { eigenWeth: value('eigenWeth', index), ethfiWeth: value('ethfiWeth', index), ethUsdt: value('ethUsdt', index) },
      mid: (base) => priceOf(index, base, tokens.USDT).perToken(),
    })

  return {
    hours,
    priceBook,
    equity: perHour(hours.length, (index) => priceOf(index, position.currency, shareClass).quoteAmount(position, 'down')),
    gasPriceWei: perHour(hours.length, (index) => value('gasGwei', index).multiply(GWEI).toBigInt('up')),
    venues: perHour(hours.length, venues),
    volatility: (token, index) => hourly(volatilitySeries(token), index),
  }
}
