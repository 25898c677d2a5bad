import { type FrontierLine, scorecardFrontier } from '../../domain/backtest/scorecardFrontier.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import type { BacktestReport } from '../../app/backtest/backtestStrategy.js'

/** The parameter a run is told apart by on the frontier: its `dust_delta` (every run reports one). */
export function runParameter(run: BacktestRunResult): string {
  return `dust_delta=${run.dustDelta.toDecimalString(8)}`
}

/**
 * Lays a report's runs out on the cost-risk plane (`scorecardFrontier`): x the ex-ante risk in bps
 * of equity, y the all-in cost (conversions, plus selling what is left at the end, less what was carried in) in the share class, one line per policy sorted by risk.
 */
export function backtestFrontier(report: Pick<BacktestReport, 'runs'>): FrontierLine[] {
  return scorecardFrontier(report.runs.map((run) => ({ policy: run.policy, parameter: runParameter(run), cost: run.allInCost, riskBps: run.exAnteRiskBps })))
}
