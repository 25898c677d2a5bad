import { beforeAll, describe, expect, it } from 'vitest'
import { loadBacktestHistory } from './loadBacktestHistory.js'
import { resolveDataDir } from './resolveDataDir.js'
import { loadConfig } from '../../app/loadConfig.js'
import type { LoadedConfig } from '../../config/index.js'
import { rewardSchedule } from '../../domain/backtest/rewardSchedule.js'
import { Amount, Fraction, sumAmounts } from '../../domain/money/index.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import { ConfigError } from '../../errors/index.js'
import { type BacktestReport, backtestStrategy } from './backtestStrategy.js'
import { comparePolicies, renderBacktest, serializeBacktest } from '../../interfaces/backtest/renderBacktest.js'

const HOUR = 3_600_000
const dataDir = resolveDataDir({})
const decimal = Fraction.fromDecimalString

let usdt: LoadedConfig
let large: BacktestReport
let small: BacktestReport

beforeAll(async () => {
  usdt = await loadConfig({ file: 'configs/modes/usdt_eth_staking_hedged_simple.yaml', env: {} })
  ;[large, small] = await Promise.all([backtestStrategy({ loaded: usdt, position: decimal('1000'), dataDir }), backtestStrategy({ loaded: usdt, position: decimal('10'), dataDir })])
}, 120_000)

const run = (report: BacktestReport, policy: BacktestRunResult['policy']) => report.runs.find((candidate) => candidate.policy === policy) as BacktestRunResult

/** What every run must satisfy, whatever it decided. */
function expectConsistent(report: BacktestReport, result: BacktestRunResult) {
  const share = report.shareClass
  const sum = (pick: (conversion: BacktestRunResult['conversions'][number]) => Amount) => sumAmounts(share, result.conversions.map(pick))
  // Every conversion: its value at the hour's price is what it netted plus what it cost.
  for (const conversion of result.conversions) expect(conversion.value.subtract(conversion.cost).equals(conversion.netOutput)).toBe(true)
  expect(result.totalCost.equals(sum((c) => c.cost))).toBe(true)
  expect(result.convertedValue.equals(sum((c) => c.value))).toBe(true)
  expect(result.result.equals(result.proceeds.add(result.remainingDustValue))).toBe(true)
  expect(result.meanDustRatio.greaterThan(result.maxDustRatio)).toBe(false)
  expect(result.conversions.every((conversion, index) => index === 0 || conversion.at >= (result.conversions[index - 1]?.at ?? 0))).toBe(true)
}

describe('backtestStrategy on the real history', () => {
  it('replays 8,568 hours and credits what the data README says 1,000 weETH earned (about 8,708 EIGEN and 1,068 ETHFI)', () => {
    expect(large.hours).toBe(8568)
    expect(large.from).toBe(Date.UTC(2024, 9, 5))
    expect(large.to).toBe(Date.UTC(2025, 8, 26, 23))
    expect(large.received.get('EIGEN')?.toDecimalPlaces(2)).toBe('8707.74')
    expect(large.received.get('ETHFI')?.toDecimalPlaces(2)).toBe('1068.25')
    expect(large.creditsOutside).toBe(0)
    // 10 weETH earns a hundredth, to within the base unit each credit is rounded down to.
    const eigenLarge = large.received.get('EIGEN') as Amount
    const eigenSmall = small.received.get('EIGEN') as Amount
    expect(eigenLarge.raw / 100n - eigenSmall.raw).toBeGreaterThanOrEqual(0n)
    expect(eigenLarge.raw / 100n - eigenSmall.raw).toBeLessThan(100n)
  })

  it('values the ideal as every credit times the pool closes of its hour, rounded down per credit', async () => {
    const { hourly: history, rewards: rows } = await loadBacktestHistory({ dataDir })
    const first = history.hours[0] as number
    const at = (time: number) => (time - first) / HOUR
    const credits = rewardSchedule({ ...rows, position: decimal('1000'), oracle: (time) => history.values.weethEth[at(time)] as Fraction })
    let ideal = 0n
    for (const credit of credits) {
      const index = at(credit.at)
      const perWeth = credit.token === 'EIGEN' ? history.values.eigenWeth[index] : history.values.ethfiWeth[index]
      const tokens = Amount.fromTokens(large.position.currency, credit.amount, 'down').toTokens()
      // Whole USDT = tokens × WETH per token × USDT per WETH; base units are micro-USDT.
      ideal += tokens
        .multiply(perWeth as Fraction)
        .multiply(history.values.ethUsdt[index] as Fraction)
        .multiply(1_000_000n)
        .toBigInt('down')
    }
    expect(large.ideal.raw).toBe(ideal)
    expect(large.ideal.currency.symbol).toBe('USDT')
  })

  it('keeps every run consistent: value less cost is net, totals add up, result is proceeds plus what is still held', () => {
    for (const report of [large, small]) for (const result of report.runs) expectConsistent(report, result)
    expect(large.runs.map((result) => result.policy)).toEqual(['threshold', 'every_receipt', 'weekly', 'cost_aware', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'])
  })

  it('converts at each receipt, on Mondays at midnight, or past dust_delta, as each policy says', () => {
    const receipts = run(large, 'every_receipt')
    // 44 EIGEN distributions and 7 ETHFI top-ups, each sold on its own hour for 1,000 weETH.
    expect(receipts.conversions).toHaveLength(51)
    expect(receipts.conversions.filter((c) => c.token === 'ETHFI')).toHaveLength(7)
    const weekly = run(large, 'weekly')
    expect(weekly.conversions.length).toBeGreaterThan(40)
    for (const conversion of weekly.conversions) {
      expect(new Date(conversion.at).getUTCDay()).toBe(1)
      expect(conversion.at % (24 * HOUR)).toBe(0)
    }
    const threshold = run(large, 'threshold')
    expect(threshold.conversions.length).toBeGreaterThan(0)
    // Held until dust passed 20 bps of equity: the peak is past it, the mean under it.
    expect(threshold.maxDustRatio.greaterThan(decimal('0.002'))).toBe(true)
    expect(threshold.meanDustRatio.lessThan(decimal('0.002'))).toBe(true)
  })

  it('reports the cost-aware policy against the seed threshold from the same run, for 1,000 and for 10 weETH', () => {
    for (const report of [large, small]) {
      const comparison = comparePolicies(report)
      expect(comparison?.threshold.dustDelta.equals(decimal('0.002'))).toBe(true)
      // The cost-aware policy holds far less dust than waiting for the threshold.
      expect(comparison?.costAware.meanDustRatio.lessThan(comparison.threshold.meanDustRatio)).toBe(true)
    }
    // For 10 weETH, gas dominates: selling every receipt costs several times what the cost-aware policy pays.
    expect(run(small, 'every_receipt').totalCost.greaterThan(run(small, 'cost_aware').totalCost.multiply(decimal('2'), 'up'))).toBe(true)
    // For 1,000 weETH, the risk of holding always outweighs the cost: it sells every receipt.
    expect(run(large, 'cost_aware').conversions).toHaveLength(51)
    const text = renderBacktest(small)
    expect(text).toContain("cost_aware against the seed's threshold at dust_delta 0.002: cost ")
    expect(text).toContain('Received: 87.077434 EIGEN and 10.682527 ETHFI')
    const json = serializeBacktest(small)
    expect(json.received).toEqual({ EIGEN: (small.received.get('EIGEN') as Amount).toDecimalString(), ETHFI: (small.received.get('ETHFI') as Amount).toDecimalString() })
    expect(json.comparison?.result_difference).toBe(run(small, 'cost_aware').result.subtract(run(small, 'threshold').result).toDecimalString())
  })

  it('replays a window, leaving out the rewards outside it, and sweeps dust_delta for the two threshold policies', async () => {
    const report = await backtestStrategy({
      loaded: usdt,
      position: decimal('100'),
      dataDir,
      from: Date.UTC(2025, 0, 1),
      to: Date.UTC(2025, 0, 31, 23),
      sweep: [decimal('0.001'), decimal('0.002'), decimal('0.0005')],
    })
    expect(report.hours).toBe(31 * 24)
    // EIGEN periods ending 2025-01-04, -11, -18 and -25 are credited the next day at 00:00 (the one
    // ending 2025-02-01 falls on 2 February): 4 in January, and no ETHFI top-up.
    const inJanuary = report.runs.find((result) => result.policy === 'every_receipt')?.conversions.map((c) => new Date(c.at).toISOString())
    expect(inJanuary).toEqual(['2025-01-05T00:00:00.000Z', '2025-01-12T00:00:00.000Z', '2025-01-19T00:00:00.000Z', '2025-01-26T00:00:00.000Z'])
    expect(report.creditsOutside).toBe(51 - 4)
    expect(report.sweep?.map((delta) => delta.toDecimalString(6))).toEqual(['0.0005', '0.001', '0.002'])
    // The configuration's 0.002 is not run twice: 3 values × 6 policies (threshold, cost_aware and the conversion policies) + every_receipt + weekly.
    expect(report.runs).toHaveLength(20)
    for (const result of report.runs) expectConsistent(report, result)
  })

  it("waits, as live does, while gas is above the chain's max_gas_price_gwei", async () => {
    const source = await (await import('node:fs/promises')).readFile('configs/modes/usdt_eth_staking_hedged_simple.yaml', 'utf8')
    const capped = await loadConfig({
      text: `${source}chains:\n  ethereum: { rpc_url: "http://127.0.0.1:9", chain_id: 1, max_gas_price_gwei: "2" }\n`,
      file: 'capped.yaml',
      env: {},
    })
    // January 2025: 4 EIGEN receipts, each on an hour of more than 2 gwei or not.
    const window = { dataDir, position: decimal('1000'), from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 31, 23), policies: ['every_receipt' as const] }
    const [free, held] = await Promise.all([backtestStrategy({ loaded: usdt, ...window }), backtestStrategy({ loaded: capped, ...window })])
    const { hourly: history } = await loadBacktestHistory({ dataDir, from: window.from, to: window.to })
    const gasAt = (time: number) => history.values.gasGwei[(time - window.from) / HOUR] as Fraction
    const receipts = free.runs[0]?.conversions.map((conversion) => conversion.at) ?? []
    const expensive = receipts.filter((time) => gasAt(time).greaterThan(decimal('2')))
    expect(expensive.length).toBeGreaterThan(0)
    // Every receipt on an hour above the cap waits; the others sell as before.
    expect(held.runs[0]?.skipped.gas_price_above_cap).toBe(expensive.length)
    expect(held.runs[0]?.conversions.map((conversion) => conversion.at)).toEqual(receipts.filter((time) => !expensive.includes(time)))
  })

  it('models the venues as the backtest section says, and refuses a bad value with its key path', async () => {
    const source = await (await import('node:fs/promises')).readFile('configs/modes/usdt_eth_staking_hedged_simple.yaml', 'utf8')
    const dexOnly = await loadConfig({ text: `${source}backtest: { venues: [dex], dex: { depth_weth: { EIGEN: "50" } } }\n`, file: 'dex.yaml', env: {} })
    const report = await backtestStrategy({ loaded: dexOnly, position: decimal('1000'), dataDir, from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 31, 23), policies: ['every_receipt'] })
    const conversions = report.runs[0]?.conversions ?? []
    expect(conversions).toHaveLength(4)
    expect(conversions.every((conversion) => conversion.venue === 'uniswap' && conversion.path.join('>') === 'EIGEN>WETH>USDT')).toBe(true)
    await expect(loadConfig({ text: `${source}backtest: { cost_aware: { horizon_hours: 0 } }\n`, file: 'bad.yaml', env: {} })).rejects.toMatchObject({
      name: 'ConfigError',
      details: '  bad.yaml:116 backtest.cost_aware.horizon_hours: expected a whole number from 1 to 8760, found "0"',
    })
  })

  it('values an ETH share class in ETH, selling through WETH or USDT', async () => {
    const eth = await loadConfig({ file: 'configs/modes/eth_leveraged.yaml', env: {} })
    const report = await backtestStrategy({ loaded: eth, position: decimal('1000'), dataDir, policies: ['every_receipt'] })
    expect(report.shareClass.symbol).toBe('ETH')
    expect(report.ideal.currency.decimals).toBe(18)
    const [only] = report.runs
    // Every reward is sold on its hour; a two-hop CEX sale may leave a little USDT, which is dust
    // in an ETH share class and is sold with a later receipt.
    const rewards = only?.conversions.filter((conversion) => conversion.token === 'EIGEN' || conversion.token === 'ETHFI')
    expect(rewards).toHaveLength(51)
    expect(only?.conversions.every((conversion) => ['EIGEN', 'ETHFI', 'USDT'].includes(conversion.token))).toBe(true)
    expect(only?.conversions.every((conversion) => ['WETH', 'ETH'].includes(conversion.path.at(-1) as string))).toBe(true)
    expectConsistent(report, only as BacktestRunResult)
  })

  it('refuses a configuration without the tokens the history prices, or a share class it cannot value', async () => {
    const text = (await import('node:fs/promises')).readFile('configs/modes/usdt_eth_staking_hedged_simple.yaml', 'utf8')
    const source = await text
    const withoutEthfi = await loadConfig({
      text: source
        .replace(/^ {2}- \{ symbol: ETHFI.*$/m, '')
        .replace(/ETHFI: "800", /, '')
        .replace(/ {6}ETHFI\/USDT:\n(?: {8}.*\n){4}/, '')
        .replace(/ {6}- \{ tokens: \[ETHFI, WETH\].*\n/, '')
        .replace(/ETHFI: "0.95", /, ''),
      file: 'no-ethfi.yaml',
      env: {},
    })
    await expect(backtestStrategy({ loaded: withoutEthfi, position: decimal('1'), dataDir })).rejects.toMatchObject({
      name: 'ConfigError',
      details: '  no-ethfi.yaml tokens: expected the tokens the history prices (EIGEN, ETHFI, WETH, ETH, USDT, weETH), found no ETHFI',
    })
    const weethClass = await loadConfig({ text: source.replace('share_class: USDT ', 'share_class: weETH'), file: 'weeth.yaml', env: {} })
    await expect(backtestStrategy({ loaded: weethClass, position: decimal('1'), dataDir })).rejects.toBeInstanceOf(ConfigError)
    const noParity = await loadConfig({ text: source.replace('equivalents: { WETH: ETH }', 'equivalents: {}'), file: 'no-parity.yaml', env: {} })
    await expect(backtestStrategy({ loaded: noParity, position: decimal('1'), dataDir })).rejects.toMatchObject({
      name: 'ConfigError',
      details: '  no-parity.yaml equivalents: expected WETH counted as ETH (equivalents: { WETH: ETH }), which the history needs to price weETH and the rewards, found {}',
    })
    // A position finer than weETH's base unit cannot be held.
    await expect(backtestStrategy({ loaded: usdt, position: new Fraction(1n, 10n ** 19n), dataDir })).rejects.toMatchObject({ name: 'InvalidAmountError' })
  })
})
