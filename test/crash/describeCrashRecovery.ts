import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Hex, createPublicClient, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRecordingLogger } from '../fakePorts.js'
import { type CrashBackend, bundleCrashChild, runCrashChild, swapsSince, walletBalances, writeCrashConfig } from './crashHarness.js'
import { openTestStore } from './openTestStore.js'
import { createEvmChains } from '../../src/adapters/evm/createEvmChains.js'
import { loadSigner } from '../../src/adapters/evm/loadSigner.js'
import { defaultDataDir, readLastCloses } from '../../src/adapters/history/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../../src/adapters/localchain/startLocalChain.js'
import { createSystemClock } from '../../src/adapters/system/createSystemClock.js'
import { loadConfig } from '../../src/app/loadConfig.js'
import type { ConversionStateChanged } from '../../src/domain/events.js'
import { type DemoWorld, createDemoWorld } from '../../src/app/createDemoWorld.js'
import { createStrategy } from '../../src/app/createStrategy.js'
import { loadVenueBuilders } from '../../src/app/venues/loadVenueBuilders.js'
import type { EventStore } from '../../src/ports/index.js'
import { createDustManager } from '../../src/engine/createDustManager.js'

const FINAL = new Set(['confirmed', 'failed', 'expired'])
/** The states a conversion may move to from each state. */
const NEXT: Record<string, readonly string[]> = {
  planned: ['claiming', 'submitted', 'confirmed', 'failed', 'expired'],
  claiming: ['claimed', 'failed', 'expired', 'confirmed'],
  claimed: ['submitted', 'failed', 'expired'],
  submitted: ['submitted', 'confirmed', 'failed', 'expired'],
}

/** A store to crash on, and whether the funds are in a Safe that the key only acts for as a keeper of its Roles modifier. */
export type CrashRun = CrashBackend & { readonly keeper: boolean; readonly how: string }

/**
 * Declares the crash test for each run: a conversion killed with SIGKILL at every step boundary
 * restarts into exactly one swap per token, the balances of a run without a crash, and a complete log.
 */
export function describeCrashRecovery(runs: readonly CrashRun[]): void {
  describe.each([...runs])('a conversion killed with SIGKILL at every step boundary, on $name, $how', (backend) => {
    let chain: LocalChain
    let world: DemoWorld
    let dir: string
    let configFile: string
    let snapshot: Hex
    let reference: { balances: Record<string, bigint>; states: number }
    let childBundle: string
    const client = () => createPublicClient({ transport: http(chain.rpcUrl) })
    const balances = () => walletBalances(world, chain.rpcUrl)
    const revert = async () => {
      await client().request({ method: 'evm_revert' as never, params: [snapshot] as never })
      snapshot = (await client().request({ method: 'evm_snapshot' as never })) as Hex
    }
    /** Runs the manager in this process on the store until no dust is left (recovery first). */
    const recoverAndFinish = async (store: EventStore) => {
      const { config } = await loadConfig({ file: configFile, env: {} })
      const signer = await loadSigner({ private_key_env: 'K', env: { K: world.walletKey } })
      const clock = createSystemClock()
      const strategy = createStrategy({ config, clock, chains: createEvmChains(), signer, venueBuilders: await loadVenueBuilders([config]) })
      const manager = createDustManager({ strategies: [strategy], clock, logger: createRecordingLogger(), execute: true, store })
      let last = ''
      for (let cycle = 0; cycle < 3; cycle += 1) {
        const [result] = await manager.runOnce()
        if (!result?.ok) throw result?.error ?? new Error('no result')
        if (result.plan.snapshot.dustTokens.length === 0) return
        last = JSON.stringify({
          skipped: result.plan.skipped.map((skip) => [skip.token, skip.reason, skip.detail]),
          outcomes: result.outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status, outcome.status === 'failed' ? outcome.detail : '']),
        })
      }
      throw new Error(`dust left after three cycles: ${last}`)
    }
    /** Swaps the wallet sent to the router since the snapshot. */
    const swapsSent = async (fromBlock: bigint) => (await swapsSince(world, chain.rpcUrl, fromBlock)).length

    beforeAll(async () => {
      // A bundle of its own for each run: the files that call this run side by side.
      childBundle = await bundleCrashChild(`${backend.keeper ? 'crashChildKeeper' : 'crashChild'}${backend.name}`)
      chain = await startLocalChain()
      world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})), keeper: backend.keeper })
      expect(world.keeper !== undefined).toBe(backend.keeper)
      dir = await mkdtemp(join(tmpdir(), 'dust-crash-config-'))
      configFile = await writeCrashConfig(world, dir)
      snapshot = (await client().request({ method: 'evm_snapshot' as never })) as Hex
      // The reference: one run with no crash.
      const store = await backend.open()
      const opened = await openTestStore(store.spec)
      const start = await client().getBlockNumber()
      await recoverAndFinish(opened)
      const states = (await opened.read()).filter((stored) => stored.event.event_type === 'conversion_state_changed').length
      expect(await swapsSent(start)).toBe(2)
      reference = { balances: await balances(), states }
      await opened.close()
      await store.cleanup()
      await revert()
    }, 180_000)

    afterAll(async () => {
      await chain?.stop()
      if (dir) await rm(dir, { recursive: true, force: true })
    })

    it('has a boundary before and after each of the 12 states of the two conversions', () => {
      // planned, claiming, claimed, submitted (approve), submitted (swap), confirmed: for EIGEN and ETHFI.
      expect(reference.states).toBe(12)
      expect(reference.balances.EIGEN).toBe(0n)
      expect(reference.balances.ETHFI).toBe(0n)
      expect((reference.balances.USDT ?? 0n) > 0n).toBe(true)
    })

    it('restarts into exactly one swap per token, the same balances as without a crash, and a complete log', async () => {
      for (let n = 1; n <= reference.states; n += 1) {
        for (const when of ['before', 'after'] as const) {
          await revert()
          const start = await client().getBlockNumber()
          const store = await backend.open()
          const child = await runCrashChild(childBundle, { CRASH_CONFIG: configFile, CRASH_STORE: store.spec, CRASH_AT: `${n}:${when}`, CRASH_KEY: world.walletKey })
          expect({ boundary: `${n}:${when}`, signal: child.signal, stderr: child.stderr }).toEqual({ boundary: `${n}:${when}`, signal: 'SIGKILL', stderr: '' })
          const opened = await openTestStore(store.spec)
          await recoverAndFinish(opened)
          // Exactly one swap per token on chain, and every token where it would be without the crash.
          expect({ boundary: `${n}:${when}`, swaps: await swapsSent(start) }).toEqual({ boundary: `${n}:${when}`, swaps: 2 })
          expect({ boundary: `${n}:${when}`, ...(await balances()) }).toEqual({ boundary: `${n}:${when}`, ...reference.balances })
          // The log: gapless and in order; every conversion moved by allowed steps to a final state.
          const log = await opened.read()
          expect(log.map((stored) => stored.seq)).toEqual(log.map((_, index) => index + 1))
          const byId = new Map<string, string[]>()
          for (const { event } of log) {
            if (event.event_type !== 'conversion_state_changed') continue
            byId.set(event.conversion_id, [...(byId.get(event.conversion_id) ?? []), (event as ConversionStateChanged).state])
          }
          for (const [id, states] of byId) {
            expect({ id, first: states[0] }).toEqual({ id, first: 'planned' })
            expect({ id, last: FINAL.has(states.at(-1) ?? '') }).toEqual({ id, last: true })
            for (let index = 1; index < states.length; index += 1) {
              expect({ id, move: `${states[index - 1]}→${states[index]}`, allowed: NEXT[states[index - 1] as string]?.includes(states[index] as string) ?? false }).toMatchObject({ allowed: true })
            }
            // Exactly one outcome per conversion, live or recovered, right after its final state (one append):
            // dust_converted for confirmed, dust_conversion_failed for failed and expired.
            const outcomes = log.flatMap(({ event }, index) =>
              (event.event_type === 'dust_converted' || event.event_type === 'dust_conversion_failed') && event.conversion_id === id ? [{ type: event.event_type, index }] : [],
            )
            const final = log.findIndex(({ event }) => event.event_type === 'conversion_state_changed' && event.conversion_id === id && FINAL.has(event.state))
            expect({ boundary: `${n}:${when}`, id, outcomes }).toEqual({
              boundary: `${n}:${when}`,
              id,
              outcomes: [{ type: states.at(-1) === 'confirmed' ? 'dust_converted' : 'dust_conversion_failed', index: final + 1 }],
            })
          }
          expect(await opened.conversions({ open: true })).toEqual([])
          await opened.close()
          await store.cleanup()
        }
      }
    }, 600_000)
  })
}
