import { BaseError } from '../../errors/index.js'

const HOUR = 3_600_000

/** A span of whole hours, both ends inclusive (ms since epoch). */
export type HourSpan = { readonly from: number; readonly to: number; readonly hours: number }

export type SplitWalkForwardReturnType = {
  /** The first half, where the parameters are chosen: the first ⌊n/2⌋ hours. */
  readonly choose: HourSpan
  /** The second half, where the choices are reported: the other ⌈n/2⌉ hours. */
  readonly report: HourSpan
}

/**
 * Splits a span of hours at its midpoint for a walk-forward test: parameters are chosen on the
 * first half and reported on the second, which never overlap. With an odd number of hours the
 * second half has the extra one. A span needs two hours at least.
 */
export function splitWalkForward(span: { readonly from: number; readonly to: number }): SplitWalkForwardReturnType {
  const { from, to } = span
  const hours = (to - from) / HOUR + 1
  if (!Number.isInteger(hours) || hours < 2) {
    throw new BaseError('A walk-forward needs a span of two whole hours at least.', {
      code: 'invalid_parameter',
      details: `Expected whole hours from ${new Date(from).toISOString()} to a later hour, found ${new Date(to).toISOString()}.`,
    })
  }
  const first = Math.floor(hours / 2)
  return {
    choose: { from, to: from + (first - 1) * HOUR, hours: first },
    report: { from: from + first * HOUR, to, hours: hours - first },
  }
}
