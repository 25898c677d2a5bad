import { Amount, type Currency, type Fraction } from '../../domain/money/index.js'
import type { ConstantProductPool } from '../../domain/planning/quoteConstantProduct.js'
import type { BacktestDexSettings, BacktestTokens } from './BacktestVenueSettings.js'

export type LayOutPoolsParameters = {
  readonly dex: BacktestDexSettings
  readonly tokens: BacktestTokens
  /** The hour's closes: WETH per EIGEN and per ETHFI, USDT per WETH. */
  readonly closes: { readonly eigenWeth: Fraction; readonly ethfiWeth: Fraction; readonly ethUsdt: Fraction }
  /** Each pool's swap fee, from its file. */
  readonly feeBps: { readonly eigenWeth: Fraction; readonly ethfiWeth: Fraction; readonly ethUsdt: Fraction }
}

/** Base units of `currency` for `tokens` whole tokens, rounded down. */
function units(currency: Currency, tokens: Fraction): bigint {
  return Amount.fromTokens(currency, tokens, 'down').raw
}

/**
 * Lays out the DEX of one hour: an EIGEN/WETH, an ETHFI/WETH and a WETH/USDT constant-product pool
 * priced at the hour's closes, each holding the configured depth of WETH and its worth of the other
 * token, with the fee tier of its file.
 */
export function layOutPools(parameters: LayOutPoolsParameters): ConstantProductPool[] {
  const { dex, tokens, closes, feeBps } = parameters
  const weth = tokens.WETH
  const pool = (token: Currency, wethPerToken: Fraction, depth: Fraction, fee: Fraction): ConstantProductPool => ({
    name: `${dex.name}:${token.symbol}/WETH`,
    token0: token,
    token1: weth,
    reserve0: units(token, depth.divide(wethPerToken)),
    reserve1: units(weth, depth),
    feeBps: fee,
  })
  return [
    pool(tokens.EIGEN, closes.eigenWeth, dex.depthWeth.EIGEN, feeBps.eigenWeth),
    pool(tokens.ETHFI, closes.ethfiWeth, dex.depthWeth.ETHFI, feeBps.ethfiWeth),
    {
      name: `${dex.name}:WETH/USDT`,
      token0: weth,
      token1: tokens.USDT,
      reserve0: units(weth, dex.depthWeth.USDT),
      reserve1: units(tokens.USDT, dex.depthWeth.USDT.multiply(closes.ethUsdt)),
      feeBps: feeBps.ethUsdt,
    },
  ]
}
