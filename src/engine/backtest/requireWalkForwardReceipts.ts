import { BaseError } from '../../errors/index.js'
import type { HourSpan, SplitWalkForwardReturnType } from './splitWalkForward.js'

const HOUR = 3_600_000

export type RequireWalkForwardReceiptsParameters = SplitWalkForwardReturnType & {
  /** The instants (ms since epoch) the position's rewards are credited at: on an hour, or inside one (the replay places those on the next hour start). */
  readonly receipts: readonly number[]
}

/** The number of reward receipts in each half of a walk-forward. */
export type RequireWalkForwardReceiptsReturnType = { readonly choose: number; readonly report: number }

const hourText = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`
const spanText = (span: HourSpan) => `${hourText(span.from)} to ${hourText(span.to)}, ${span.hours.toLocaleString('en-US')} ${span.hours === 1 ? 'hour' : 'hours'}`

/**
 * Counts the reward receipts in each half of a walk-forward, placed on hours as the replay
 * places them (a receipt inside an hour on the next hour start), and refuses a split whose
 * choosing half or scored half holds none: on a first half without one every run ties at no cost
 * and no risk, so the choice is the tie-break's, and a second half without one judges the
 * choices on no reward of their own.
 */
export function requireWalkForwardReceipts(parameters: RequireWalkForwardReceiptsParameters): RequireWalkForwardReceiptsReturnType {
  const { choose, report, receipts } = parameters
  const hourOf = (at: number) => choose.from + Math.ceil((at - choose.from) / HOUR) * HOUR
  const within = (span: HourSpan) => receipts.filter((at) => at >= choose.from && hourOf(at) >= span.from && hourOf(at) <= span.to).length
  const counts = { choose: within(choose), report: within(report) }
  const empty = [...(counts.choose === 0 ? [`first half, which chooses (${spanText(choose)})`] : []), ...(counts.report === 0 ? [`second half, which is scored (${spanText(report)})`] : [])]
  if (empty.length === 0) return counts
  throw new BaseError(`The walk-forward's ${empty.join(', and the ')}, ${empty.length === 1 ? 'holds' : 'hold'} no reward receipt.`, {
    code: 'invalid_parameter',
    details: `Expected a window with reward receipts in both halves, found ${counts.choose} in the first half and ${counts.report} in the second: a half without one has no reward to convert, and its runs say nothing of the policies. Widen the window to take in a receipt on each side of its midpoint.`,
  })
}
