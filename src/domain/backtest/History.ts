import type { Fraction } from '../money/index.js'
import type { EigenDistributionRow, EthfiTopUpRow } from './rewardSchedule.js'

/** The five hourly series of a backtest: pool closes, the weETH oracle rate and the gas price. */
export type HourlySeries = 'eigenWeth' | 'ethfiWeth' | 'ethUsdt' | 'weethEth' | 'gasGwei'

/** The series that are Uniswap v3 pools, with a fee tier. */
export type PoolSeries = 'eigenWeth' | 'ethfiWeth' | 'ethUsdt'

/** The hourly history a backtest replays, as plain data: one exact value per series per hour. */
export type HourlyHistory = {
  /** UTC hour starts in ms, one per hour, without holes. */
  readonly hours: readonly number[]
  /** Per series, one exact value per entry of `hours`. */
  readonly values: Readonly<Record<HourlySeries, readonly Fraction[]>>
  /** Per series, how many hours of the grid had no row and carry the previous value. */
  readonly filled: Readonly<Record<HourlySeries, number>>
  /** Per series, the file read (relative to the data folder). */
  readonly files: Readonly<Record<HourlySeries, string>>
  /** Per pool series, its swap fee in basis points, from the file's `fee_tier` column (`0.3%` → 30). */
  readonly feeBps: Readonly<Record<PoolSeries, Fraction>>
}

/** The ether.fi reward rows a backtest lays its credits out from, amounts exact. */
export type RewardRows = {
  readonly eigenRows: readonly EigenDistributionRow[]
  readonly ethfiRows: readonly EthfiTopUpRow[]
}

/** Everything a backtest replays: the hourly series and the reward rows. */
export type BacktestHistory = {
  readonly hourly: HourlyHistory
  readonly rewards: RewardRows
}

/** One last observation: its value, exact, and its time as written in the file. */
export type LastClose = { readonly value: Fraction; readonly time: string; readonly file: string }

/** The last real prices, oracle rate and gas price of the history, which the demo seeds its pools at. */
export type LastCloses = {
  /** USDT per WETH, EIGEN and ETHFI in WETH (Uniswap v3 hourly closes), weETH in ETH (Aave oracle), gas in gwei. */
  readonly ethUsdt: LastClose
  readonly eigenWeth: LastClose
  readonly ethfiWeth: LastClose
  readonly weethEth: LastClose
  readonly gasGwei: LastClose
}
