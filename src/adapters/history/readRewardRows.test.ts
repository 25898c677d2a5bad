import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultDataDir } from './readLastCloses.js'
import { REWARD_FILES, readRewardRows } from './readRewardRows.js'

const EIGEN_HEADER = 'staking_period_start,staking_period_end,eigen_earned,eth_restaked,eth_not_restaked,eigen_per_eeth_weekly'
const ETHFI_HEADER = 'top_up_date,staking_period_start,staking_period_end,ethfi_amount,ethfi_per_eeth_distributed'

async function fixture(eigen: string[], ethfi: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dust-rewards-'))
  await mkdir(join(dir, 'rewards'))
  await writeFile(join(dir, REWARD_FILES.eigen), `${eigen.join('\n')}\n`)
  await writeFile(join(dir, REWARD_FILES.ethfi), `${ethfi.join('\n')}\n`)
  return dir
}

describe('readRewardRows', () => {
  it('reads the 44 EIGEN distributions and 7 ETHFI top-ups of shared/data exactly', async () => {
    const { eigenRows, ethfiRows } = await readRewardRows(defaultDataDir({}))
    expect(eigenRows.length).toBe(44)
    expect(ethfiRows.length).toBe(7)
    expect(eigenRows[0]?.periodStart).toBe(Date.UTC(2024, 7, 15))
    expect(eigenRows[0]?.periodEnd).toBe(Date.UTC(2024, 9, 5))
    expect(eigenRows[0]?.eigenPerEeth.toDecimalString(6)).toBe('0.205')
    expect(eigenRows.at(-1)?.periodEnd).toBe(Date.UTC(2025, 7, 2))
    expect(eigenRows.at(-1)?.eigenPerEeth.toDecimalString(6)).toBe('0.178')
    expect(ethfiRows[0]).toMatchObject({ topUpDate: Date.UTC(2024, 9, 18), periodStart: Date.UTC(2024, 7, 15), periodEnd: Date.UTC(2024, 9, 5) })
    expect(ethfiRows[0]?.ethfiPerEeth.toDecimalString(6)).toBe('0.248')
    expect(ethfiRows[1]?.ethfiPerEeth.toDecimalString(6)).toBe('0.02')
    expect(ethfiRows.at(-1)?.topUpDate).toBe(Date.UTC(2024, 11, 19))
  })

  it('names a missing file and says to set DUST_DATA_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dust-rewards-'))
    try {
      await expect(readRewardRows(dir)).rejects.toMatchObject({ name: 'SourceError', details: expect.stringContaining('set DUST_DATA_DIR') })
      await expect(readRewardRows(dir)).rejects.toThrow(`2 history files are missing from ${dir}: rewards/etherfi_eigen_distributions.csv and rewards/etherfi_ethfi_topups.csv.`)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('names the file and line of a malformed date or amount', async () => {
    const badAmount = await fixture([EIGEN_HEADER, '2024-08-15,2024-10-05,1,1,1,0.205', '2024-10-06,2024-10-12,1,1,1,-0.1'], [ETHFI_HEADER])
    const badDate = await fixture([EIGEN_HEADER], [ETHFI_HEADER, '2024-10-18,2024-08-15,2024-10-05,1,0.248', '2024-02-30,2024-10-06,2024-10-12,1,0.02'])
    const badHeader = await fixture(['staking_period_start,eigen'], [ETHFI_HEADER])
    try {
      await expect(readRewardRows(badAmount)).rejects.toThrow(`Line 3 of ${join(badAmount, REWARD_FILES.eigen)} is malformed.\nExpected a decimal "eigen_per_eeth_weekly" such as 0.205, found "-0.1".`)
      await expect(readRewardRows(badDate)).rejects.toThrow(`Line 3 of ${join(badDate, REWARD_FILES.ethfi)} is malformed.\nExpected "top_up_date" as a date such as 2024-10-05, found "2024-02-30".`)
      await expect(readRewardRows(badHeader)).rejects.toThrow('Expected a header with the columns staking_period_start,staking_period_end,eigen_per_eeth_weekly, found "staking_period_start,eigen".')
    } finally {
      for (const dir of [badAmount, badDate, badHeader]) await rm(dir, { recursive: true })
    }
  })

  it('refuses a row cut short and a date written another way, naming the file and line', async () => {
    const cut = await fixture([EIGEN_HEADER, '2024-08-15,2024-10-05'], [ETHFI_HEADER])
    const otherDate = await fixture([EIGEN_HEADER], [ETHFI_HEADER, '18/10/2024,2024-08-15,2024-10-05,1,0.248'])
    try {
      await expect(readRewardRows(cut)).rejects.toMatchObject({
        name: 'SourceError',
        shortMessage: `Line 2 of ${join(cut, REWARD_FILES.eigen)} is malformed.`,
        details: 'Expected a decimal "eigen_per_eeth_weekly" such as 0.205, found "".',
      })
      await expect(readRewardRows(otherDate)).rejects.toMatchObject({
        name: 'SourceError',
        shortMessage: `Line 2 of ${join(otherDate, REWARD_FILES.ethfi)} is malformed.`,
        details: 'Expected "top_up_date" as a date such as 2024-10-05, found "18/10/2024".',
      })
    } finally {
      for (const dir of [cut, otherDate]) await rm(dir, { recursive: true })
    }
  })
})
