import type { Amount } from '../../domain/money/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'

/** A route's value at the hour's independent price, and what converting costs: fees, price impact and gas. */
export function valueAndCost(chosen: DustConversionInstruction['chosen']): { value: Amount; cost: Amount } {
  return {
    value: chosen.estimatedOutput.add(chosen.tradingFees).add(chosen.priceImpact),
    cost: chosen.tradingFees.add(chosen.priceImpact).add(chosen.gasCost),
  }
}
