import type { Fraction } from '../money/index.js'

const DAY = 86_400_000

/** One row of ether.fi's weekly EIGEN distributions (`etherfi_eigen_distributions.csv`). */
export type EigenDistributionRow = {
  /** 00:00 UTC of `staking_period_start`, in ms. */
  readonly periodStart: number
  /** 00:00 UTC of `staking_period_end`, in ms (the period includes that whole day). */
  readonly periodEnd: number
  /** `eigen_per_eeth_weekly`: EIGEN paid per 1 eETH held over the period, as published. */
  readonly eigenPerEeth: Fraction
}

/** One row of ether.fi's ETHFI top-ups (`etherfi_ethfi_topups.csv`). */
export type EthfiTopUpRow = {
  /** 00:00 UTC of `top_up_date`, in ms. */
  readonly topUpDate: number
  readonly periodStart: number
  readonly periodEnd: number
  /** `ethfi_per_eeth_distributed`: ETHFI paid per 1 eETH for the period. */
  readonly ethfiPerEeth: Fraction
}

export type RewardToken = 'EIGEN' | 'ETHFI'

/** A reward credited to the position: whole tokens, exact. */
export type RewardCredit = { readonly at: number; readonly token: RewardToken; readonly amount: Fraction }

export type RewardScheduleParameters = {
  readonly eigenRows: readonly EigenDistributionRow[]
  readonly ethfiRows: readonly EthfiTopUpRow[]
  /**
   * ETH per 1 weETH at an instant (ms). It is called with the credit instant `at` of each reward, an
   * hour start; the caller decides what an hour without a row gives (the backtest carries the
   * oracle's first value back before its first row and its last value forward after its last).
   */
  readonly oracle: (at: number) => Fraction
  /** The weETH held over the whole schedule. */
  readonly position: Fraction
}

/**
 * Lists the EIGEN and ETHFI a constant weETH position earns, in time order, by the convention of
 * `shared/data/README.md`.
 *
 * One weETH stands for `oracle` eETH, so W weETH earn `eigen_per_eeth_weekly × W × oracle` EIGEN,
 * credited at the end of `staking_period_end` (00:00 UTC of the next day, with the oracle at that
 * instant), and `ethfi_per_eeth_distributed × W × oracle` ETHFI at 00:00 UTC of `top_up_date`
 * (oracle at that instant). Amounts are exact; on a tie EIGEN comes first.
 */
export function rewardSchedule(parameters: RewardScheduleParameters): RewardCredit[] {
  const { position, oracle } = parameters
  const credits: RewardCredit[] = []
  for (const row of parameters.eigenRows) {
    const at = row.periodEnd + DAY
    credits.push({ at, token: 'EIGEN', amount: row.eigenPerEeth.multiply(position).multiply(oracle(at)) })
  }
  for (const row of parameters.ethfiRows) {
    const at = row.topUpDate
    credits.push({ at, token: 'ETHFI', amount: row.ethfiPerEeth.multiply(position).multiply(oracle(at)) })
  }
  // Array.prototype.sort is stable, so EIGEN (pushed first) stays ahead of ETHFI at the same instant.
  return credits.sort((left, right) => left.at - right.at)
}
