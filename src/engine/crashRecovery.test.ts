import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Abi, type Address, type Hex, createPublicClient, erc20Abi, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { openTestStore } from '../../test/crash/openTestStore.js'
import { type StartedPostgres, startPostgres } from '../../test/startPostgres.js'
import { createEvmChains } from '../adapters/evm/createEvmChains.js'
import { loadSigner } from '../adapters/evm/loadSigner.js'
import { defaultDataDir, readLastCloses } from '../adapters/history/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../adapters/localchain/startLocalChain.js'
import { createSystemClock } from '../adapters/system/createSystemClock.js'
import { loadConfig } from '../config/index.js'
import type { ConversionStateChanged } from '../domain/events.js'
import { type DemoWorld, createDemoWorld, demoConfig } from '../interfaces/demo/createDemoWorld.js'
import { createStrategy } from '../interfaces/createStrategy.js'
import type { EventStore } from '../ports/index.js'
import { createDustManager } from './createDustManager.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const FINAL = new Set(['confirmed', 'failed', 'expired'])
/** The states a conversion may move to from each state. */
const NEXT: Record<string, readonly string[]> = {
  planned: ['claiming', 'submitted', 'confirmed', 'failed', 'expired'],
  claiming: ['claimed', 'failed', 'expired', 'confirmed'],
  claimed: ['submitted', 'failed', 'expired'],
  submitted: ['submitted', 'confirmed', 'failed', 'expired'],
}

const childBundle = join(root, 'node_modules', '.cache', 'dust-crash-test', 'crashChild.mjs')

/** Bundles the crash child once (packages stay external), so each of the many runs starts in a fraction of tsx's time. */
async function bundleChild(): Promise<void> {
  const { build } = await import('esbuild')
  await build({ entryPoints: [join(root, 'test', 'crash', 'crashChild.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', outfile: childBundle, logLevel: 'error' })
}

/** Runs the crash child; resolves with the signal that ended it (SIGKILL at the boundary) or its output. */
function runChild(env: Record<string, string>): Promise<{ signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [childBundle], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ signal: (error as { signal?: string } | null)?.signal ?? null, stdout, stderr })
    })
  })
}

type Backend = { name: string; open(): Promise<{ spec: string; cleanup(): Promise<void> }> }

describe.each<Backend>([
  {
    name: 'SQLite',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dust-crash-'))
      return { spec: join(dir, 'events.db'), cleanup: () => rm(dir, { recursive: true, force: true }) }
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      if (process.env.DATABASE_URL) {
        // A fresh schema per run keeps the runs apart on the shared CI server.
        const pg = (await import('pg')).default
        const name = `crash_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
        await admin.connect()
        await admin.query(`CREATE DATABASE ${name}`)
        await admin.end()
        const url = new URL(process.env.DATABASE_URL)
        url.pathname = `/${name}`
        return { spec: url.toString(), cleanup: async () => {} }
      }
      const server: StartedPostgres = await startPostgres()
      return { spec: server.url, cleanup: () => server.stop() }
    },
  },
])('a conversion killed with SIGKILL at every step boundary, on $name', (backend) => {
  let chain: LocalChain
  let world: DemoWorld
  let dir: string
  let configFile: string
  let snapshot: Hex
  let reference: { balances: Record<string, bigint>; states: number }
  const client = () => createPublicClient({ transport: http(chain.rpcUrl) })
  const balances = async () => {
    const result: Record<string, bigint> = {}
    for (const symbol of ['EIGEN', 'ETHFI', 'USDT', 'WETH'] as const) {
      result[symbol] = await client().readContract({ address: world.environment.tokens[symbol] as Address, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })
    }
    return result
  }
  const revert = async () => {
    await client().request({ method: 'evm_revert' as never, params: [snapshot] as never })
    snapshot = (await client().request({ method: 'evm_snapshot' as never })) as Hex
  }
  /** Runs the manager in this process on the store until no dust is left (recovery first). */
  const recoverAndFinish = async (store: EventStore) => {
    const { config } = await loadConfig({ file: configFile, env: {} })
    const signer = await loadSigner({ private_key_env: 'K', env: { K: world.walletKey } })
    const clock = createSystemClock()
    const strategy = createStrategy({ config, clock, chains: createEvmChains(), signer })
    const manager = createDustManager({ strategies: [strategy], clock, logger: createRecordingLogger(), execute: true, store })
    let last = ''
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const [result] = await manager.runOnce()
      if (!result?.ok) throw result?.error ?? new Error('no result')
      if (result.plan.snapshot.dustTokens.length === 0) return
      last = JSON.stringify({ skipped: result.plan.skipped.map((skip) => [skip.token, skip.reason, skip.detail]), outcomes: result.outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status, outcome.status === 'failed' ? outcome.detail : '']) })
    }
    throw new Error(`dust left after three cycles: ${last}`)
  }
  /** Swaps the wallet sent to the routers since the snapshot. */
  const swapsSent = async (fromBlock: bigint) => {
    const latest = await client().getBlockNumber()
    let swaps = 0
    for (let block = fromBlock + 1n; block <= latest; block += 1n) {
      const { transactions } = await client().getBlock({ blockNumber: block, includeTransactions: true })
      for (const tx of transactions) {
        if (tx.from.toLowerCase() === world.wallet.toLowerCase() && tx.to?.toLowerCase() === world.environment.uniswapV3.swapRouter.toLowerCase()) swaps += 1
      }
    }
    return swaps
  }

  beforeAll(async () => {
    await bundleChild()
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
    dir = await mkdtemp(join(tmpdir(), 'dust-crash-config-'))
    // On-chain only: both tokens are claimed, approved and swapped on Uniswap V3.
    const input = demoConfig(world, 'CRASH_KEY')
    // Any dust left after a crash is over this threshold, so the run always finishes the job.
    input.dust_delta = '0.00001'
    delete (input.venues as Record<string, unknown>).binance
    delete (input.venues as Record<string, unknown>).uniswap_v2
    input.prices = (input.prices as Array<{ type: string; venue?: string }>).filter((source) => source.type === 'fixed_rate' || source.venue === 'uniswap')
    // The floor needs a price independent of the pool: the oracle's ETH, and the last closes as fixed rates.
    ;(input.prices as unknown[]).push(
      { type: 'fixed_rate', name: 'closes_eigen', base: 'EIGEN', quote: 'WETH', rate: world.closes.eigenWeth.value.toDecimalString(18) },
      { type: 'fixed_rate', name: 'closes_ethfi', base: 'ETHFI', quote: 'WETH', rate: world.closes.ethfiWeth.value.toDecimalString(18) },
      { type: 'fixed_rate', name: 'closes_eth', base: 'WETH', quote: 'USDT', rate: world.closes.ethUsdt.value.toDecimalString(6) },
    )
    configFile = join(dir, 'crash.json')
    await writeFile(configFile, JSON.stringify(input))
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
        const child = await runChild({ CRASH_CONFIG: configFile, CRASH_STORE: store.spec, CRASH_AT: `${n}:${when}`, CRASH_KEY: world.walletKey })
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
        }
        expect(await opened.conversions({ open: true })).toEqual([])
        await opened.close()
        await store.cleanup()
      }
    }
  }, 600_000)
})
