import type { Currency, Fraction } from '../../domain/money/index.js'

/** The tokens a backtest prices from `shared/data`, as the strategy's registry defines them. */
export type BacktestTokens = {
  readonly EIGEN: Currency
  readonly ETHFI: Currency
  readonly WETH: Currency
  readonly ETH: Currency
  readonly USDT: Currency
  readonly weETH: Currency
}

/** The DEX of the past: constant-product pools at each hour's close, this deep in WETH per side. */
export type BacktestDexSettings = {
  readonly name: string
  readonly depthWeth: { readonly EIGEN: Fraction; readonly ETHFI: Fraction; readonly USDT: Fraction }
  readonly gas: { readonly swap: bigint; readonly extraHop: bigint }
}

/** The CEX of the past: bid and ask levels laid around each hour's close. */
export type BacktestCexSettings = {
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

/** The venues of the past, as exact figures (see `backtest` in the configuration). */
export type BacktestVenueSettings = {
  readonly chain: string
  readonly dex?: BacktestDexSettings | undefined
  readonly cex?: BacktestCexSettings | undefined
}
