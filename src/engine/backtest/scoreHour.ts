import { scorecardHourRisk } from '../../domain/backtest/scorecardHourRisk.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/**
 * Adds a run's hour to its scorecard's risk sum, at the hour's close (after its conversions): the
 * ex-ante risk of the dust it holds, each token's value × its trailing hourly volatility against
 * the share class over the cost-aware policy's `volatility_hours`. The risk is worked out once per
 * detection, which the runs holding the same dust share.
 */
export function scoreHour(replay: Pick<BacktestReplay, 'market'>, state: RunState, hour: Pick<ReplayHour, 'index'>): void {
  const { detection } = state
  let risk = detection.risk
  if (risk === undefined) {
    const { dustTokens } = detection.snapshot
    risk = dustTokens.length === 0 ? 0n : scorecardHourRisk(dustTokens.map((token) => ({ value: token.value, volatility: replay.market.volatility(token.amount.currency, hour.index) })))
    detection.risk = risk
  }
  if (risk !== 0n) state.riskSum += risk
}
