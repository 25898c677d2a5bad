import { describe, expect, it } from 'vitest'
import { Fraction } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { type ChainlinkRound, parseChainlinkRound } from './parseChainlinkRound.js'

/** 2025-01-01T00:00:00Z, in seconds. */
const NOW_S = 1_735_689_600n
const FEED = 'the ETH/USD feed 0x5f4eC3Df9cbd43714FE2740F5E3616155c5b8419 on ethereum'

const round = (overrides: Partial<ChainlinkRound> = {}): ChainlinkRound => ({
  roundId: 110680464442257320000n,
  answer: 300_012_345_678n,
  startedAt: NOW_S - 600n,
  updatedAt: NOW_S - 600n,
  answeredInRound: 110680464442257320000n,
  ...overrides,
})

const parse = (overrides: Partial<ChainlinkRound> = {}, now = Number(NOW_S) * 1000) =>
  parseChainlinkRound({ source: 'chainlink:ETH/USD', feed: FEED, round: round(overrides), decimals: 8, heartbeatSeconds: 3600, now, maxClockSkewMs: 30_000 })

/** The error a refused round raises, as its message and details. */
function refusal(overrides: Partial<ChainlinkRound>, now?: number) {
  try {
    parse(overrides, now)
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError)
    const { source, shortMessage, details } = error as SourceError
    return { source, shortMessage, details }
  }
  throw new Error('expected the round to be refused')
}

describe('parseChainlinkRound', () => {
  it('gives the answer over 10^decimals, exactly', () => {
    expect(parse().equals(new Fraction(300_012_345_678n, 100_000_000n))).toBe(true)
    expect(parse().toDecimalString(8)).toBe('3000.12345678')
  })

  it('keeps an answer exactly one heartbeat old and refuses one a second older, naming the feed', () => {
    expect(parse({ updatedAt: NOW_S - 3600n }).toDecimalString(8)).toBe('3000.12345678')
    expect(refusal({ updatedAt: NOW_S - 3601n })).toEqual({
      source: 'chainlink:ETH/USD',
      shortMessage: `The ETH/USD feed 0x5f4eC3Df9cbd43714FE2740F5E3616155c5b8419 on ethereum was last updated 3601 s ago (at 2024-12-31T22:59:59.000Z), longer than its heartbeat of 3600 s: its answer is stale.`,
      details: 'Expected an update within 3600 s of 2025-01-01T00:00:00.000Z, found one 3601 s old.',
    })
  })

  it('refuses a zero or negative answer', () => {
    expect(refusal({ answer: 0n })).toMatchObject({
      shortMessage: `The ETH/USD feed 0x5f4eC3Df9cbd43714FE2740F5E3616155c5b8419 on ethereum answered 0 (8 decimals): a price must be positive.`,
      details: 'Expected an answer above 0, found 0.',
    })
    expect(refusal({ answer: -1n }).details).toBe('Expected an answer above 0, found -1.')
  })

  it('refuses an incomplete round: updatedAt 0, or an answer carried from an earlier round', () => {
    expect(refusal({ roundId: 7n, answeredInRound: 7n, updatedAt: 0n })).toMatchObject({
      shortMessage: `Round 7 of ${FEED} is not complete: its updatedAt is 0.`,
      details: 'Expected a round with an updatedAt time, found updatedAt 0.',
    })
    expect(refusal({ roundId: 7n, answeredInRound: 6n })).toMatchObject({
      shortMessage: `Round 7 of ${FEED} carries the answer of round 6: the round is not complete.`,
      details: 'Expected answeredInRound to be at least roundId (7), found 6.',
    })
    // A later answeredInRound is no sign of an incomplete round.
    expect(parse({ roundId: 7n, answeredInRound: 8n }).isZero()).toBe(false)
  })

  it('keeps an update max_price_clock_skew ahead of the clock and refuses one further ahead', () => {
    expect(parse({ updatedAt: NOW_S + 30n }).toDecimalString(8)).toBe('3000.12345678')
    expect(refusal({ updatedAt: NOW_S + 30n }, Number(NOW_S) * 1000 - 1)).toEqual({
      source: 'chainlink:ETH/USD',
      shortMessage: `The ETH/USD feed 0x5f4eC3Df9cbd43714FE2740F5E3616155c5b8419 on ethereum was updated at 2025-01-01T00:00:30.000Z, 30.001 s ahead of this clock, more than max_price_clock_skew (30 s).`,
      details: 'Expected updatedAt at most 30 s ahead of 2024-12-31T23:59:59.999Z, found 2025-01-01T00:00:30.000Z.',
    })
    // A time no date can hold is still refused, and written in seconds.
    expect(refusal({ updatedAt: 2n ** 255n }).details).toBe(`Expected updatedAt at most 30 s ahead of 2025-01-01T00:00:00.000Z, found ${2n ** 255n} s after the epoch.`)
  })
})
