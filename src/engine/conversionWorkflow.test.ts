import { createPublicClient, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientOrderIdOf } from '../adapters/execution/createVenueExecutionManager.js'
import { createMemoryEventStore } from '../../test/createMemoryEventStore.js'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { fixtureClock } from '../../test/fixtureMoney.js'
import { demoStrategy } from '../../test/demoStrategy.js'
import { defaultDataDir, readLastCloses } from '../adapters/history/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../adapters/localchain/startLocalChain.js'
import type { ConversionStateChanged } from '../domain/events.js'
import { type DemoWorld, createDemoWorld } from '../app/createDemoWorld.js'
import { createDustManager } from './createDustManager.js'

describe('conversions as durable workflows, on a local node', () => {
  let chain: LocalChain
  let world: DemoWorld

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('records each state before its side effect, the transaction hashes and order ids, and never runs a conversion id twice', async () => {
    const strategy = await demoStrategy(world)
    const store = createMemoryEventStore()
    const manager = createDustManager({ strategies: [strategy], clock: fixtureClock(Date.now()), logger: createRecordingLogger(), execute: true, store })
    const [result] = await manager.runOnce()
    if (!result?.ok) throw new Error('the cycle failed')
    const states = store.events.map((stored) => stored.event).filter((event): event is ConversionStateChanged => event.event_type === 'conversion_state_changed')
    const of = (token: string) =>
      states.filter((event) => event.token === token).map((event) => `${event.state}:${event.step}${event.reference ? `:${event.reference.startsWith('0x') ? 'tx' : event.reference}` : ''}`)
    expect(of('ETHFI')).toEqual(['planned:0', 'claiming:0:tx', 'claimed:0', 'submitted:1:tx', 'submitted:2:tx', 'confirmed:2'])
    const eigenId = result.plan.instructions.find((instruction) => instruction.token === 'EIGEN')?.conversionId ?? ''
    expect(of('EIGEN')).toEqual(['planned:0', 'claiming:0:tx', 'claimed:0', 'submitted:1:tx', `submitted:2:paper:${clientOrderIdOf(eigenId, 0)}`, 'confirmed:2'])
    // The state comes first, then the converted event, in the same append.
    const types = store.events.map((stored) => stored.event.event_type)
    expect(types.slice(-2)).toEqual(['conversion_state_changed', 'dust_converted'])
    // Each hash on record is the transaction that was mined.
    const ethfi = await store.conversion(result.plan.instructions.find((instruction) => instruction.token === 'ETHFI')?.conversionId ?? '')
    expect(ethfi?.state).toBe('confirmed')
    expect(ethfi?.references).toHaveLength(3)
    const client = createPublicClient({ transport: http(chain.rpcUrl) })
    for (const hash of ethfi?.references ?? []) expect((await client.getTransactionReceipt({ hash: hash as `0x${string}` })).status).toBe('success')
    expect(ethfi?.instruction).toMatchObject({ token: 'ETHFI', venue: 'uniswap', amount: '1068' })

    // The same instructions again: both ids are on record, nothing is sent or recorded.
    const before = store.events.length
    const again = await manager.executeInstructions(strategy.policy.mode, result.plan.instructions)
    expect(again).toEqual([])
    expect(store.events.length).toBe(before)
  }, 60_000)
})
