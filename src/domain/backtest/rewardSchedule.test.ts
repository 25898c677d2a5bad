import { describe, expect, it } from 'vitest'
import { loadHourlyHistory } from '../../adapters/history/loadHourlyHistory.js'
import { defaultDataDir } from '../../adapters/history/readLastCloses.js'
import { readRewardRows } from '../../adapters/history/readRewardRows.js'
import { Fraction } from '../money/index.js'
import { type RewardCredit, rewardSchedule } from './rewardSchedule.js'

const HOUR = 3_600_000
const decimal = (text: string) => Fraction.fromDecimalString(text)

function total(credits: readonly RewardCredit[], token: RewardCredit['token']): Fraction {
  return credits.filter((credit) => credit.token === token).reduce((sum, credit) => sum.add(credit.amount), Fraction.ZERO)
}

describe('rewardSchedule', () => {
  it('credits EIGEN at the end of the period end day and ETHFI at the start of the top-up day, times the oracle', () => {
    const asked: number[] = []
    const oracle = (at: number) => {
      asked.push(at)
      return at < Date.UTC(2024, 9, 10) ? decimal('1.05') : decimal('1.1')
    }
    const credits = rewardSchedule({
      eigenRows: [
        { periodStart: Date.UTC(2024, 9, 6), periodEnd: Date.UTC(2024, 9, 12), eigenPerEeth: decimal('0.179') },
        { periodStart: Date.UTC(2024, 7, 15), periodEnd: Date.UTC(2024, 9, 5), eigenPerEeth: decimal('0.205') },
      ],
      ethfiRows: [{ topUpDate: Date.UTC(2024, 9, 13), periodStart: Date.UTC(2024, 7, 15), periodEnd: Date.UTC(2024, 9, 5), ethfiPerEeth: decimal('0.248') }],
      oracle,
      position: decimal('1000'),
    })
    // 0.205 × 1000 × 1.05 = 215.25; 0.179 × 1000 × 1.1 = 196.9; 0.248 × 1000 × 1.1 = 272.8
    expect(credits.map((credit) => [new Date(credit.at).toISOString(), credit.token, credit.amount.toDecimalString(18)])).toEqual([
      ['2024-10-06T00:00:00.000Z', 'EIGEN', '215.25'],
      ['2024-10-13T00:00:00.000Z', 'EIGEN', '196.9'],
      ['2024-10-13T00:00:00.000Z', 'ETHFI', '272.8'],
    ])
    expect(asked).toEqual([Date.UTC(2024, 9, 13), Date.UTC(2024, 9, 6), Date.UTC(2024, 9, 13)])
  })

  it('gives nothing for no rows and scales linearly with the position', () => {
    expect(rewardSchedule({ eigenRows: [], ethfiRows: [], oracle: () => Fraction.ONE, position: decimal('1000') })).toEqual([])
    const row = { periodStart: 0, periodEnd: 0, eigenPerEeth: decimal('0.2') }
    const [small] = rewardSchedule({ eigenRows: [row], ethfiRows: [], oracle: () => decimal('1.07'), position: decimal('0.000001') })
    expect(small?.amount.equals(new Fraction(214n, 1_000_000_000n))).toBe(true)
  })

  it('earns 1,000 weETH about 8,708 EIGEN and 1,068 ETHFI over the real files, as shared/data/README.md says', async () => {
    const dataDir = defaultDataDir({})
    const [{ eigenRows, ethfiRows }, history] = await Promise.all([readRewardRows(dataDir), loadHourlyHistory({ dataDir })])
    const start = history.hours[0] as number
    const rates = history.values.weethEth
    // The oracle at an hour of the grid; before the grid the first rate is carried back, after it the last
    // carried forward. On these files every credit (2024-10-06 → 2025-08-03) falls inside the grid
    // (2024-10-05 → 2025-09-26), so neither carry is used.
    const oracle = (at: number) => rates[Math.min(Math.max(Math.floor((at - start) / HOUR), 0), rates.length - 1)] as Fraction
    const credits = rewardSchedule({ eigenRows, ethfiRows, oracle, position: decimal('1000') })

    expect(credits.length).toBe(44 + 7)
    expect(credits.every((credit, index) => index === 0 || credit.at >= (credits[index - 1] as RewardCredit).at)).toBe(true)
    expect(new Date(credits[0]?.at ?? 0).toISOString()).toBe('2024-10-06T00:00:00.000Z')
    expect(new Date(credits.at(-1)?.at ?? 0).toISOString()).toBe('2025-08-03T00:00:00.000Z')
    // The first credit, by hand: 0.205 EIGEN/eETH × 1000 weETH × 1.0496154104071889 eETH/weETH (oracle 2024-10-06 00:00).
    expect(credits[0]?.amount.equals(decimal('0.205').multiply(decimal('1000')).multiply(decimal('1.0496154104071889')))).toBe(true)
    expect(credits[0]?.amount.toDecimalString(18)).toBe('215.1711591334737245')
    // The first ETHFI top-up: 0.248 × 1000 × 1.0505967472586326 (oracle 2024-10-18 00:00).
    const firstEthfi = credits.find((credit) => credit.token === 'ETHFI')
    expect(firstEthfi?.amount.toDecimalString(18)).toBe('260.5479933201408848')

    // Σ eigen_per_eeth_weekly × 1000 × oracle and Σ ethfi_per_eeth_distributed × 1000 × oracle, exact.
    const eigen = total(credits, 'EIGEN')
    const ethfi = total(credits, 'ETHFI')
    expect(eigen.toDecimalString(0)).toBe('8708')
    expect(ethfi.toDecimalString(0)).toBe('1068')
    expect(eigen.toDecimalString(9)).toBe('8707.74343425')
    expect(ethfi.toDecimalString(9)).toBe('1068.252673337')
    // Without the oracle (1 weETH = 1 eETH) the columns alone sum to 8,201 EIGEN and 1,014 ETHFI per 1,000.
    const sum = (values: readonly Fraction[]) => values.reduce((acc, value) => acc.add(value), Fraction.ZERO).multiply(1000n)
    expect(sum(eigenRows.map((row) => row.eigenPerEeth)).toDecimalString(3)).toBe('8201')
    expect(sum(ethfiRows.map((row) => row.ethfiPerEeth)).toDecimalString(3)).toBe('1014')
  })
})
