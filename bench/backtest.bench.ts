/**
 * Benchmark of `dust backtest`: the replay of one year of hourly history (the whole span of
 * shared/data, 8,568 hours) for the four policies, the threshold and cost-aware ones at 50
 * values of dust_delta (102 runs), for 1,000 weETH. Prints the median of BENCH_ROUNDS rounds
 * (5 by default) of the replay alone and of the whole call (history files read and parsed too).
 *
 * Run with `npm run bench:backtest`, which builds first: the code measured is the compiled
 * dist/ the `dust` command runs (tsx's own transform adds a cost per closure that the product
 * does not have), typed by the sources. A measurement, not a test: nothing passes or fails on time.
 */
type Modules = [
  typeof import('../src/app/backtest/resolveDataDir.js'),
  typeof import('../src/app/loadConfig.js'),
  typeof import('../src/domain/money/index.js'),
  typeof import('../src/app/backtest/backtestStrategy.js'),
  typeof import('../src/interfaces/backtest/parseBacktestOptions.js'),
]
const [{ resolveDataDir }, { loadConfig }, { Fraction }, { backtestStrategy }, { parseSweep }] = (await Promise.all([
  import('../dist/app/backtest/resolveDataDir.js' as string),
  import('../dist/app/loadConfig.js' as string),
  import('../dist/domain/money/index.js' as string),
  import('../dist/app/backtest/backtestStrategy.js' as string),
  import('../dist/interfaces/backtest/parseBacktestOptions.js' as string),
])) as Modules

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) throw new Error(`BENCH_ROUNDS must be a whole number from 1 to 50, was ${process.env.BENCH_ROUNDS}`)
const loaded = await loadConfig({ file: 'configs/modes/usdt_eth_staking_hedged_simple.yaml', env: process.env })
const sweep = parseSweep('0.0005:0.01:50')
const dataDir = resolveDataDir(process.env)
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

for (const policies of [['threshold'], ['threshold', 'every_receipt', 'weekly', 'cost_aware']] as const) {
  const replay: number[] = []
  const whole: number[] = []
  let runs = 0
  let hours = 0
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now()
    const report = await backtestStrategy({ loaded, position: Fraction.fromDecimalString('1000'), dataDir, sweep, policies })
    whole.push(performance.now() - started)
    replay.push(report.replayMs)
    runs = report.runs.length
    hours = report.hours
  }
  console.log(
    `${policies.join(', ')}: ${runs} runs × ${hours.toLocaleString('en-US')} hours; replay median ${median(replay).toFixed(0)} ms (min ${Math.min(...replay).toFixed(0)}), with loading ${median(whole).toFixed(0)} ms, over ${rounds} rounds`,
  )
}
