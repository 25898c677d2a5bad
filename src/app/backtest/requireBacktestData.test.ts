import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireBacktestData } from './requireBacktestData.js'
import { resolveDataDir } from './resolveDataDir.js'

describe('requireBacktestData', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dust-data-dir-'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('names --data-dir, not DUST_DATA_DIR, when the folder came from it', async () => {
    await expect(requireBacktestData({ dataDir: dir, setBy: '--data-dir' })).rejects.toMatchObject({
      shortMessage: `7 history files are missing from ${dir}: gas/ethereum_gas_prices_1h_2024-01-01_2025-09-26.csv, oracle/aave_weETH_ETH_oracle_2024-01-01_2025-09-18.csv, prices/uniswapv3_EIGENWETH_1h_2024-10-05_2025-09-27.csv, prices/uniswapv3_ETHFIWETH_1h_2024-04-01_2025-09-27.csv, prices/uniswapv3_WETHUSDT_1h_2024-01-01_2025-09-27.csv, rewards/etherfi_eigen_distributions.csv and rewards/etherfi_ethfi_topups.csv.`,
      details: 'The backtest replays the hourly history and the ether.fi rewards; give --data-dir the folder that holds gas/, oracle/, prices/ and rewards/.',
    })
    await expect(requireBacktestData({ dataDir: dir, setBy: 'DUST_DATA_DIR' })).rejects.toMatchObject({
      details: 'The backtest replays the hourly history and the ether.fi rewards; set DUST_DATA_DIR to the folder that holds gas/, oracle/, prices/ and rewards/.',
    })
  })

  it('says a data folder that is a file is not a folder', async () => {
    const file = join(dir, 'history.csv')
    await writeFile(file, 'x\n')
    await expect(requireBacktestData({ dataDir: file, setBy: '--data-dir' })).rejects.toMatchObject({ shortMessage: `The history folder ${file} is a file, not a folder.` })
  })

  it('resolves on the real history', async () => {
    await expect(requireBacktestData({ dataDir: resolveDataDir({}), setBy: 'DUST_DATA_DIR' })).resolves.toBeUndefined()
  })
})
