import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { Fraction } from '../../domain/money/index.js'
import { BACKTEST_POLICIES, type BacktestPolicy, THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import { BaseError, isErrorCode } from '../../errors/index.js'
import { type BacktestReport, backtestStrategy } from './backtestStrategy.js'
import { loadConfig } from '../loadConfig.js'
import type { GridFraction, GridJob, GridMessage } from './runPolicyGridWorker.js'
import { decodeGridValue } from './runPolicyGridTransfer.js'

export type RunPolicyGridParameters = {
  /** The strategy configuration file each worker loads. */
  readonly configFile: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** weETH held over the whole replay, in whole tokens. */
  readonly position: Fraction
  readonly dataDir: string
  readonly from?: number | undefined
  readonly to?: number | undefined
  /** The first hour scored (ms since epoch): the hours before it are a warm-up whose holdings carry on (see `runBacktest`). */
  readonly scoreFrom?: number | undefined
  /** The grid's `dust_delta` values: each policy that reads `dust_delta` runs once per value, the others once. */
  readonly values: readonly Fraction[]
  /** The policies replayed; every one of `BACKTEST_POLICIES` by default. */
  readonly policies?: readonly BacktestPolicy[] | undefined
  /** Worker threads; `os.availableParallelism()` by default, never more than there are slices; 0 replays in this thread. */
  readonly workers?: number | undefined
  /** Stops every worker with an `interrupted` error. */
  readonly signal?: AbortSignal | undefined
  /** Told of the hours replayed (averaged over the workers) and of how many runs the grid has. */
  readonly onProgress?: ((done: number, total: number, runs: number) => void) | undefined
}

const gridFraction = (value: Fraction): GridFraction => [value.numerator, value.denominator]
/** A run's key: its policy and its `dust_delta`, reduced, so equal values meet. */
const runKey = (policy: string, delta: Fraction) => `${policy}|${delta.exactKey()}`

/**
 * The worker's entry beside this module: the compiled `.js` (also from the bundled CLI in
 * dist/cli/), or, under the tests, the `.ts` source loaded through tsx, which a worker's own
 * module loader registers first.
 */
function startWorker(job: GridJob): Worker {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const source = new URL('./runPolicyGridWorker.ts', here).href
    const tsxApi = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href
    const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`
    return new Worker(code, { eval: true, workerData: job })
  }
  const candidates = [new URL('./runPolicyGridWorker.js', here), new URL('../app/backtest/runPolicyGridWorker.js', here)]
  const url = candidates.find((candidate) => existsSync(fileURLToPath(candidate)))
  if (!url) {
    throw new BaseError('The grid cannot start its workers: their entry file is missing.', {
      details: `Expected one of ${candidates.map((candidate) => fileURLToPath(candidate)).join(', ')}, found none.`,
    })
  }
  return new Worker(url, { workerData: job })
}

/** Replays a job in this thread, as a worker would (for `workers: 0`). */
async function runHere(job: GridJob, signal: AbortSignal | undefined, onProgress: (done: number, total: number, runs: number) => void): Promise<BacktestReport> {
  const fraction = ([numerator, denominator]: GridFraction) => new Fraction(numerator, denominator)
  const loaded = await loadConfig({ file: job.configFile, env: job.env })
  const { position, dataDir, from, to, scoreFrom, policies } = job
  return backtestStrategy({ loaded, position: fraction(position), dataDir, from, to, scoreFrom, sweep: job.sweep.map(fraction), policies, signal, onProgress })
}

/**
 * Deals the values, smallest first, to `count` slices in turn (sizes differing by at most one,
 * none empty): a run costs more the smaller its `dust_delta` (it converts more often, and its
 * holdings part from the others' more), so contiguous slices left one worker twice the work.
 */
function slices(values: readonly Fraction[], count: number): Fraction[][] {
  const parts = Math.max(1, Math.min(count, values.length))
  const sorted = [...values].sort((a, b) => a.compare(b))
  return Array.from({ length: parts }, (_, index) => sorted.filter((_, position) => position % parts === index))
}

/** Runs one worker to its report, telling of its progress; rejects with the worker's own error. */
function runWorker(job: GridJob, signal: AbortSignal | undefined, onProgress: (done: number, total: number, runs: number) => void): Promise<BacktestReport> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(job)
    let settled = false
    const settle = (action: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', abort)
      action()
      void worker.terminate()
    }
    const abort = () => settle(() => reject(new BaseError('The grid was interrupted; nothing was written.', { code: 'interrupted' })))
    if (signal?.aborted) return abort()
    signal?.addEventListener('abort', abort, { once: true })
    worker.on('message', (message: GridMessage) => {
      if (message.kind === 'progress') onProgress(message.done, message.total, message.runs)
      else if (message.kind === 'done') settle(() => resolve(decodeGridValue(message.report) as BacktestReport))
      else settle(() => reject(new BaseError(message.shortMessage, { details: message.details, code: message.code !== undefined && isErrorCode(message.code) ? message.code : undefined })))
    })
    worker.on('error', (error) => settle(() => reject(new BaseError('A worker of the grid failed.', { details: error.message, cause: error }))))
    worker.on('exit', (code) => settle(() => reject(new BaseError(`A worker of the grid stopped (exit code ${code}) before it reported.`))))
  })
}

/**
 * Replays a grid of runs (each policy, the ones that read `dust_delta` once per value of the
 * grid) over the window on worker threads, and merges their reports into the one report a
 * single `backtestStrategy` call with `sweep: values` gives, run for run, in the same order and
 * with the same exact figures.
 *
 * The values other than the configuration's `dust_delta` are dealt in turn into slices, one
 * per worker; each worker loads the history itself and replays its slice for the policies that
 * read `dust_delta`; the first also replays the others and the configuration's own value.
 */
export async function runPolicyGrid(parameters: RunPolicyGridParameters): Promise<BacktestReport> {
  const policies = parameters.policies ?? BACKTEST_POLICIES
  const swept = policies.filter((policy) => THRESHOLD_POLICIES.has(policy))
  const workers = Math.max(0, Math.floor(parameters.workers ?? availableParallelism()))
  const parts = slices(parameters.values, swept.length === 0 ? 1 : Math.max(1, workers))
  const run = workers === 0 ? runHere : runWorker
  const job = (sweep: readonly Fraction[], first: boolean): GridJob => ({
    configFile: parameters.configFile,
    env: { ...parameters.env },
    dataDir: parameters.dataDir,
    position: gridFraction(parameters.position),
    from: parameters.from,
    to: parameters.to,
    scoreFrom: parameters.scoreFrom,
    sweep: sweep.map(gridFraction),
    policies: first ? [...policies] : swept,
  })
  const done = parts.map(() => 0)
  const runsOf = parts.map(() => 0)
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0)
  const reports = await Promise.all(
    parts.map((part, index) =>
      run(job(part, index === 0), parameters.signal, (hours, total, runs) => {
        done[index] = hours
        runsOf[index] = runs
        // Each worker after the first also replays the swept policies at the configuration's own dust_delta, which the merge drops.
        const unique = sum(runsOf) - runsOf.filter((count, worker) => worker > 0 && count > 0).length * swept.length
        parameters.onProgress?.(Math.floor(sum(done) / parts.length), total, unique)
      }),
    ),
  )
  const [first] = reports
  if (!first) throw new BaseError('The grid has no worker report to merge.')
  const byKey = new Map<string, BacktestRunResult>()
  for (const report of reports) for (const run of report.runs) if (!byKey.has(runKey(run.policy, run.dustDelta))) byKey.set(runKey(run.policy, run.dustDelta), run)
  const configured = first.dustDelta
  const others = parameters.values.filter((value) => !value.equals(configured))
  const runs = policies.flatMap((policy) => (THRESHOLD_POLICIES.has(policy) ? [configured, ...others] : [configured]).map((delta) => byKey.get(runKey(policy, delta))))
  const merged = runs.filter((run): run is BacktestRunResult => run !== undefined)
  if (merged.length !== runs.length) throw new BaseError(`The grid's workers reported ${merged.length} of its ${runs.length} runs.`)
  return { ...first, sweep: [...parameters.values].sort((a, b) => a.compare(b)), runs: merged, replayMs: Math.max(...reports.map((report) => report.replayMs)) }
}
