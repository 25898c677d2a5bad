import type { RewardCredit } from '../../domain/backtest/rewardSchedule.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'
import type { BacktestMarket } from './createBacktestMarket.js'

export type ScheduleCreditsParameters = {
  readonly market: Pick<BacktestMarket, 'hours' | 'priceBook'>
  /** Rewards in time order, amounts in whole tokens. */
  readonly credits: readonly RewardCredit[]
  readonly registry: ReadonlyMap<string, Currency>
  readonly shareClass: Currency
  /** The first hour index whose credits count in `scoredIdeal` (0 by default: all of them). */
  readonly scoreIndex?: number | undefined
}

export type CreditSchedule = {
  /** Per hour index, the rewards that arrive then, in base units rounded down. */
  readonly creditsAt: ReadonlyMap<number, readonly Amount[]>
  /** What the position received over the replay, per token. */
  readonly received: ReadonlyMap<string, Amount>
  /** Every credit valued at its hour's price, as if converted at once and for free. */
  readonly ideal: Amount
  /** The credits of the hours from `scoreIndex` on, valued as `ideal` values them. */
  readonly scoredIdeal: Amount
  /** Credits due outside the replayed hours, left out. */
  readonly creditsOutside: number
}

const HOUR = 3_600_000

/**
 * Places each reward credit on the hour it becomes usable (the next hour start for a credit inside
 * an hour; the schedule's are all on one), in base units rounded down, and values it there for the
 * ideal. Credits before the first hour or after the last are counted and left out.
 */
export function scheduleCredits(parameters: ScheduleCreditsParameters): CreditSchedule {
  const { market, registry, shareClass } = parameters
  const { hours } = market
  const creditsAt = new Map<number, Amount[]>()
  const received = new Map<string, Amount>()
  let ideal = Amount.zero(shareClass)
  let scoredIdeal = Amount.zero(shareClass)
  const scoreIndex = parameters.scoreIndex ?? 0
  let creditsOutside = 0
  const first = hours[0]
  for (const credit of parameters.credits) {
    const index = first === undefined ? -1 : Math.ceil((credit.at - first) / HOUR)
    if (first === undefined || credit.at < first || index > hours.length - 1) {
      creditsOutside += 1
      continue
    }
    const currency = registry.get(credit.token)
    if (!currency) {
      throw new BaseError(`The backtest credits ${credit.token}, which the strategy's tokens do not define.`, {
        code: 'invalid_parameter',
        details: `Expected ${credit.token} among the tokens, found ${[...registry.keys()].join(', ')}.`,
      })
    }
    const amount = Amount.fromTokens(currency, credit.amount, 'down')
    creditsAt.set(index, [...(creditsAt.get(index) ?? []), amount])
    received.set(credit.token, (received.get(credit.token) ?? Amount.zero(currency)).add(amount))
    const price = market.priceBook(index).price(currency, shareClass)
    if (price) {
      const value = price.quoteAmount(amount, 'down')
      ideal = ideal.add(value)
      if (index >= scoreIndex) scoredIdeal = scoredIdeal.add(value)
    }
  }
  return { creditsAt, received, ideal, scoredIdeal, creditsOutside }
}
