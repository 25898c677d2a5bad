import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Command, Option } from 'commander'
import { BACKTEST_POLICIES, type BacktestPolicy, THRESHOLD_POLICIES } from '../../../engine/backtest/BacktestPolicy.js'
import { UsageError } from '../../../errors/index.js'
import type { BacktestReport } from '../../../app/backtest/backtestStrategy.js'
import { parseHour, parsePosition, parseSweep } from '../../backtest/parseBacktestOptions.js'
import { DEFAULT_GRID_SIZE, parseGridOptions } from '../../backtest/parseGridOptions.js'
import { type CliContext, DEFAULT_CONFIG } from '../createCliContext.js'

type BacktestOptions = {
  config: string
  position: string
  from?: string
  to?: string
  sweep?: string
  policy?: BacktestPolicy[]
  plots: string | false
  dataDir?: string
  progress?: boolean
  json?: boolean
  grid?: string
  gridSize?: string
  walkForward?: boolean
  workers?: string
  /** Whether `--plots` was given, not left at its default: commander's option source. */
  plotsGiven: boolean
}

/** The policies that read dust_delta, in the order of `BACKTEST_POLICIES`. */
const DUST_DELTA_POLICIES = BACKTEST_POLICIES.filter((policy) => THRESHOLD_POLICIES.has(policy))

type ProgressStream = CliContext['io']['progressStream']

/** The replay's progress bar, drawn for a sweep on a terminal, or anywhere with --progress; started at the first report of progress. */
function sweepProgress(cliProgress: typeof import('cli-progress'), stream: ProgressStream, draw: boolean) {
  const bar =
    draw && stream
      ? new cliProgress.SingleBar(
          { stream, format: 'replaying |{bar}| {percentage}% | {value}/{total} hours | {runs} runs', noTTYOutput: !stream.isTTY, notTTYSchedule: 250, hideCursor: stream.isTTY === true },
          cliProgress.Presets.shades_classic,
        )
      : undefined
  let started = false
  return {
    onProgress(done: number, total: number, runs: number): void {
      if (!bar) return
      if (!started) {
        bar.start(total, 0, { runs })
        started = true
      }
      // A grid's workers report their runs as they start: the count grows until all have.
      bar.update(done, { runs })
    },
    stop(): void {
      if (started) bar?.stop()
    },
  }
}

/** Reads the options of the replay: the position, the window (--from not after --to) and the sweep. */
function parseReplayOptions(options: BacktestOptions) {
  const position = parsePosition(options.position)
  const from = options.from === undefined ? undefined : parseHour('--from', options.from)
  const to = options.to === undefined ? undefined : parseHour('--to', options.to)
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${options.from}) is after --to (${options.to}).`)
  const sweep = options.sweep === undefined ? undefined : parseSweep(options.sweep)
  return { position, from, to, sweep }
}

/**
 * Checks `--policy` against the other options: each policy named once, a sweep or a grid of
 * dust_delta only with a policy that reads it, and `--plots` not with `--walk-forward`, which draws none.
 */
function checkPolicyOptions(options: BacktestOptions): void {
  const policies = options.policy ?? []
  const twice = policies.find((policy, index) => policies.indexOf(policy) !== index)
  if (twice !== undefined) throw new UsageError(`--policy names ${twice} twice; expected each policy once.`)
  // A walk-forward always replays the threshold at every value of its grid: it is the baseline.
  const varied = options.sweep !== undefined ? '--sweep' : options.walkForward ? undefined : options.grid !== undefined ? '--grid' : options.gridSize !== undefined ? '--grid-size' : undefined
  if (varied !== undefined && options.policy !== undefined && !policies.some((policy) => THRESHOLD_POLICIES.has(policy))) {
    throw new UsageError(
      `${varied} varies dust_delta, which none of the policies asked for (${policies.join(', ')}) reads; expected one of ${DUST_DELTA_POLICIES.join(', ')} among them, or no ${varied}.`,
    )
  }
  if (options.walkForward && options.plotsGiven && options.plots !== false) {
    throw new UsageError(`--plots (${options.plots}) does not mix with --walk-forward, which draws no plot; give one of them.`)
  }
}

/**
 * Runs `dust backtest`: checks the plots folder, replays, and prints the report as text or JSON
 * and writes the plots. A plot that cannot be written after the replay does not lose the report:
 * the report is printed (the JSON lists no plot then) and the failure is raised after it.
 */
async function runBacktestCommand(context: CliContext, options: BacktestOptions): Promise<void> {
  const { io, print } = context
  const { position, from, to, sweep } = parseReplayOptions(options)
  const grid = parseGridOptions(options, (file) => readFileSync(file, 'utf8'))
  checkPolicyOptions(options)
  const [{ loadConfig }, cliProgress, { resolveDataDir }, { requireBacktestData }, { backtestStrategy }, { preparePlotFolder, writeBacktestPlots }, { renderBacktest, serializeBacktest }] =
    await Promise.all([
      import('../../../app/loadConfig.js'),
      import('cli-progress'),
      import('../../../app/backtest/resolveDataDir.js'),
      import('../../../app/backtest/requireBacktestData.js'),
      import('../../../app/backtest/backtestStrategy.js'),
      import('../../backtest/plotBacktest.js'),
      import('../../backtest/renderBacktest.js'),
    ])
  const dataDir = resolveDataDir(io.env, options.dataDir)
  const loaded = await loadConfig({ file: options.config, env: io.env })
  // A walk-forward prints its own report and draws no plot.
  const plotsDir = options.plots === false || grid?.walkForward === true ? undefined : resolve(options.plots)
  // Checked before the replay, which can take minutes, so that a bad --plots is refused before them; made only after it.
  if (plotsDir !== undefined) await preparePlotFolder(plotsDir)
  const stream = io.progressStream
  const progress = sweepProgress(cliProgress, stream, (sweep !== undefined || grid !== undefined) && stream !== undefined && (stream.isTTY === true || options.progress === true))
  let report: BacktestReport
  try {
    // Checked here, not only by the replay's loading, so that the message names --data-dir when the folder came from it.
    await requireBacktestData({ dataDir, setBy: options.dataDir === undefined ? 'DUST_DATA_DIR' : '--data-dir' })
    if (grid) {
      const { runBacktestGrid } = await import('./runBacktestGrid.js')
      const gridParameters = { configFile: options.config, env: io.env, position, dataDir, from, to, values: grid.values, policies: options.policy, workers: grid.workers, signal: io.stopSignal }
      const done = await runBacktestGrid(context, { ...gridParameters, walkForward: grid.walkForward, json: options.json === true, onProgress: progress.onProgress })
      if (done.printed) return
      report = done.report
    } else report = await backtestStrategy({ loaded, position, from, to, sweep, policies: options.policy, signal: io.stopSignal, dataDir, onProgress: progress.onProgress })
  } finally {
    progress.stop()
  }
  const writePlots = async () => (plotsDir === undefined ? [] : await writeBacktestPlots(report, plotsDir, (warning) => io.stderr(`warning: plot: ${warning}\n`)))
  if (options.json) {
    // Stdout stays one JSON document listing the plots written: they are written first, and their failure is raised once it is out.
    let plots: string[] = []
    let failure: { readonly error: unknown } | undefined
    try {
      plots = await writePlots()
    } catch (error) {
      failure = { error }
    }
    print(JSON.stringify(serializeBacktest(report, plots)))
    if (failure) throw failure.error
  } else {
    // The report first: a plot that cannot be written leaves it printed.
    print(renderBacktest(report))
    const plots = await writePlots()
    if (plots.length > 0) print(`\nPlots: ${plots.join(', ')}`)
  }
}

/** Adds `dust backtest`: the dust policies replayed on the real hourly history, with plots. */
export function addBacktestCommand(program: Command, context: CliContext): void {
  program
    .command('backtest')
    .description(
      `Replay a strategy's dust policy on the real hourly history of shared/data: a constant weETH position earns EIGEN and ETHFI as ether.fi paid them, and the policies (${BACKTEST_POLICIES.join(', ')}) detect and plan with the live code against a DEX and a CEX modelled at each hour's prices, gas included. Prints what each policy converted and paid, the dust exposure it kept, and its result against converting every reward at once for free; writes plots as SVG and PNG.`,
    )
    .option('-c, --config <file>', 'strategy configuration file (YAML)', DEFAULT_CONFIG)
    .requiredOption('--position <weETH>', 'weETH held over the whole replay, such as 1000')
    .option('--from <date>', 'first UTC day or hour replayed (2025-01-31 or 2025-01-31T13:00Z); the start of the data by default')
    .option('--to <date>', 'last UTC day or hour replayed, inclusive; the end of the data by default')
    .option('--sweep <from:to:count>', `also run each policy that reads dust_delta (${DUST_DELTA_POLICIES.join(', ')}) at count dust_delta values from..to (0.0005:0.01:50)`)
    .addOption(new Option('--policy <name...>', 'only these policies').choices([...BACKTEST_POLICIES]))
    .option('--plots <dir>', 'folder the plots are written to', 'backtest-plots')
    .option('--no-plots', 'write no plots')
    .option('--data-dir <dir>', 'folder of the real history (prices/, oracle/, gas/, rewards/); DUST_DATA_DIR or ../shared/data by default')
    .option(
      '--grid <file|from:to:count>',
      'replay on worker threads each policy that reads dust_delta at these values, the others once (a sweep such as 0.0005:0.01:500, or a file of values); the report is the same as a sweep',
    )
    .option(
      '--walk-forward',
      `choose each policy's dust_delta on the first half of the window (the cheapest at no more risk than the threshold at the configuration's dust_delta) and print how it does on the second half against the threshold; on ${DEFAULT_GRID_SIZE} values from 0.0005 to 0.01 unless --grid or --grid-size says`,
    )
    .option('--grid-size <N>', 'the number of dust_delta values from 0.0005 to 0.01 that --grid or --walk-forward replays')
    .option('--workers <n>', 'worker threads of --grid and --walk-forward (0: none, all in this thread); the available parallelism by default')
    .option('--progress', 'draw the progress bar of a sweep or a grid even when stderr is not a terminal')
    .option('--json', 'print the report as one JSON document')
    .action((options: Omit<BacktestOptions, 'plotsGiven'>, command: Command) => runBacktestCommand(context, { ...options, plotsGiven: command.getOptionValueSource('plots') !== 'default' }))
}
