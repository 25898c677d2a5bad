import { describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../test/createMemoryEventStore.js'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { FIXED_TIME, fixtureClock } from '../../test/fixtureMoney.js'
import type { ConversionStateChanged, DustConversionFailed, DustConverted, InstructionJson } from '../domain/events.js'
import { Amount, createCurrency } from '../domain/money/index.js'
import type { ExecutionManager, StepLookup, StepQuery } from '../ports/index.js'
import { type ConversionRecovery, recoverConversions } from './recoverConversions.js'
import { writeSubmissionDetail } from './submissionDetail.js'

const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' })
const ETHFI = createCurrency({ symbol: 'ETHFI', decimals: 18, chain: 'local', address: '0x0000000000000000000000000000000000000e7f' })
const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'local', address: '0x00000000000000000000000000000000000000d7' })

const instruction: InstructionJson = {
  token: 'ETHFI',
  amount: '1068',
  target_currency: 'USDT',
  venue: 'uniswap',
  conversion_path: ['ETHFI', 'WETH', 'USDT'],
  estimated_output: '1702',
  estimated_fees: '4.2',
  min_output: '1685',
  net_output: '1697.8',
  conversion_id: 'usdt:ETHFI:onchain:local:1758888000000',
  strategy_mode: 'usdt',
  custody: { kind: 'onchain', chain: 'local' },
  sources: [{ venue: 'etherfi', source: 'claimable_rewards', amount: '1068' }],
  residual: '0',
  leftovers: [],
  costs: { trading_fees: '3.4', price_impact: '0.4', gas_units: '310000', gas_cost: '0.4' },
  steps: [
    { kind: 'claim', venue: 'etherfi', token: 'ETHFI', amount: '1068' },
    { kind: 'approve', venue: 'uniswap', token: 'ETHFI', amount: '1068' },
    { kind: 'swap', venue: 'uniswap', path: ['ETHFI', 'WETH', 'USDT'], amount_in: '1068', min_output: '1685' },
  ],
  reason: 'uniswap via ETHFI → WETH → USDT nets the most (1697.8 USDT) of 1 usable route.',
  alternatives: [],
}

/** A 32-byte hash spelling its label, so that each step's reference is told apart in a failure. */
const hash = (label: string) => `0x${Buffer.from(label).toString('hex').padStart(64, '0')}`
/** Stops a test whose store lost a record it was given. */
function fail(id: string): never {
  throw new Error(`The store has no conversion ${id}.`)
}
const WALLET = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

function state(id: string, value: ConversionStateChanged['state'], step: number, reference?: string, detail?: string): ConversionStateChanged {
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
    ...(detail ? { detail } : {}),
    ...(value === 'planned' ? { instruction } : {}),
  }
}

/** The states of a conversion that claimed, approved, and was sending its swap when the process died. */
function swapInFlight(id: string): ConversionStateChanged[] {
  return [
    state(id, 'planned', 0),
    state(id, 'claiming', 0, hash(`c1${id}`)),
    state(id, 'claimed', 0),
    state(id, 'submitted', 1, hash(`a1${id}`)),
    state(id, 'submitted', 2, hash(`5${id}`), writeSubmissionDetail(hash(`5${id}`), { from: WALLET, nonce: 7, block: 41n })),
  ]
}

/** An executor whose venues answer lookups from a table by reference, recording what they were asked. */
function executor(answers: Record<string, StepLookup>): ExecutionManager & { asked: StepQuery[] } {
  const asked: StepQuery[] = []
  return {
    name: 'test',
    asked,
    execute: async () => {
      throw new Error('recovery never executes')
    },
    async lookup(step) {
      asked.push(step)
      return answers[step.reference] ?? { status: 'lookup_failed', error: `no answer for ${step.reference} in the test` }
    },
  }
}

async function recover(events: ConversionStateChanged[], venues: ExecutionManager | undefined) {
  const store = createMemoryEventStore({ now: () => FIXED_TIME })
  await store.append(events)
  const logger = createRecordingLogger()
  const results = await recoverConversions({ clock: fixtureClock(), logger }, { open: await store.conversions({ open: true }), executors: new Map([['usdt', venues]]) })
  return { results, logger }
}

function settled(result: ConversionRecovery | undefined): Extract<ConversionRecovery, { settled: true }> {
  if (!result?.settled) throw new Error(`expected a settled conversion, found ${JSON.stringify(result)}`)
  return result
}

describe('recoverConversions', () => {
  it('settles a confirmed swap as confirmed, with one dust_converted built from what the receipt shows', async () => {
    const gasCost = Amount.parse(ETH, '0.0021')
    const venues = executor({
      [hash('5x')]: {
        status: 'confirmed',
        receipt: { kind: 'swap', venue: 'uniswap', reference: hash('5x'), gasUsed: 140_000n, gasCost },
        amountIn: Amount.parse(ETHFI, '1068'),
        amountOut: Amount.parse(USDT, '1702.331544'),
      },
    })
    const { results } = await recover(swapInFlight('x'), venues)
    const result = settled(results[0])
    expect(result.state).toBe('confirmed')
    const [stateEvent, converted] = result.events as [ConversionStateChanged, DustConverted]
    expect(stateEvent).toEqual({
      event_type: 'conversion_state_changed',
      strategy_mode: 'usdt',
      timestamp: FIXED_TIME,
      conversion_id: 'x',
      token: 'ETHFI',
      venue: 'uniswap',
      state: 'confirmed',
      step: 2,
      detail: `Step 2 (swap ${hash('5x')}) was confirmed on its venue after a restart.`,
    })
    expect(converted).toEqual({
      event_type: 'dust_converted',
      strategy_mode: 'usdt',
      timestamp: FIXED_TIME,
      conversion_id: 'x',
      token: 'ETHFI',
      venue: 'uniswap',
      amount: '1068',
      output: '1702.331544',
      fees: '4.2',
      target_currency: 'USDT',
      instruction,
      steps: [
        { kind: 'claim', venue: 'etherfi', reference: hash('c1x') },
        { kind: 'approve', venue: 'uniswap', reference: hash('a1x') },
        { kind: 'swap', venue: 'uniswap', reference: hash('5x'), gas_used: '140000', gas_cost: '0.0021' },
      ],
    })
    // It asked the swap's chain and venue, with its path and the nonce the log recorded with the hash.
    expect(venues.asked).toEqual([{ kind: 'swap', venue: 'uniswap', chain: 'local', reference: hash('5x'), path: ['ETHFI', 'WETH', 'USDT'], signed: { from: WALLET, nonce: 7, block: 41n } }])
  })

  it('says honestly that the output is unknown when the answer does not show it, and takes the exact input as sent', async () => {
    const { results } = await recover(swapInFlight('y'), executor({ [hash('5y')]: { status: 'confirmed' } }))
    const [stateEvent, converted] = settled(results[0]).events as [ConversionStateChanged, DustConverted]
    expect(stateEvent.detail).toBe(`Step 2 (swap ${hash('5y')}) was confirmed on its venue after a restart; its answer does not show what arrived.`)
    expect([converted.amount, converted.output, converted.steps.at(-1)]).toEqual(['1068', null, { kind: 'swap', venue: 'uniswap', reference: hash('5y') }])
  })

  it("settles a step that failed on its venue as failed, with dust_conversion_failed and the venue's reason", async () => {
    const venues = executor({ [hash('5f')]: { status: 'failed', reason: 'swap_reverted', detail: 'The swap reverted in block 44.' } })
    const result = settled((await recover(swapInFlight('f'), venues)).results[0])
    const [stateEvent, failed] = result.events as [ConversionStateChanged, DustConversionFailed]
    expect([result.state, stateEvent.state, stateEvent.detail]).toEqual([
      'failed',
      'failed',
      `swap_reverted: Step 2 (swap ${hash('5f')}) failed on its venue, as found after a restart: The swap reverted in block 44.`,
    ])
    expect(failed).toEqual({
      event_type: 'dust_conversion_failed',
      strategy_mode: 'usdt',
      timestamp: FIXED_TIME,
      conversion_id: 'f',
      token: 'ETHFI',
      venue: 'uniswap',
      amount: '1068',
      reason: 'swap_reverted',
      detail: `Step 2 (swap ${hash('5f')}) failed on its venue, as found after a restart: The swap reverted in block 44.`,
      retryable: false,
      steps: [
        { kind: 'claim', venue: 'etherfi', reference: hash('c1f') },
        { kind: 'approve', venue: 'uniswap', reference: hash('a1f') },
      ],
    })
  })

  it('expires a step its venue has never seen (not_found) and one whose nonce another transaction took (replaced, with its hash)', async () => {
    const venues = executor({
      [hash('5n')]: { status: 'not_found', detail: 'no receipt, no transaction, nonce 7 still free.' },
      [hash('5r')]: { status: 'replaced', replacedBy: hash('beef'), detail: 'nonce 7 was used in block 45.' },
    })
    const { results } = await recover([...swapInFlight('n'), ...swapInFlight('r')], venues)
    const [notFound, replaced] = results.map((result) => settled(result).events as [ConversionStateChanged, DustConversionFailed])
    expect(notFound?.map((event) => [event.event_type, event.detail])).toEqual([
      ['conversion_state_changed', `Step 2 (swap ${hash('5n')}) was never executed: no receipt, no transaction, nonce 7 still free.`],
      ['dust_conversion_failed', `Step 2 (swap ${hash('5n')}) was never executed: no receipt, no transaction, nonce 7 still free.`],
    ])
    expect(notFound?.[0].state).toBe('expired')
    expect([notFound?.[1].reason, notFound?.[1].retryable]).toEqual(['interrupted', true])
    expect(replaced?.[0]).toMatchObject({ state: 'expired', detail: `Step 2 (swap ${hash('5r')}) was replaced by ${hash('beef')}: nonce 7 was used in block 45.` })
    expect(replaced?.[1]).toMatchObject({ reason: 'interrupted', retryable: true, steps: [{ reference: hash('c1r') }, { reference: hash('a1r') }] })
  })

  it('leaves a conversion open when its venue does not answer or has not finished, and settles nothing of it', async () => {
    const venues = executor({
      [hash('5l')]: { status: 'lookup_failed', error: 'The local node did not answer: HTTP request failed (HTTP 503)' },
      [hash('5p')]: { status: 'pending', detail: 'known to the node and not mined yet.' },
    })
    const { results } = await recover([...swapInFlight('l'), ...swapInFlight('p')], venues)
    expect(results).toEqual([
      { conversionId: 'l', settled: false, answer: 'lookup_failed', detail: `Step 2 (swap ${hash('5l')}) could not be looked up: The local node did not answer: HTTP request failed (HTTP 503)` },
      { conversionId: 'p', settled: false, answer: 'pending', detail: `Step 2 (swap ${hash('5p')}) is not final yet: known to the node and not mined yet.` },
    ])
  })

  it('leaves it open too when no executor can ask, when asking throws, or when the instruction on record cannot be read', async () => {
    const { results } = await recover(swapInFlight('z'), undefined)
    expect(results).toEqual([
      {
        conversionId: 'z',
        settled: false,
        answer: 'lookup_failed',
        detail: `Step 2 (swap ${hash('5z')}) could not be looked up: Strategy usdt has no execution manager here that can ask its venues.`,
      },
    ])
    const throwing: ExecutionManager = {
      name: 'throwing',
      execute: async () => {
        throw new Error('never')
      },
      lookup: async () => {
        throw new Error('GET https://rpc.example/v3/KEY123 failed')
      },
    }
    const thrown = await recover(swapInFlight('t'), throwing)
    expect(thrown.results).toEqual([{ conversionId: 't', settled: false, answer: 'lookup_failed', detail: `Step 2 (swap ${hash('5t')}) could not be looked up: GET https://rpc.example failed` }])
    // A log written by something else: the record as a store would project it, instruction and all.
    const store = createMemoryEventStore({ now: () => FIXED_TIME })
    await store.append([state('u', 'planned', 0), state('v', 'planned', 0)])
    const [u, v] = await store.conversions({ open: true })
    const open = [
      { ...(u ?? fail('u')), instruction: { token: 'ETHFI' } },
      { ...(v ?? fail('v')), instruction: { ...instruction, custody: { kind: 'bank' }, steps: [{ kind: 'swap', venue: 'uniswap' }] } },
    ]
    const logger = createRecordingLogger()
    const unreadable = await recoverConversions({ clock: fixtureClock(), logger }, { open, executors: new Map() })
    expect(unreadable).toEqual([
      {
        conversionId: 'u',
        settled: false,
        answer: 'unreadable',
        detail: 'The instruction on record has no target_currency, amount, estimated_fees, steps; it was not written by serializeInstruction.',
      },
      {
        conversionId: 'v',
        settled: false,
        answer: 'unreadable',
        detail:
          'The instruction on record does not have the fields serializeInstruction writes (custody.kind, steps.0.path, steps.0.amount_in, steps.0.min_output); it was not written by serializeInstruction.',
      },
    ])
    expect(logger.at('error').map((entry) => entry.message)).toEqual(unreadable.map((result) => (result.settled ? '' : result.detail)))
  })

  it('expires what had nothing in flight, and a confirmed step before the sale, listing the steps done; it asks only about steps in flight', async () => {
    const venues = executor({ [hash('c1b')]: { status: 'confirmed', receipt: { kind: 'claim', venue: 'etherfi', reference: hash('c1b'), gasUsed: 90_000n } } })
    const { results } = await recover(
      [state('a', 'planned', 0), state('b', 'planned', 0), state('b', 'claiming', 0, hash('c1b')), state('c', 'planned', 0), state('c', 'claiming', 0, hash('c1c')), state('c', 'claimed', 0)],
      venues,
    )
    const events = results.map((result) => settled(result).events as [ConversionStateChanged, DustConversionFailed])
    expect(events.map(([change, failed]) => [change.conversion_id, change.state, change.step, failed.reason, failed.steps])).toEqual([
      ['a', 'expired', 0, 'interrupted', []],
      ['b', 'expired', 0, 'interrupted', [{ kind: 'claim', venue: 'etherfi', reference: hash('c1b'), gas_used: '90000' }]],
      ['c', 'expired', 0, 'interrupted', [{ kind: 'claim', venue: 'etherfi', reference: hash('c1c') }]],
    ])
    expect(events[1]?.[0].detail).toBe(`Step 0 (claim ${hash('c1b')}) was confirmed after a restart; the rest is re-planned from the balances.`)
    expect(events[2]?.[0].detail).toBe('Recovered after a restart in state claimed at step 0: nothing was in flight; the rest is re-planned from the balances.')
    // The claim in flight carried no nonce in the log (a detail of another form): none is passed on.
    expect(venues.asked).toEqual([{ kind: 'claim', venue: 'etherfi', chain: 'local', reference: hash('c1b'), path: undefined, signed: undefined }])
  })
})
