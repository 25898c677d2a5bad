/**
 * The entry of one worker thread of `runPolicyGrid`: it loads the configuration and the history
 * itself, replays its slice of the grid with `backtestStrategy` (the same code as a single
 * process), and posts its progress, then its report encoded by `encodeGridValue`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { Fraction } from '../../domain/money/index.js'
import type { BacktestPolicy } from '../../engine/backtest/BacktestPolicy.js'
import { BaseError } from '../../errors/index.js'
import { backtestStrategy } from './backtestStrategy.js'
import { loadConfig } from '../loadConfig.js'
import { encodeGridValue } from './runPolicyGridTransfer.js'

/** An exact fraction as the structured clone carries it. */
export type GridFraction = readonly [numerator: bigint, denominator: bigint]

/** What one worker replays: `backtestStrategy`'s parameters, as plain data. */
export type GridJob = {
  readonly configFile: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly dataDir: string
  readonly position: GridFraction
  readonly from: number | undefined
  readonly to: number | undefined
  readonly scoreFrom?: number | undefined
  readonly sweep: readonly GridFraction[]
  readonly policies: readonly BacktestPolicy[]
}

/** What a worker tells the main thread. */
export type GridMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number; readonly runs: number }
  | { readonly kind: 'done'; readonly report: unknown }
  | { readonly kind: 'failed'; readonly name: string; readonly shortMessage: string; readonly details: string | undefined; readonly code: string | undefined }

const fraction = ([numerator, denominator]: GridFraction) => new Fraction(numerator, denominator)

async function replaySlice(job: GridJob, post: (message: GridMessage) => void): Promise<void> {
  const loaded = await loadConfig({ file: job.configFile, env: job.env })
  const report = await backtestStrategy({
    loaded,
    position: fraction(job.position),
    dataDir: job.dataDir,
    from: job.from,
    to: job.to,
    scoreFrom: job.scoreFrom,
    sweep: job.sweep.map(fraction),
    policies: job.policies,
    onProgress: (done, total, runs) => post({ kind: 'progress', done, total, runs }),
  })
  post({ kind: 'done', report: encodeGridValue(report) })
}

const port = parentPort
if (port) {
  const post = (message: GridMessage) => port.postMessage(message)
  replaySlice(workerData as GridJob, post).catch((error: unknown) => {
    const base = error instanceof BaseError ? error : undefined
    post({
      kind: 'failed',
      name: error instanceof Error ? error.name : 'Error',
      shortMessage: base?.shortMessage ?? (error instanceof Error ? error.message : String(error)),
      details: base?.details,
      code: base?.code,
    })
  })
}
