import type { Stats } from 'node:fs'
import { lstat, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { type LoggerInterface, View, parse } from 'vega'
import { type TopLevelSpec, compile } from 'vega-lite'
import { BACKTEST_POLICIES, THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import { RATIO_SCALE } from '../../engine/backtest/BacktestRunResult.js'
import { backtestFrontier } from './backtestFrontier.js'
import type { BacktestReport } from '../../app/backtest/backtestStrategy.js'
import { BaseError, UsageError } from '../../errors/index.js'
import { primaryRuns, runFigures } from './renderBacktest.js'

/** Ratios and amounts become plain numbers only here, to place pixels; every reported figure stays exact. */
const BPS_PER_SCALED = Number(RATIO_SCALE) / 10_000
const POLICY_ORDER = [...BACKTEST_POLICIES]

/** Dust ratio over time, one panel per policy, with the dust_delta line and a mark at each conversion. */
export function dustRatioSpec(report: BacktestReport): TopLevelSpec {
  const runs = primaryRuns(report).filter((run) => run.ratios)
  // One table for the facet: the hourly ratios and the conversions, told apart by `kind`.
  const rows: Array<{ kind: 'ratio' | 'conversion'; policy: string; time: number; bps?: number; token?: string }> = []
  for (const run of runs) {
    const series = run.ratios ?? []
    for (const [index, scaled] of series.entries()) rows.push({ kind: 'ratio', policy: run.policy, time: report.from + index * 3_600_000, bps: Number(scaled) / BPS_PER_SCALED })
    for (const conversion of run.conversions) rows.push({ kind: 'conversion', policy: run.policy, time: conversion.at, token: conversion.token })
  }
  const threshold = Number(report.dustDelta.multiply(10_000n).toDecimalString(6))
  const x = { field: 'time', type: 'temporal' as const, title: null }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${report.mode}: dust ratio, ${report.position.toDecimalString()} weETH`,
      subtitle: `Hourly, ${new Date(report.from).toISOString().slice(0, 10)} to ${new Date(report.to).toISOString().slice(0, 10)}. Dashed: dust_delta (${threshold} bps). Ticks: conversions.`,
    },
    config: { font: 'DejaVu Sans' },
    data: { values: rows },
    facet: { row: { field: 'policy', type: 'nominal', sort: POLICY_ORDER, title: null } },
    spec: {
      width: 900,
      height: 130,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'ratio'" }],
          mark: { type: 'area', line: true, interpolate: 'step-after', opacity: 0.35 },
          encoding: { x, y: { field: 'bps', type: 'quantitative', title: 'dust ratio (bps)' } },
        },
        {
          // One dashed line per panel: the table is first reduced to one row.
          transform: [{ aggregate: [{ op: 'count', as: 'rows' }] }],
          mark: { type: 'rule', color: '#c0392b', strokeDash: [6, 3] },
          encoding: { y: { datum: threshold, type: 'quantitative' } },
        },
        {
          transform: [{ filter: "datum.kind === 'conversion'" }],
          mark: { type: 'tick', orient: 'vertical', thickness: 2, size: 16 },
          encoding: { x, y: { datum: 0, type: 'quantitative' }, color: { field: 'token', type: 'nominal', title: 'conversion of' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } satisfies TopLevelSpec
}

/** Total conversion cost against mean exposure: a point per policy and dust_delta, the swept policies joined in order. */
export function costExposureSpec(report: BacktestReport): TopLevelSpec {
  const share = report.shareClass.symbol
  const points = report.runs.map((run) => {
    const figures = runFigures(report, run)
    return {
      policy: run.policy,
      delta: Number(run.dustDelta.multiply(10_000n).toDecimalString(6)),
      meanBps: Number(figures.meanDustRatio.multiply(10_000n).toDecimalString(6)),
      cost: Number(figures.totalCost.toDecimalString()),
      swept: THRESHOLD_POLICIES.has(run.policy),
    }
  })
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${report.mode}: conversion cost against exposure, ${report.position.toDecimalString()} weETH`,
      subtitle: report.sweep ? `dust_delta swept over ${report.sweep.length} values for the policies that read it` : `dust_delta ${report.dustDelta.toDecimalString(8)}`,
    },
    config: { font: 'DejaVu Sans' },
    width: 700,
    height: 420,
    data: { values: points },
    layer: [
      {
        transform: [{ filter: 'datum.swept' }],
        mark: { type: 'line', opacity: 0.5 },
        encoding: {
          x: { field: 'meanBps', type: 'quantitative' },
          y: { field: 'cost', type: 'quantitative' },
          color: { field: 'policy', type: 'nominal', sort: POLICY_ORDER },
          order: { field: 'delta', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'meanBps', type: 'quantitative', title: 'time-weighted mean dust ratio (bps)' },
          y: { field: 'cost', type: 'quantitative', title: `total conversion cost (${share})` },
          color: { field: 'policy', type: 'nominal', sort: POLICY_ORDER },
          shape: { field: 'policy', type: 'nominal', sort: POLICY_ORDER },
        },
      },
    ],
  } satisfies TopLevelSpec
}

/**
 * The scorecard's frontier: conversion cost against ex-ante risk (bps of mean equity, summed over
 * the hours), a point per run, a line per policy joining its points in order of risk. The
 * realised P&L is not drawn: it is luck, not a policy's merit.
 */
export function frontierSpec(report: BacktestReport): TopLevelSpec {
  const share = report.shareClass.symbol
  const points = backtestFrontier(report).flatMap((line) =>
    line.points.map((point, rank) => ({
      policy: point.policy,
      parameter: point.parameter,
      rank,
      riskBps: Number(point.riskBps.toDecimalString(6)),
      cost: Number(point.cost.toDecimalString()),
      efficient: point.efficient,
    })),
  )
  const color = { field: 'policy', type: 'nominal' as const, sort: POLICY_ORDER, title: 'policy' }
  // Vega's own symlog ticks are sparse: 0, then the powers of ten from 1 up to the highest risk.
  const highest = Math.max(0, ...points.map((point) => point.riskBps))
  const ticks = [0]
  for (let tick = 1; tick / 10 < highest; tick *= 10) ticks.push(tick)
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${report.mode}: all-in cost against ex-ante risk, ${report.position.toDecimalString()} weETH`,
      subtitle: [
        `${new Date(report.from).toISOString().slice(0, 10)} to ${new Date(report.to).toISOString().slice(0, 10)}, a point per run. Lower left is better.`,
        'Cost: conversions plus selling what is left at the end. Risk: Σ over hours of dust value × hourly volatility, in bps of mean equity.',
      ],
    },
    config: { font: 'DejaVu Sans' },
    width: 700,
    height: 420,
    data: { values: points },
    layer: [
      {
        mark: { type: 'line', opacity: 0.6 },
        encoding: {
          x: { field: 'riskBps', type: 'quantitative', scale: { type: 'symlog' } },
          y: { field: 'cost', type: 'quantitative' },
          color,
          order: { field: 'rank', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          // Symmetric log: the policies that sell at once sit near 0, the threshold's sweep in the thousands.
          x: { field: 'riskBps', type: 'quantitative', title: 'ex-ante risk (bps of equity)', scale: { type: 'symlog' }, axis: { values: ticks } },
          y: { field: 'cost', type: 'quantitative', title: `all-in cost (${share})` },
          color,
          tooltip: [{ field: 'policy' }, { field: 'parameter' }, { field: 'cost' }, { field: 'riskBps' }],
        },
      },
    ],
  } satisfies TopLevelSpec
}

/** Vega-Lite's logger for one compilation: keeps the warnings, and throws on an error. */
class CollectingLogger implements LoggerInterface {
  readonly warnings: string[] = []
  level(): this {
    return this
  }
  error(...message: unknown[]): this {
    throw new Error(`Vega-Lite could not compile a plot: ${message.join(' ')}`)
  }
  warn(...message: unknown[]): this {
    this.warnings.push(message.join(' '))
    return this
  }
  info(): this {
    return this
  }
  debug(): this {
    return this
  }
}

/** Renders a Vega-Lite specification to SVG, without a browser; Vega-Lite's warnings go to `warn` (none are expected). */
export async function renderSvg(spec: TopLevelSpec, warn: (message: string) => void = () => {}): Promise<string> {
  const logger = new CollectingLogger()
  const compiled = compile(spec, { logger }).spec
  for (const warning of logger.warnings) warn(warning)
  const view = new View(parse(compiled), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/**
 * Gives the font files the PNG plots are drawn with: DejaVu Sans, regular and bold, from the npm
 * package `dejavu-fonts-ttf`, so that a plot looks the same on every machine and needs no system font.
 */
export function plotFontFiles(): string[] {
  const require = createRequire(import.meta.url)
  return [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')]
}

/** Rasterises an SVG to PNG at twice its size, on white, with DejaVu Sans from npm (`plotFontFiles`) and no system font. */
export function renderPng(svg: string): Buffer {
  const font = { loadSystemFonts: false, fontFiles: plotFontFiles(), defaultFontFamily: 'DejaVu Sans' }
  const png = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font })
  return png.render().asPng()
}

/** The plots, in the order they are written and listed, each as `<name>.svg` and `<name>.png`. */
const PLOTS = { dust_ratio: dustRatioSpec, cost_vs_exposure: costExposureSpec, frontier: frontierSpec } as const

/** Gives the files `writeBacktestPlots` writes into `dir`, in the order it lists them. */
export function backtestPlotFiles(dir: string): string[] {
  return Object.keys(PLOTS).flatMap((name) => [join(dir, `${name}.svg`), join(dir, `${name}.png`)])
}

/** What keeps the plots from being written into a folder, worded for people. */
type PlotFolderProblem = { readonly shortMessage: string; readonly details: string; readonly cause?: unknown }

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined)

/** What a failed file-system call found, in words: an errno text is no message for people. */
function reasonOf(error: unknown): string {
  switch (codeOf(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'no permission for this user'
    case 'EROFS':
      return 'a read-only file system'
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on the disk'
    case 'EISDIR':
      return 'a folder where a file was to go'
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file where a folder was to go'
    default:
      return `a failure of the file system (${error instanceof Error ? error.name : 'unknown'})`
  }
}

/** The nearest of `path` and its parents that exists and what it is, a symbolic link to nothing on the way, or why it could not be looked at. */
async function nearestExisting(path: string): Promise<{ path: string; stats: Stats } | { path: string; error: unknown } | { path: string; dangling: true }> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, stats: await stat(current) }
    } catch (error) {
      // Missing, or under a file: one level up is where the file that is in the way will be found.
      const code = codeOf(error)
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) return { path: current, error }
      // A link whose target is missing cannot be made through: it is in the way, not missing.
      if (code === 'ENOENT' && (await lstat(current).catch(() => undefined))?.isSymbolicLink()) return { path: current, dangling: true }
    }
  }
}

/**
 * Makes and removes an empty folder in `dir`: only the file system itself says whether this user
 * may make a folder there (root passes `access` on a read-only export or a kernel file system).
 */
async function probeWritable(dir: string): Promise<unknown> {
  let probe: string
  try {
    probe = await mkdtemp(join(dir, '.plots-check-'))
  } catch (cause) {
    return cause
  }
  await rm(probe, { recursive: true, force: true })
  return undefined
}

/**
 * Says what keeps the plots out of `dir`; `undefined` when nothing does. With `make`, makes `dir`
 * (and its missing parents) unless something is in the way; without, only checks that it could.
 */
async function plotFolderProblem(dir: string, make: boolean): Promise<PlotFolderProblem | undefined> {
  const existing = await nearestExisting(dir)
  if ('dangling' in existing) {
    return {
      shortMessage: `The plots folder ${dir} cannot be made: ${existing.path} is a symbolic link to a missing target.`,
      details: `Expected --plots and its parents to be folders, links to folders, or missing, found a link to nothing at ${existing.path}.`,
    }
  }
  if ('error' in existing) {
    return {
      shortMessage: `The plots folder ${dir} cannot be made: ${existing.path} cannot be looked at.`,
      details: `Expected a path this user can reach, found ${reasonOf(existing.error)} at ${existing.path}.`,
      cause: existing.error,
    }
  }
  if (!existing.stats.isDirectory()) {
    return existing.path === dir
      ? { shortMessage: `The plots folder ${dir} is a file, not a folder.`, details: `Expected --plots to name a folder, or a path where one can be made, found a file at ${dir}.` }
      : {
          shortMessage: `The plots folder ${dir} cannot be made: ${existing.path} is a file, not a folder.`,
          details: `Expected every existing parent of --plots to be a folder, found a file at ${existing.path}.`,
        }
  }
  const cause = await probeWritable(existing.path)
  if (cause !== undefined) {
    const what = existing.path === dir ? `The plots folder ${dir} cannot be written.` : `The plots folder ${dir} cannot be made in ${existing.path}.`
    return { shortMessage: what, details: `Expected a folder this user may write in, found ${reasonOf(cause)} at ${existing.path}.`, cause }
  }
  // A folder still to be made holds no plot file in the way; it is made only when the plots are written.
  if (!make && existing.path !== dir) return undefined
  try {
    await mkdir(dir, { recursive: true })
  } catch (cause) {
    return { shortMessage: `The plots folder ${dir} cannot be made.`, details: `Expected to make it and its missing parents, found ${reasonOf(cause)}.`, cause }
  }
  // A plot file is replaced by a rename, which a folder in its place would refuse.
  for (const file of backtestPlotFiles(dir)) {
    try {
      if ((await lstat(file)).isDirectory()) {
        return {
          shortMessage: `The plot file ${file} is a folder, not a file.`,
          details: `Expected each of ${Object.keys(PLOTS).join(', ')} (.svg and .png) in the plots folder to be a file or missing, found a folder at ${file}.`,
        }
      }
    } catch (cause) {
      if (codeOf(cause) !== 'ENOENT') return { shortMessage: `The plot file ${file} cannot be replaced.`, details: `Expected a file or nothing there, found ${reasonOf(cause)}.`, cause }
    }
  }
  return undefined
}

/**
 * Checks that the plots folder `dir` exists or can be made (an empty folder can be made, and is
 * removed at once, in it or in its nearest existing parent; no link to nothing is on the way), and
 * that every plot file can be written there; a `UsageError` says what is in the way. It leaves
 * nothing: the CLI calls it before the replay, so that a bad `--plots` is refused before minutes
 * of work rather than after, and a replay that fails leaves no empty folder behind.
 */
export async function preparePlotFolder(dir: string): Promise<void> {
  const problem = await plotFolderProblem(dir, false)
  if (problem) throw new UsageError(problem.shortMessage, problem)
}

/**
 * Writes the plots (dust ratio, cost against exposure, the scorecard's frontier) as SVG and PNG into
 * `dir` (made if missing) and returns the files written, as `backtestPlotFiles` lists them.
 *
 * All six are drawn first, then written into a temporary folder inside `dir` and each renamed into
 * place, so a plot that cannot be drawn or written leaves every plot file as it was. The folder is
 * checked again (as `preparePlotFolder` does) since it may have changed during the replay; a failure
 * is a `BaseError` saying what was in the way.
 */
export async function writeBacktestPlots(report: BacktestReport, dir: string, warn: (message: string) => void = () => {}): Promise<string[]> {
  const drawn: Array<{ readonly file: string; readonly data: string | Buffer }> = []
  for (const [name, spec] of Object.entries(PLOTS)) {
    const svg = await renderSvg(spec(report), warn)
    drawn.push({ file: join(dir, `${name}.svg`), data: svg }, { file: join(dir, `${name}.png`), data: renderPng(svg) })
  }
  const problem = await plotFolderProblem(dir, true)
  if (problem) throw new BaseError(problem.shortMessage, problem)
  const names = drawn.map(({ file }) => basename(file)).join(', ')
  let staging: string
  try {
    staging = await mkdtemp(join(dir, '.plots-'))
  } catch (cause) {
    throw new BaseError(`The plots cannot be written to ${dir}.`, { details: `Expected to write ${names} there, found ${reasonOf(cause)}; no plot file was changed.`, cause })
  }
  const replaced: string[] = []
  try {
    for (const { file, data } of drawn) await writeFile(join(staging, basename(file)), data)
    for (const { file } of drawn) {
      await rename(join(staging, basename(file)), file)
      replaced.push(file)
    }
  } catch (cause) {
    // Only a change to the folder since it was checked fails a rename: say which files are new.
    const changed = replaced.length === 0 ? 'no plot file was changed' : `only ${replaced.map((file) => basename(file)).join(', ')} were replaced`
    throw new BaseError(`The plots cannot be written to ${dir}.`, { details: `Expected to write ${names} there, found ${reasonOf(cause)}; ${changed}.`, cause })
  } finally {
    await rm(staging, { recursive: true, force: true }).catch((cause: unknown) => warn(`the temporary folder ${staging} could not be removed (${reasonOf(cause)})`))
  }
  return drawn.map(({ file }) => file)
}
