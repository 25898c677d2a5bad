/**
 * Benchmark of the policy grid (`runPolicyGrid`): about 1,000 runs over the whole history of
 * shared/data (8,568 hours) for 1,000 weETH, on worker threads (`os.availableParallelism()` by
 * default, BENCH_WORKERS to choose), every policy of `BACKTEST_POLICIES` (BENCH_POLICIES=a,b to
 * choose), those that read
 * `dust_delta` once per value of an even grid from 0.0005 to 0.01 (sized so the runs reach
 * BENCH_RUNS, 1,000 by default). Prints the wall time of BENCH_ROUNDS rounds (1 by default),
 * each from the workers' start (configuration and history loaded in each) to the merged report,
 * the runs per second, and the CPU time of every thread (what a loaded machine does not change).
 *
 * Run with `npm run bench:grid`, which builds first: the code measured is the compiled dist/
 * the `dust` command runs (BENCH_DIST names another build folder). A measurement, not a test.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = pathToFileURL(`${resolve(process.env.BENCH_DIST ?? 'dist')}/`)
type Modules = [
  typeof import('../src/app/backtest/resolveDataDir.js'),
  typeof import('../src/app/backtest/runPolicyGrid.js'),
  typeof import('../src/domain/money/index.js'),
  typeof import('../src/engine/backtest/BacktestPolicy.js'),
  typeof import('../src/interfaces/backtest/parseBacktestOptions.js'),
]
const [{ resolveDataDir }, { runPolicyGrid }, { Fraction }, { BACKTEST_POLICIES, THRESHOLD_POLICIES }, { parseSweep }] = (await Promise.all([
  import(new URL('app/backtest/resolveDataDir.js', dist).href),
  import(new URL('app/backtest/runPolicyGrid.js', dist).href),
  import(new URL('domain/money/index.js', dist).href),
  import(new URL('engine/backtest/BacktestPolicy.js', dist).href),
  import(new URL('interfaces/backtest/parseBacktestOptions.js', dist).href),
])) as Modules

const whole = (name: string, fallback: number, max: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, was ${process.env[name]}`)
  return value
}
const rounds = whole('BENCH_ROUNDS', 1, 20)
const target = whole('BENCH_RUNS', 1000, 100_000)
const workers = whole('BENCH_WORKERS', availableParallelism(), 64)
const asked = process.env.BENCH_POLICIES?.split(',').map((name) => name.trim())
const unknown = asked?.find((name) => !(BACKTEST_POLICIES as readonly string[]).includes(name))
if (unknown !== undefined) throw new Error(`BENCH_POLICIES must name policies of ${BACKTEST_POLICIES.join(', ')}, found ${unknown}`)
const policies = BACKTEST_POLICIES.filter((policy) => asked === undefined || asked.includes(policy))
const swept = policies.filter((policy) => THRESHOLD_POLICIES.has(policy)).length
const others = policies.length - swept
// Each swept policy runs at the configuration's dust_delta (0.002, not on this grid) and at every value.
const count = Math.max(1, Math.ceil((target - others) / Math.max(1, swept)) - 1)
const values = parseSweep(`0.0005:0.01:${Math.min(count, 1000)}`)
const dataDir = resolveDataDir(process.env)

/** CPU seconds of each thread of this process by id, with its name, from /proc (Linux); empty elsewhere. */
function threadTimes(): Map<string, { name: string; seconds: number }> {
  const times = new Map<string, { name: string; seconds: number }>()
  let tids: string[] = []
  try {
    tids = readdirSync('/proc/self/task')
  } catch {
    return times
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      // Fields after the name, which is in parentheses: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      times.set(tid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS })
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times
}
const TICKS = 100

for (let round = 0; round < rounds; round += 1) {
  const started = performance.now()
  const cpu = process.cpuUsage()
  // Worker threads end with the grid: their times are sampled while they run, the last sample kept.
  const before = threadTimes()
  const seen = new Map<string, { name: string; seconds: number }>()
  const sample = () => {
    for (const [tid, time] of threadTimes()) seen.set(tid, time)
  }
  const sampler = setInterval(sample, 100)
  const report = await runPolicyGrid({
    configFile: 'configs/modes/usdt_eth_staking_hedged_simple.yaml',
    env: process.env,
    position: Fraction.fromDecimalString('1000'),
    dataDir,
    values,
    workers,
    policies,
  })
  const ms = performance.now() - started
  clearInterval(sampler)
  sample()
  const { user, system } = process.cpuUsage(cpu)
  const threads = [...seen]
    .map(([tid, time]) => ({ name: time.name, seconds: time.seconds - (before.get(tid)?.seconds ?? 0) }))
    .filter((thread) => thread.seconds >= 0.1)
    .sort((a, b) => b.seconds - a.seconds)
  console.log(
    `grid of ${policies.join(', ')}: ${report.runs.length} runs × ${report.hours.toLocaleString('en-US')} hours on ${workers} workers: ${(ms / 1000).toFixed(2)} s (${((report.runs.length * 1000) / ms).toFixed(0)} runs/s; slowest worker's replay ${(report.replayMs / 1000).toFixed(2)} s; ${((user + system) / 1e6).toFixed(2)} CPU s in all threads)`,
  )
  if (threads.length > 0) console.log(`  CPU s by thread (sampled every 100 ms, from 0.1 s): ${threads.map((thread) => `${thread.name} ${thread.seconds.toFixed(2)}`).join(', ')}`)
}
