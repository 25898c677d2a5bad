import { loadHourlyHistory } from '../../adapters/history/loadHourlyHistory.js'
import { HISTORY_FILES } from '../../adapters/history/readLastCloses.js'
import { REWARD_FILES, readRewardRows } from '../../adapters/history/readRewardRows.js'
import { requireDataFiles } from '../../adapters/history/requireDataFiles.js'
import type { BacktestHistory } from '../../domain/backtest/History.js'

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
 * at once, sorted by path, before the two are read side by side.
 */
export async function loadBacktestHistory(parameters: LoadBacktestHistoryParameters): Promise<BacktestHistory> {
  const { dataDir } = parameters
  const files = [...Object.values(HISTORY_FILES), ...Object.values(REWARD_FILES)]
  await requireDataFiles({ dataDir, files, reader: 'The backtest replays the hourly history and the ether.fi rewards' })
  const [hourly, rewards] = await Promise.all([loadHourlyHistory({ dataDir, from: parameters.from, to: parameters.to }), readRewardRows(dataDir)])
  return { hourly, rewards }
}
