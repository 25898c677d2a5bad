import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RewardRows } from '../../domain/backtest/History.js'
import { Fraction } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { requireDataFiles } from './requireDataFiles.js'

/** The reward files of `shared/data`, relative to it. */
export const REWARD_FILES = {
  eigen: 'rewards/etherfi_eigen_distributions.csv',
  ethfi: 'rewards/etherfi_ethfi_topups.csv',
} as const

export type ReadRewardRowsReturnType = RewardRows

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DECIMAL = /^\d+(?:\.\d+)?$/

type Cells = { readonly date: (column: string) => number; readonly decimal: (column: string) => Fraction }

async function readRows(dataDir: string, file: string, columns: readonly string[]): Promise<{ path: string; rows: Cells[] }> {
  const path = join(dataDir, file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new SourceError('history', `The reward file ${path} is missing.`, {
      cause,
      details: 'The backtest replays the ether.fi rewards of shared/data; set DUST_DATA_DIR to the folder that holds rewards/.',
    })
  }
  const lines = text.split('\n')
  const header = (lines[0] ?? '').trim().split(',')
  const missing = columns.filter((column) => !header.includes(column))
  if (missing.length > 0) {
    throw new SourceError('history', `Line 1 of ${path} is malformed.`, { details: `Expected a header with the columns ${columns.join(',')}, found "${header.join(',')}".` })
  }
  const rows: Cells[] = []
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (index === 0 || line.length === 0) return
    const cells = line.split(',')
    const lineNumber = index + 1
    const cell = (column: string): string => cells[header.indexOf(column)] ?? ''
    const malformed = (expected: string, found: string): SourceError =>
      new SourceError('history', `Line ${lineNumber} of ${path} is malformed.`, { details: `Expected ${expected}, found "${found}".` })
    rows.push({
      decimal: (column) => {
        const found = cell(column)
        if (DECIMAL.test(found)) return Fraction.fromDecimalString(found)
        throw malformed(`a decimal "${column}" such as 0.205`, found)
      },
      date: (column) => {
        const found = cell(column)
        const match = DATE.exec(found)
        const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN
        // Date.UTC rolls 2024-02-30 over to March; a date that does not read back is malformed.
        if (match && new Date(ms).toISOString().startsWith(found)) return ms
        throw malformed(`"${column}" as a date such as 2024-10-05`, found)
      },
    })
  })
  return { path, rows }
}

/** Reads ether.fi's EIGEN distributions and ETHFI top-ups from `dataDir/rewards`, amounts exact; missing files are all named in one error, sorted by path. */
export async function readRewardRows(dataDir: string): Promise<ReadRewardRowsReturnType> {
  await requireDataFiles({ dataDir, files: Object.values(REWARD_FILES), reader: 'The backtest replays the ether.fi rewards' })
  const [eigen, ethfi] = await Promise.all([
    readRows(dataDir, REWARD_FILES.eigen, ['staking_period_start', 'staking_period_end', 'eigen_per_eeth_weekly']),
    readRows(dataDir, REWARD_FILES.ethfi, ['top_up_date', 'staking_period_start', 'staking_period_end', 'ethfi_per_eeth_distributed']),
  ])
  const eigenRows = eigen.rows.map((row) => ({
    periodStart: row.date('staking_period_start'),
    periodEnd: row.date('staking_period_end'),
    eigenPerEeth: row.decimal('eigen_per_eeth_weekly'),
  }))
  const ethfiRows = ethfi.rows.map((row) => ({
    topUpDate: row.date('top_up_date'),
    periodStart: row.date('staking_period_start'),
    periodEnd: row.date('staking_period_end'),
    ethfiPerEeth: row.decimal('ethfi_per_eeth_distributed'),
  }))
  return { eigenRows, ethfiRows }
}
