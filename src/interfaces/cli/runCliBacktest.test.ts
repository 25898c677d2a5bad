import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../test/cliIo.js'
import { EXIT, runCli } from './runCli.js'

let temp: Awaited<ReturnType<typeof cliTempDir>>

beforeAll(async () => {
  temp = await cliTempDir()
})

afterAll(async () => {
  await temp.cleanup()
})

async function dust(argv: string[], overrides: Parameters<typeof cliIo>[0] = {}) {
  const io = cliIo(overrides)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

/** Width and height from a PNG's IHDR chunk, after checking its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

describe('dust backtest', () => {
  it('replays a quarter as JSON with a sweep, writes both plots as SVG and PNG, and draws its progress', async () => {
    const plots = join(temp.dir, 'plots')
    const progress = new PassThrough()
    const drawn: Buffer[] = []
    progress.on('data', (chunk: Buffer) => drawn.push(chunk))
    const { code, out, err } = await dust(['backtest', '--position', '10', '--from', '2025-01-01', '--to', '2025-03-31', '--sweep', '0.001:0.003:3', '--json', '--plots', plots, '--progress'], {
      progressStream: progress,
    })
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const [report] = cliJsonLines(out) as Array<Record<string, unknown> & { runs: Array<Record<string, unknown>>; plots: string[] }>
    expect(report?.strategy_mode).toBe('usdt_eth_staking_hedged_simple')
    expect(report?.from).toBe('2025-01-01T00:00:00.000Z')
    expect(report?.to).toBe('2025-03-31T23:00:00.000Z')
    expect(report?.hours).toBe(90 * 24)
    expect(report?.sweep).toEqual(['0.001', '0.002', '0.003'])
    // 0.001, 0.002 and 0.003 for threshold, cost_aware and the conversion policies (their risk budget), once each for every_receipt and weekly.
    const swept = (policy: string) => [`${policy}@0.002`, `${policy}@0.001`, `${policy}@0.003`]
    expect(report?.runs.map((run) => `${run.policy}@${run.dust_delta}`)).toEqual([
      ...swept('threshold'),
      'every_receipt@0.002',
      'weekly@0.002',
      ...['cost_aware', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first'].flatMap(swept),
    ])
    // The frontier: one point per run, with its cost and ex-ante risk as the run reports them.
    const frontier = (report as unknown as { frontier: Array<{ policy: string; parameter: string; costDecimal: string; riskBps: string }> }).frontier
    expect(frontier.map((point) => `${point.policy}@${point.parameter}`).sort()).toEqual(report?.runs.map((run) => `${run.policy}@dust_delta=${run.dust_delta}`).sort())
    for (const run of report?.runs ?? []) {
      const point = frontier.find((entry) => entry.policy === run.policy && entry.parameter === `dust_delta=${run.dust_delta}`)
      expect([point?.costDecimal, point?.riskBps]).toEqual([run.all_in_cost, run.ex_ante_risk_bps])
    }
    const files = (await readdir(plots)).sort()
    expect(files).toEqual(['cost_vs_exposure.png', 'cost_vs_exposure.svg', 'dust_ratio.png', 'dust_ratio.svg', 'frontier.png', 'frontier.svg'])
    expect(report?.plots).toEqual(['dust_ratio.svg', 'dust_ratio.png', 'cost_vs_exposure.svg', 'cost_vs_exposure.png', 'frontier.svg', 'frontier.png'].map((file) => join(plots, file)))
    const svg = await readFile(join(plots, 'dust_ratio.svg'), 'utf8')
    expect(svg.startsWith('<svg')).toBe(true)
    for (const policy of ['threshold', 'every_receipt', 'weekly', 'cost_aware']) expect(svg).toContain(`>${policy}<`)
    const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1])
    // The PNG is the SVG at twice its size.
    expect(pngSize(await readFile(join(plots, 'dust_ratio.png'))).width).toBe(width * 2)
    const scatter = await readFile(join(plots, 'cost_vs_exposure.svg'), 'utf8')
    expect(scatter).toContain('total conversion cost (USDT)')
    expect(scatter).toContain('time-weighted mean dust ratio (bps)')
    expect(pngSize(await readFile(join(plots, 'cost_vs_exposure.png'))).height).toBeGreaterThan(400)
    const bar = Buffer.concat(drawn).toString('utf8')
    expect(bar).toContain('replaying |')
    expect(bar).toContain('100% | 2160/2160 hours | 20 runs')
  }, 120_000)

  it('prints a table for people, the comparison and the sweep, and writes no plot with --no-plots', async () => {
    const { code, out, err } = await dust(['backtest', '--position', '1000', '--from', '2025-06-01', '--to', '2025-06-30', '--sweep', '0.001:0.002:2', '--no-plots'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const lines = out.split('\n')
    expect(lines[0]).toBe('Backtest of usdt_eth_staking_hedged_simple: 1000 weETH held from 2025-06-01 00:00 UTC to 2025-06-30 23:00 UTC (720 hours), valued in USDT.')
    expect(out).toMatch(
      /^policy +dust_delta +conversions +converted USDT +cost USDT +cost bps +end liquidation USDT +all-in cost USDT +time-weighted bps +max ratio bps +ex-ante risk bps +result USDT +realised P&L USDT \(not ranked\) +P&L bps \(not ranked\)$/m,
    )
    for (const policy of ['threshold', 'every_receipt', 'weekly', 'cost_aware']) expect(out).toMatch(new RegExp(`^${policy} +0\\.002 `, 'm'))
    expect(out).toContain("cost_aware against the seed's threshold at dust_delta 0.002: cost ")
    expect(out).toContain('Sweep of dust_delta (2 values; amounts in USDT):')
    // A row per swept value and policy that reads dust_delta, all six of them, and none for the others.
    const sweep = out.slice(out.indexOf('Sweep of dust_delta'))
    expect(sweep).toMatch(/^dust_delta +policy +conversions +all-in cost USDT +mean bps +risk bps +P&L USDT \(not ranked\)$/m)
    const swept = [...sweep.matchAll(/^ +(0\.00[12]) +([a-z_]+) /gm)].map((match) => `${match[1]} ${match[2]}`)
    const reading = ['threshold', 'cost_aware', 'gas_aware', 'claim_batching', 'venue_size', 'riskiest_first']
    expect(swept).toEqual([...reading.map((policy) => `0.001 ${policy}`), ...reading.map((policy) => `0.002 ${policy}`)])
    // The threshold's row at 0.002 gives the all-in cost of its row in the table above.
    const allIn = (line: string | undefined) => line?.trim().split(/ {2,}/)
    const main = allIn(lines.find((line) => /^threshold +0\.002 /.test(line)))
    const row = allIn(sweep.split('\n').find((line) => /^ +0\.002 +threshold /.test(line)))
    expect(row?.[3]).toBe(main?.[7])
    expect(out).not.toContain('Plots:')
    // No progress stream in this io: nothing is drawn.
  }, 120_000)

  it('gives one clear message and exit 2 for bad options, and exit 1 naming a missing data file', async () => {
    const cases: Array<[string[], string]> = [
      [['backtest'], "error: required option '--position <weETH>' not specified"],
      [['backtest', '--position', '0'], 'error: --position must be more than 0 weETH, found 0.'],
      [['backtest', '--position', 'lots'], 'error: --position takes an amount of weETH such as 1000 or 12.5, found "lots".'],
      [['backtest', '--position', '1', '--sweep', '0.001:0.002'], 'error: --sweep takes from:to:count, such as 0.0005:0.01:50 (three parts separated by ":"), found "0.001:0.002".'],
      [['backtest', '--position', '1', '--from', '2025-02-30'], 'error: --from takes a UTC date such as 2025-01-31 or an hour such as 2025-01-31T13:00Z, found "2025-02-30".'],
      [['backtest', '--position', '1', '--from', '2025-03-01', '--to', '2025-02-01'], 'error: --from (2025-03-01) is after --to (2025-02-01).'],
      [
        ['backtest', '--position', '1', '--policy', 'monthly'],
        "error: option '--policy <name...>' argument 'monthly' is invalid. Allowed choices are threshold, every_receipt, weekly, cost_aware, gas_aware, claim_batching, venue_size, riskiest_first.",
      ],
    ]
    for (const [argv, message] of cases) {
      const { code, out, err } = await dust(argv)
      expect({ argv, code, first: err.split('\n')[0], out }).toEqual({ argv, code: EXIT.usage, first: message, out: '' })
    }
    // Every missing file is named, sorted by path, whichever check ends first.
    const empty = join(temp.dir, 'no-data')
    const missing = await dust(['backtest', '--position', '1', '--data-dir', empty, '--no-plots'])
    expect(missing.code).toBe(EXIT.failure)
    expect(missing.err.split('\n').slice(0, 2)).toEqual([
      `error: 7 history files are missing from ${empty}: gas/ethereum_gas_prices_1h_2024-01-01_2025-09-26.csv, oracle/aave_weETH_ETH_oracle_2024-01-01_2025-09-18.csv, ` +
        'prices/uniswapv3_EIGENWETH_1h_2024-10-05_2025-09-27.csv, prices/uniswapv3_ETHFIWETH_1h_2024-04-01_2025-09-27.csv, prices/uniswapv3_WETHUSDT_1h_2024-01-01_2025-09-27.csv, ' +
        'rewards/etherfi_eigen_distributions.csv and rewards/etherfi_ethfi_topups.csv.',
      'The backtest replays the hourly history and the ether.fi rewards; give --data-dir the folder that holds gas/, oracle/, prices/ and rewards/.',
    ])
    expect(missing.out).toBe('')
  })

  it('documents itself in --help', async () => {
    const { code, out } = await dust(['backtest', '--help'])
    expect(code).toBe(EXIT.ok)
    for (const option of [
      '--position <weETH>',
      '--from <date>',
      '--to <date>',
      '--sweep <from:to:count>',
      '--policy <name...>',
      '--plots <dir>',
      '--no-plots',
      '--data-dir <dir>',
      '--progress',
      '--json',
    ]) {
      expect(out).toContain(option)
    }
  })
})
