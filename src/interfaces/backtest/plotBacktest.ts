import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { type LoggerInterface, View, parse } from 'vega'
import { type TopLevelSpec, compile } from 'vega-lite'
import { THRESHOLD_POLICIES } from '../../engine/backtest/BacktestPolicy.js'
import { RATIO_SCALE } from '../../engine/backtest/BacktestRunResult.js'
import { backtestFrontier } from './backtestFrontier.js'
import type { BacktestReport } from '../../app/backtest/backtestStrategy.js'
import { primaryRuns, runFigures } from './renderBacktest.js'

/** Ratios and amounts become plain numbers only here, to place pixels; every reported figure stays exact. */
const BPS_PER_SCALED = Number(RATIO_SCALE) / 10_000
const POLICY_ORDER = ['threshold', 'every_receipt', 'weekly', 'cost_aware']

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
      subtitle: report.sweep ? `dust_delta swept over ${report.sweep.length} values for threshold and cost_aware` : `dust_delta ${report.dustDelta.toDecimalString(8)}`,
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

/** Writes the plots (dust ratio, cost against exposure, the scorecard's frontier) as SVG and PNG into `dir` (made if missing) and returns the files written. */
export async function writeBacktestPlots(report: BacktestReport, dir: string, warn?: (message: string) => void): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const written: string[] = []
  for (const [name, spec] of [
    ['dust_ratio', dustRatioSpec(report)],
    ['cost_vs_exposure', costExposureSpec(report)],
    ['frontier', frontierSpec(report)],
  ] as const) {
    const svg = await renderSvg(spec, warn)
    const svgFile = join(dir, `${name}.svg`)
    const pngFile = join(dir, `${name}.png`)
    await writeFile(svgFile, svg)
    await writeFile(pngFile, renderPng(svg))
    written.push(svgFile, pngFile)
  }
  return written
}
