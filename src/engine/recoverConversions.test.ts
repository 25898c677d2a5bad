import { describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../test/createMemoryEventStore.js'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { FIXED_TIME, fixtureClock } from '../../test/fixtureMoney.js'
import type { ConversionStateChanged } from '../domain/events.js'
import type { ExecutionManager, StepLookup } from '../ports/index.js'
import { recoverConversions } from './recoverConversions.js'

const instruction = {
  custody: { kind: 'onchain', chain: 'local' },
  steps: [
    { kind: 'claim', venue: 'etherfi', token: 'ETHFI', amount: '1068' },
    { kind: 'approve', venue: 'uniswap', token: 'ETHFI', amount: '1068' },
    { kind: 'swap', venue: 'uniswap', path: ['ETHFI', 'WETH', 'USDT'], amount_in: '1068', min_output: '1685' },
  ],
}

function state(id: string, value: ConversionStateChanged['state'], step: number, reference?: string): ConversionStateChanged {
  return {
    event_type: 'conversion_state_changed',
    strategy_mode: 'usdt',
    timestamp: FIXED_TIME,
    conversion_id: id,
    token: 'ETHFI',
    venue: 'uniswap',
    state: value,
    step,
    ...(reference ? { reference } : {}),
    ...(value === 'planned' ? { instruction } : {}),
  }
}

/** An executor whose venues answer lookups from a table, recording what they were asked. */
function executor(answers: Record<string, StepLookup | StepLookup[]>): ExecutionManager & { asked: string[] } {
  const asked: string[] = []
  return {
    name: 'test',
    asked,
    execute: async () => {
      throw new Error('recovery never executes')
    },
    async lookup(step) {
      asked.push(`${step.kind}@${step.venue}@${step.chain}:${step.reference}`)
      const answer = answers[step.reference]
      return Array.isArray(answer) ? (answer.shift() ?? 'unknown') : (answer ?? 'unknown')
    },
  }
}

describe('recoverConversions', () => {
  it('settles each open conversion by what its venue says, and never executes anything', async () => {
    const store = createMemoryEventStore({ now: () => FIXED_TIME })
    await store.append([
      state('a', 'planned', 0),
      state('b', 'planned', 0),
      state('b', 'claiming', 0, '0xclaim-b'),
      state('c', 'planned', 0),
      state('c', 'claiming', 0, '0xclaim-c'),
      state('c', 'claimed', 0),
      state('c', 'submitted', 1, '0xapprove-c'),
      state('c', 'submitted', 2, '0xswap-c'),
      state('d', 'planned', 0),
      state('d', 'claiming', 0, '0xclaim-d'),
      state('e', 'planned', 0),
      state('e', 'claiming', 0, '0xclaim-e'),
      state('f', 'planned', 0),
      state('f', 'claiming', 0, '0xclaim-f'),
      state('f', 'claimed', 0),
    ])
    const venues = executor({ '0xclaim-b': 'confirmed', '0xswap-c': 'confirmed', '0xclaim-d': 'failed', '0xclaim-e': 'unknown' })
    const events = await recoverConversions(
      { clock: fixtureClock(), logger: createRecordingLogger() },
      { open: await store.conversions({ open: true }), executors: new Map([['usdt', venues]]) },
    )
    expect(events.map((event) => [event.conversion_id, event.state, event.step])).toEqual([
      ['a', 'expired', 0],
      ['b', 'expired', 0],
      ['c', 'confirmed', 2],
      ['d', 'failed', 0],
      ['e', 'expired', 0],
      ['f', 'expired', 0],
    ])
    expect(events.find((event) => event.conversion_id === 'b')?.detail).toBe('Step 0 (claim 0xclaim-b) was confirmed after a restart; the rest is re-planned from the balances.')
    expect(events.find((event) => event.conversion_id === 'e')?.detail).toBe('Step 0 (claim 0xclaim-e) was recorded but its venue never saw it; nothing was executed.')
    // Only steps in flight were asked about, each on its chain and venue.
    expect(venues.asked).toEqual(['claim@etherfi@local:0xclaim-b', 'swap@uniswap@local:0xswap-c', 'claim@etherfi@local:0xclaim-d', 'claim@etherfi@local:0xclaim-e'])
  })

  it('waits for a pending step, and leaves it open when it is still pending at the deadline', async () => {
    const store = createMemoryEventStore({ now: () => FIXED_TIME })
    await store.append([state('p', 'planned', 0), state('p', 'claiming', 0, '0xp'), state('q', 'planned', 0), state('q', 'claiming', 0, '0xq')])
    const venues = executor({ '0xp': ['pending', 'pending', 'confirmed'], '0xq': ['pending', 'pending', 'pending', 'pending', 'pending'] })
    // A clock whose sleeps pass at once and move it on.
    let now = FIXED_TIME
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) }
    const logger = createRecordingLogger()
    const events = await recoverConversions({ clock, logger }, { open: await store.conversions({ open: true }), executors: new Map([['usdt', venues]]), pendingTimeoutMs: 2_500 })
    expect(events.map((event) => [event.conversion_id, event.state])).toEqual([['p', 'expired']])
    expect(logger.entries.some((entry) => entry.message === 'Still pending after the recovery timeout; left open until the next start')).toBe(true)
  })
})
