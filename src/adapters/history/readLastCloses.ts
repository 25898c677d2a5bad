import { open, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { LastClose, LastCloses } from '../../domain/backtest/History.js'
import { Fraction } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { packageRoot } from '../system/packageRoot.js'
import { requireDataFiles } from './requireDataFiles.js'

/** The history files of `shared/data` the demo seeds its pools from. */
export const HISTORY_FILES = {
  ethUsdt: 'prices/uniswapv3_WETHUSDT_1h_2024-01-01_2025-09-27.csv',
  eigenWeth: 'prices/uniswapv3_EIGENWETH_1h_2024-10-05_2025-09-27.csv',
  ethfiWeth: 'prices/uniswapv3_ETHFIWETH_1h_2024-04-01_2025-09-27.csv',
  weethEth: 'oracle/aave_weETH_ETH_oracle_2024-01-01_2025-09-18.csv',
  gas: 'gas/ethereum_gas_prices_1h_2024-01-01_2025-09-26.csv',
} as const

// The demo imports these types from here; they are plain data of the domain.
export type { LastClose, LastCloses }

/** `shared/data` beside the project: `DUST_DATA_DIR` when set, else `../shared/data` from the project root. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.DUST_DATA_DIR) return resolve(env.DUST_DATA_DIR)
  return resolve(packageRoot(import.meta.url), '..', 'shared', 'data')
}

/** Reads the last data line of a CSV without reading the whole file. */
async function lastLine(path: string): Promise<{ header: string[]; row: string[] }> {
  let size: number
  try {
    size = (await stat(path)).size
  } catch (cause) {
    throw new SourceError('history', `The history file ${path} is missing.`, {
      cause,
      details: 'The demo seeds its pools at the last real prices of shared/data; set DUST_DATA_DIR to the folder that holds prices/, oracle/ and gas/.',
    })
  }
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(Math.min(size, 4096))
    await handle.read(head, 0, head.length, 0)
    const header = (
      head
        .toString('utf8')
        .split('\n')
        .find((line) => line.length > 0 && !line.startsWith('#')) ?? ''
    )
      .trim()
      .split(',')
    const tailSize = Math.min(size, 4096)
    const tail = Buffer.alloc(tailSize)
    await handle.read(tail, 0, tailSize, size - tailSize)
    const lines = tail
      .toString('utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#'))
    const row = (lines.at(-1) ?? '').split(',')
    return { header, row }
  } finally {
    await handle.close()
  }
}

async function column(dataDir: string, file: string, name: string, timeColumn: string): Promise<LastClose> {
  const path = join(dataDir, file)
  const { header, row } = await lastLine(path)
  const index = header.indexOf(name)
  const timeIndex = header.indexOf(timeColumn)
  const text = row[index]
  if (index < 0 || text === undefined || !/^\d+(\.\d+)?$/.test(text)) {
    throw new SourceError('history', `The last line of ${path} has no decimal "${name}".`, {
      details: `Expected a column "${name}" with a decimal number, found ${header.join('') === '' ? 'an empty file' : `header ${header.join(',')} and row ${row.join(',')}`}.`,
    })
  }
  return { value: Fraction.fromDecimalString(text), time: row[timeIndex] ?? '', file }
}

/** Reads the last real prices, oracle rate and gas price of `shared/data`, exactly as written; missing files are all named in one error, sorted by path. */
export async function readLastCloses(dataDir: string = defaultDataDir()): Promise<LastCloses> {
  await requireDataFiles({ dataDir, files: Object.values(HISTORY_FILES), reader: 'The demo seeds its pools at the last real prices' })
  const [ethUsdt, eigenWeth, ethfiWeth, weethEth, gasGwei] = await Promise.all([
    column(dataDir, HISTORY_FILES.ethUsdt, 'close', 'date_utc'),
    column(dataDir, HISTORY_FILES.eigenWeth, 'close', 'date_utc'),
    column(dataDir, HISTORY_FILES.ethfiWeth, 'close', 'date_utc'),
    column(dataDir, HISTORY_FILES.weethEth, 'oracle_price_eth', 'timestamp'),
    column(dataDir, HISTORY_FILES.gas, 'gas_price_gwei', 'timestamp'),
  ])
  return { ethUsdt, eigenWeth, ethfiWeth, weethEth, gasGwei }
}
