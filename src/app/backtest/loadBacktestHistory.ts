import { loadHourlyHistory } from '../../adapters/history/loadHourlyHistory.js'
import { readRewardRows } from '../../adapters/history/readRewardRows.js'
import type { BacktestHistory } from '../../domain/backtest/History.js'
import { requireBacktestData } from './requireBacktestData.js'

export type LoadBacktestHistoryParameters = {
  /** The folder holding prices/, oracle/, gas/ and rewards/ (see `resolveDataDir`). */
  readonly dataDir: string
  /** First hour wanted (ms since epoch, inclusive); the start of the data by default. */
  readonly from?: number | undefined
  /** Last hour wanted (ms since epoch, inclusive); the end of the data by default. */
  readonly to?: number | undefined
}

/**
 * Loads what a backtest replays from `dataDir`, as plain data: the hourly series on one grid
 * (`loadHourlyHistory`) and ether.fi's reward rows (`readRewardRows`). Every missing file is named
 * at once, sorted by path (`requireBacktestData`), before the two are read side by side.
 */
export async function loadBacktestHistory(parameters: LoadBacktestHistoryParameters): Promise<BacktestHistory> {
  const { dataDir } = parameters
  await requireBacktestData({ dataDir })
  const [hourly, rewards] = await Promise.all([loadHourlyHistory({ dataDir, from: parameters.from, to: parameters.to }), readRewardRows(dataDir)])
  return { hourly, rewards }
}
