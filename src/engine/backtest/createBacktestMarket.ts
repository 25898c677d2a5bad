import { createStaticAmmVenue } from '../../adapters/static/createStaticAmmVenue.js'
import { createStaticCexVenue } from '../../adapters/static/createStaticCexVenue.js'
import type { LoadHourlyHistoryReturnType } from '../../adapters/history/loadHourlyHistory.js'
import { trailingVolatility } from '../../domain/backtest/holdingRisk.js'
import { Amount, type Currency, Fraction, Price, type PriceBook, createPriceBook } from '../../domain/money/index.js'
import type { OrderBookLevel, OrderBookMarket } from '../../domain/planning/orderBook.js'
import type { ConstantProductPool } from '../../domain/planning/quoteConstantProduct.js'
import { SourceError } from '../../errors/index.js'
import type { ConversionVenue } from '../../ports/index.js'

/** The tokens a backtest prices from `shared/data`, as the strategy's registry defines them. */
export type BacktestTokens = {
  readonly EIGEN: Currency
  readonly ETHFI: Currency
  readonly WETH: Currency
  readonly ETH: Currency
  readonly USDT: Currency
  readonly weETH: Currency
}

/** The venues of the past, as exact figures (see `backtest` in the configuration). */
export type BacktestVenueSettings = {
  readonly chain: string
  readonly dex?: { readonly name: string; readonly depthWeth: { readonly EIGEN: Fraction; readonly ETHFI: Fraction; readonly USDT: Fraction }; readonly gas: { swap: bigint; extraHop: bigint } } | undefined
  readonly cex?:
    | {
        readonly name: string
        readonly takerFeeBps: Fraction
        readonly minNotional: Fraction
        /** Of the EIGEN and ETHFI markets. */
        readonly amountStep: Fraction
        /** Of the ETH/USDT market. */
        readonly ethAmountStep: Fraction
        readonly halfSpreadBps: Fraction
        readonly levelStepBps: Fraction
        readonly levelValue: Fraction
        readonly levels: number
      }
    | undefined
}

export type CreateBacktestMarketParameters = {
  readonly history: LoadHourlyHistoryReturnType
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

const BPS = 10_000n
const GWEI = 10n ** 9n

/** Base units of `currency` for `tokens` whole tokens, rounded down. */
function units(currency: Currency, tokens: Fraction): bigint {
  return tokens.multiply(10n ** BigInt(currency.decimals)).toBigInt('down')
}

/**
 * Builds the market a backtest replays: one price book, equity, gas price and set of venues per
 * hour of the history, each made on first use and kept.
 *
 * The DEX is constant-product pools at each hour's close with the fee tier of its file and the
 * configured WETH depth per side; the CEX has bid levels laid under the close (half spread, then
 * a step per level) with its taker fee, minimum notional and amount step. Both are the static
 * venues live paper trading uses, so the planner quotes them exactly as it quotes live ones.
 */
export function createBacktestMarket(parameters: CreateBacktestMarketParameters): BacktestMarket {
  const { history, tokens, shareClass, position, venues: settings } = parameters
  const { hours, values } = history
  const books = new Array<PriceBook | undefined>(hours.length)
  const equities = new Array<Amount | undefined>(hours.length)
  const venueSets = new Array<readonly ConversionVenue[] | undefined>(hours.length)
  const gas = values.gasGwei.map((gwei) => gwei.multiply(GWEI).toBigInt('up'))

  const priceBook = (index: number): PriceBook => {
    let book = books[index]
    if (!book) {
      const at = hours[index] as number
      const pool = { source: 'uniswap_v3_close', at }
      book = createPriceBook({
        at,
        equivalents: parameters.equivalents,
        prices: [
          Price.fromTokens(tokens.EIGEN, tokens.WETH, values.eigenWeth[index] as Fraction, pool),
          Price.fromTokens(tokens.ETHFI, tokens.WETH, values.ethfiWeth[index] as Fraction, pool),
          Price.fromTokens(tokens.WETH, tokens.USDT, values.ethUsdt[index] as Fraction, pool),
          Price.fromTokens(tokens.weETH, tokens.ETH, values.weethEth[index] as Fraction, { source: 'aave_oracle', at }),
        ],
      })
      books[index] = book
    }
    return book
  }

  /** A price the market cannot do without; the history and the equivalents always give it when the configuration is whole. */
  const priceOf = (index: number, base: Currency, quote: Currency): Price => {
    const price = priceBook(index).price(base, quote)
    if (!price) {
      throw new SourceError('history', `The history gives no ${base.symbol}/${quote.symbol} price at ${new Date(hours[index] as number).toISOString()}.`, {
        details: 'Expected the pool closes and the oracle to connect them, with WETH counted as ETH (equivalents: { WETH: ETH }).',
      })
    }
    return price
  }

  // Whole share-class tokens per whole token, per hour: what the volatility is measured on.
  const volatilities = new Map<string, bigint[]>()
  const volatility = (token: Currency, index: number): bigint => {
    let series = volatilities.get(token.symbol)
    if (!series) {
      const prices = hours.map((_, hour) => priceBook(hour).price(token, shareClass)?.perToken())
      series = prices.every((price) => price !== undefined && price.numerator > 0n)
        ? trailingVolatility(prices as Fraction[], parameters.volatilityHours)
        : new Array<bigint>(hours.length).fill(0n)
      volatilities.set(token.symbol, series)
    }
    return series[index] as bigint
  }

  const buildVenues = (index: number): readonly ConversionVenue[] => {
    const built: ConversionVenue[] = []
    const weth = tokens.WETH
    if (settings.dex) {
      const { depthWeth, name } = settings.dex
      const pool = (token: Currency, wethPerToken: Fraction, depth: Fraction, feeBps: Fraction): ConstantProductPool => {
        const wethReserve = units(weth, depth)
        const tokenReserve = units(token, depth.divide(wethPerToken))
        return { name: `${name}:${token.symbol}/WETH`, token0: token, token1: weth, reserve0: tokenReserve, reserve1: wethReserve, feeBps }
      }
      const usdtPerWeth = values.ethUsdt[index] as Fraction
      const pools: ConstantProductPool[] = [
        pool(tokens.EIGEN, values.eigenWeth[index] as Fraction, depthWeth.EIGEN, history.feeBps.eigenWeth),
        pool(tokens.ETHFI, values.ethfiWeth[index] as Fraction, depthWeth.ETHFI, history.feeBps.ethfiWeth),
        {
          name: `${name}:WETH/USDT`,
          token0: weth,
          token1: tokens.USDT,
          reserve0: units(weth, depthWeth.USDT),
          reserve1: units(tokens.USDT, depthWeth.USDT.multiply(usdtPerWeth)),
          feeBps: history.feeBps.ethUsdt,
        },
      ]
      built.push(createStaticAmmVenue({ name, chain: settings.chain, pools, gas: settings.dex.gas }))
    }
    if (settings.cex) {
      const cex = settings.cex
      const market = (base: Currency, amountStep: Fraction): OrderBookMarket => {
        const mid = priceOf(index, base, tokens.USDT).perToken()
        const bids: OrderBookLevel[] = []
        const asks: OrderBookLevel[] = []
        for (let level = 0; level < cex.levels; level += 1) {
          const offset = cex.halfSpreadBps.add(cex.levelStepBps.multiply(BigInt(level)))
          const bid = mid.multiply(new Fraction(BPS).subtract(offset)).divide(BPS)
          const ask = mid.multiply(new Fraction(BPS).add(offset)).divide(BPS)
          // Quote base units per base base unit, as the order-book quoting expects.
          const scale = (perToken: Fraction) => perToken.multiply(10n ** BigInt(tokens.USDT.decimals)).divide(10n ** BigInt(base.decimals)).reduce()
          if (bid.numerator > 0n) bids.push({ price: scale(bid), size: units(base, cex.levelValue.divide(bid)) })
          asks.push({ price: scale(ask), size: units(base, cex.levelValue.divide(ask)) })
        }
        return {
          symbol: `${base.symbol}/USDT`,
          base,
          quote: tokens.USDT,
          bids,
          asks,
          takerFeeBps: cex.takerFeeBps,
          minNotional: Amount.fromRaw(tokens.USDT, units(tokens.USDT, cex.minNotional)),
          amountStep: units(base, amountStep),
        }
      }
      built.push(createStaticCexVenue({ name: cex.name, chain: settings.chain, markets: [market(tokens.EIGEN, cex.amountStep), market(tokens.ETHFI, cex.amountStep), market(tokens.ETH, cex.ethAmountStep)] }))
    }
    return built
  }

  return {
    hours,
    priceBook,
    equity(index) {
      let equity = equities[index]
      if (!equity) {
        equity = priceOf(index, position.currency, shareClass).quoteAmount(position, 'down')
        equities[index] = equity
      }
      return equity
    },
    gasPriceWei: (index) => gas[index] as bigint,
    venues(index) {
      let set = venueSets[index]
      if (!set) {
        set = buildVenues(index)
        venueSets[index] = set
      }
      return set
    },
    volatility,
  }
}
