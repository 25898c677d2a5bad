import { Amount } from '../../domain/money/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import type { RunState } from './RunState.js'
import { valueAndCost } from './valueAndCost.js'

/**
 * Fills a planned conversion as quoted: the token leaves the claimable rewards, what the route
 * could not sell stays in the wallet with any intermediate leftovers, the share class it brought
 * in and its value and cost add to the run's totals, and the conversion is recorded.
 */
export function applyConversion(replay: BacktestReplay, state: RunState, instruction: DustConversionInstruction, hour: ReplayHour): void {
  const { chosen, token } = instruction
  const { shareClass } = replay
  state.claimable.delete(token)
  state.wallet.set(token, chosen.residual)
  for (const leftover of chosen.leftovers) {
    const symbol = leftover.currency.symbol
    if (symbol === shareClass.symbol) state.proceeds = state.proceeds.add(leftover)
    else state.wallet.set(symbol, (state.wallet.get(symbol) ?? Amount.zero(leftover.currency)).add(leftover))
  }
  const { value, cost } = valueAndCost(chosen)
  state.proceeds = state.proceeds.add(chosen.netOutput)
  state.totalCost = state.totalCost.add(cost)
  state.convertedValue = state.convertedValue.add(value)
  state.conversions.push({ at: hour.at, token, amount: chosen.amountIn, venue: chosen.venue, path: chosen.path, value, cost, netOutput: chosen.netOutput })
}
