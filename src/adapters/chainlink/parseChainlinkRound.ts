import { Fraction } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'

/** What `latestRoundData()` answers. */
export type ChainlinkRound = {
  readonly roundId: bigint
  readonly answer: bigint
  readonly startedAt: bigint
  /** Seconds since the epoch at which the answer was written; 0 while the round is not complete. */
  readonly updatedAt: bigint
  readonly answeredInRound: bigint
}

export type ParseChainlinkRoundParameters = {
  /** Name of the price source, for the error. */
  source: string
  /** How the feed is named in messages: `the ETH/USD feed 0x5f4e…`. */
  feed: string
  round: ChainlinkRound
  /** What the feed's `decimals()` answered. */
  decimals: number
  /** The feed's heartbeat: an answer older than this is refused. */
  heartbeatSeconds: number
  /** This clock, in milliseconds since the epoch. */
  now: number
  /** How far ahead of this clock `updatedAt` may be (the strategy's `max_price_clock_skew`). */
  maxClockSkewMs: number
}

/** `updatedAt` in ISO 8601 when a date can hold it, else in seconds. */
function timeOf(seconds: bigint): string {
  return seconds <= 8_640_000_000_000n ? new Date(Number(seconds) * 1000).toISOString() : `${seconds} s after the epoch`
}

/**
 * Checks a Chainlink round and returns its answer in whole quote units per whole base unit, exact
 * (`answer / 10^decimals`, no rounding).
 *
 * Throws `SourceError` when the round is incomplete (`updatedAt` is 0, or `answeredInRound` is
 * below `roundId`), the answer is not positive, `updatedAt` is older than the heartbeat, or it is
 * more than `maxClockSkewMs` ahead of `now`. An answer exactly one heartbeat old is kept.
 */
export function parseChainlinkRound(parameters: ParseChainlinkRoundParameters): Fraction {
  const { source, feed, round, decimals, heartbeatSeconds, now, maxClockSkewMs } = parameters
  const refuse = (message: string, details: string) => new SourceError(source, message, { details })
  if (round.updatedAt === 0n) {
    throw refuse(`Round ${round.roundId} of ${feed} is not complete: its updatedAt is 0.`, 'Expected a round with an updatedAt time, found updatedAt 0.')
  }
  if (round.answeredInRound < round.roundId) {
    throw refuse(
      `Round ${round.roundId} of ${feed} carries the answer of round ${round.answeredInRound}: the round is not complete.`,
      `Expected answeredInRound to be at least roundId (${round.roundId}), found ${round.answeredInRound}.`,
    )
  }
  if (round.answer <= 0n) {
    throw refuse(`${capitalize(feed)} answered ${round.answer} (${decimals} decimals): a price must be positive.`, `Expected an answer above 0, found ${round.answer}.`)
  }
  // Milliseconds, exact in bigint: updatedAt is a uint256 that a float would round.
  const updatedMs = round.updatedAt * 1000n
  const ageMs = BigInt(now) - updatedMs
  if (-ageMs > BigInt(maxClockSkewMs)) {
    throw refuse(
      `${capitalize(feed)} was updated at ${timeOf(round.updatedAt)}, ${secondsOf(-ageMs)} s ahead of this clock, more than max_price_clock_skew (${secondsOf(BigInt(maxClockSkewMs))} s).`,
      `Expected updatedAt at most ${secondsOf(BigInt(maxClockSkewMs))} s ahead of ${new Date(now).toISOString()}, found ${timeOf(round.updatedAt)}.`,
    )
  }
  if (ageMs > BigInt(heartbeatSeconds) * 1000n) {
    throw refuse(
      `${capitalize(feed)} was last updated ${secondsOf(ageMs)} s ago (at ${timeOf(round.updatedAt)}), longer than its heartbeat of ${heartbeatSeconds} s: its answer is stale.`,
      `Expected an update within ${heartbeatSeconds} s of ${new Date(now).toISOString()}, found one ${secondsOf(ageMs)} s old.`,
    )
  }
  return new Fraction(round.answer, 10n ** BigInt(decimals))
}

/** Milliseconds as seconds, with the fraction only when there is one (`3700`, `30.001`). */
function secondsOf(ms: bigint): string {
  const whole = ms / 1000n
  const rest = ms % 1000n
  return rest === 0n ? `${whole}` : `${whole}.${rest.toString().padStart(3, '0').replace(/0+$/, '')}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
