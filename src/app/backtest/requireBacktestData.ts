import { HISTORY_FILES } from '../../adapters/history/readLastCloses.js'
import { REWARD_FILES } from '../../adapters/history/readRewardRows.js'
import { requireDataFiles } from '../../adapters/history/requireDataFiles.js'

/**
 * Checks that `dataDir` is a folder holding every file a backtest reads, before the replay; the
 * error names `setBy` (`--data-dir` when the folder came from it; `DUST_DATA_DIR` by default) as
 * what to change. `loadBacktestHistory` checks with it too, so the list is written once.
 */
export async function requireBacktestData(parameters: { readonly dataDir: string; readonly setBy?: '--data-dir' | 'DUST_DATA_DIR' | undefined }): Promise<void> {
  const files = [...Object.values(HISTORY_FILES), ...Object.values(REWARD_FILES)]
  await requireDataFiles({ ...parameters, files, reader: 'The backtest replays the hourly history and the ether.fi rewards' })
}
