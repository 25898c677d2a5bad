import type { RunPolicyGridParameters } from '../../../app/backtest/runPolicyGrid.js'
import type { BacktestReport } from '../../../app/backtest/backtestStrategy.js'
import type { CliContext } from '../createCliContext.js'

export type RunBacktestGridParameters = RunPolicyGridParameters & {
  /** Prints the walk-forward table instead of returning a report. */
  readonly walkForward: boolean
  readonly json: boolean
}

/** A grid's report for `dust backtest` to render like a sweep's, or word that the walk-forward was printed. */
export type RunBacktestGridReturnType = { readonly printed: true } | { readonly printed: false; readonly report: BacktestReport }

/**
 * Runs the grid of `dust backtest --grid` or `--walk-forward` on worker threads. A walk-forward
 * prints its table (or its JSON) here; a plain grid returns the report, which the command
 * renders and plots as it does a sweep's.
 */
export async function runBacktestGrid(context: CliContext, parameters: RunBacktestGridParameters): Promise<RunBacktestGridReturnType> {
  const { walkForward, json, ...grid } = parameters
  if (!walkForward) {
    const { runPolicyGrid } = await import('../../../app/backtest/runPolicyGrid.js')
    return { printed: false, report: await runPolicyGrid(grid) }
  }
  const [{ runPolicyGridWalkForward }, { renderWalkForward, serializeWalkForward }] = await Promise.all([
    import('../../../app/backtest/runPolicyGridWalkForward.js'),
    import('../../backtest/renderWalkForward.js'),
  ])
  const report = await runPolicyGridWalkForward(grid)
  context.print(json ? JSON.stringify(serializeWalkForward(report)) : renderWalkForward(report))
  return { printed: true }
}
