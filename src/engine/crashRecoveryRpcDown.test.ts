import { mkdtemp, rm } from 'node:fs/promises'
import { type IncomingMessage, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CRASH_BACKENDS, type CrashBackend, bundleCrashChild, runCrashChild, swapsSince, walletBalances, writeCrashConfig } from '../../test/crash/crashHarness.js'
import { openTestStore } from '../../test/crash/openTestStore.js'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { type RpcProxy, startRpcProxy } from '../../test/startRpcProxy.js'
import { createEvmChains } from '../adapters/evm/createEvmChains.js'
import { loadSigner } from '../adapters/evm/loadSigner.js'
import { defaultDataDir, readLastCloses } from '../adapters/history/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../adapters/localchain/startLocalChain.js'
import { createMetrics } from '../adapters/prometheus/createMetrics.js'
import { createSystemClock } from '../adapters/system/createSystemClock.js'
import { createWebhookNotifier } from '../adapters/webhook/createWebhookNotifier.js'
import { loadConfig } from '../app/loadConfig.js'
import type { ConversionStateChanged, DustConverted, DustEvent } from '../domain/events.js'
import { Amount, createCurrency } from '../domain/money/index.js'
import { type DemoWorld, createDemoWorld } from '../app/createDemoWorld.js'
import { createStrategy } from '../app/createStrategy.js'
import { loadVenueBuilders } from '../app/venues/loadVenueBuilders.js'
import type { Clock, EventStore } from '../ports/index.js'
import { createDustManager } from './createDustManager.js'

/** A key in the RPC URL's path, as hosted nodes take it: it must never reach an event, a log line or a warning. */
const RPC_KEY = 'SECRETKEY0123456789'

/** A Slack-style incoming webhook on 127.0.0.1 that keeps every message posted to it. */
async function startWebhookReceiver(): Promise<{ url: string; texts: string[]; stop(): Promise<void> }> {
  const texts: string[] = []
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      texts.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string }).text)
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/hooks/T000/B000`, texts, stop: () => new Promise((resolve) => server.close(() => resolve())) }
}

describe.each<CrashBackend>([...CRASH_BACKENDS])('a crash after the swap was sent, restarted while the RPC node is down, on $name', (backend) => {
  let chain: LocalChain
  let world: DemoWorld
  let proxy: RpcProxy
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let dir: string
  let childConfig: string
  let restartConfig: string
  let childBundle: string

  beforeAll(async () => {
    childBundle = await bundleCrashChild('crashChildRpcDown')
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
    proxy = await startRpcProxy(chain.rpcUrl)
    receiver = await startWebhookReceiver()
    dir = await mkdtemp(join(tmpdir(), 'dust-rpc-down-'))
    // The first run talks to the node; the restarted one through the proxy, with a key in the URL's path.
    childConfig = await writeCrashConfig(world, dir)
    restartConfig = await writeCrashConfig(world, dir, {
      file: 'restart.json',
      rpcUrl: `${proxy.url}/v3/${RPC_KEY}`,
      extra: { notifications: { webhook_url: receiver.url, events: ['dust_converted', 'dust_conversion_failed', 'dust_warning'] } },
    })
  }, 180_000)

  afterAll(async () => {
    await proxy?.stop()
    await receiver?.stop()
    await chain?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /** The manager as `dust serve` wires it: metrics and the webhook subscribed before its first cycle (and so before recovery). */
  const serve = async (store: EventStore, clock: Clock) => {
    const { config } = await loadConfig({ file: restartConfig, env: {} })
    const signer = await loadSigner({ private_key_env: 'K', env: { K: world.walletKey } })
    const strategy = createStrategy({ config, clock, chains: createEvmChains({ timeoutMs: 5_000 }), signer, venueBuilders: await loadVenueBuilders([config]) })
    const logger = createRecordingLogger()
    const metrics = createMetrics({ strategies: [strategy] })
    const manager = createDustManager({ strategies: [strategy], clock, logger, execute: true, store, observeScanDuration: metrics.observeScanDuration })
    manager.subscribe('*', metrics.observe)
    const notifications = config.notifications
    if (!notifications) throw new Error('test setup: the restart configuration has no notifications')
    const notifier = createWebhookNotifier({ url: notifications.webhook_url, events: notifications.events, logger })
    manager.subscribe('*', (event) => notifier.append(event))
    return { manager, metrics, notifier, logger }
  }

  it('leaves the conversion open while the node is down, then settles it confirmed once: one swap, one dust_converted, seen by metrics and the webhook', async () => {
    const start = await createPublicClient({ transport: http(chain.rpcUrl) }).getBlockNumber()
    const before = await walletBalances(world, chain.rpcUrl)
    const store = await backend.open()
    // The first run is killed right before it records the first conversion's confirmed state: its swap is mined.
    const child = await runCrashChild(childBundle, { CRASH_CONFIG: childConfig, CRASH_STORE: store.spec, CRASH_AT: '6:before', CRASH_KEY: world.walletKey })
    expect({ signal: child.signal, stderr: child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' })
    const swapsBefore = await swapsSince(world, chain.rpcUrl, start)
    expect(swapsBefore).toHaveLength(1)
    // What the swap brought in: nothing else of the first run moved USDT.
    const received = (await walletBalances(world, chain.rpcUrl)).USDT - before.USDT
    expect(received > 0n).toBe(true)

    const opened = await openTestStore(store.spec)
    try {
      const [open] = await opened.conversions({ open: true })
      expect(open).toMatchObject({ state: 'submitted', step: 2, references: [expect.any(String), expect.any(String), swapsBefore[0]?.hash] })
      const id = open?.id as string
      // The dead process's lock went with its connection, which PostgreSQL notices in its own time: wait for it, so that the first cycle asks.
      for (let attempt = 1; ; attempt += 1) {
        const lock = await opened.tryLock(open?.strategyMode as string)
        if (lock) {
          await lock.release()
          break
        }
        if (attempt === 200) throw new Error("the killed process's lock was never released")
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const convertedOf = (events: readonly DustEvent[]) => events.filter((event): event is DustConverted => event.event_type === 'dust_converted' && event.conversion_id === id)

      // Restart with the node behind a proxy that answers 503, then drops connections.
      const system = createSystemClock()
      let skew = 0
      const clock: Clock = { now: () => system.now() + skew, sleep: (ms, signal) => system.sleep(ms, signal) }
      const { manager, metrics, notifier, logger } = await serve(opened, clock)
      const heard: DustEvent[] = []
      manager.subscribe('*', (event) => {
        heard.push(event)
      })
      proxy.setMode('unavailable')
      await manager.runOnce()
      expect((await opened.conversion(id))?.state).toBe('submitted')
      // Past the first wait (5 s) and the venues' circuit breakers (60 s), still down.
      skew += 61_000
      proxy.setMode('reset')
      await manager.runOnce()
      expect((await opened.conversion(id))?.state).toBe('submitted')
      const warnings = heard.filter((event) => event.event_type === 'dust_warning' && event.code === 'conversion_unsettled')
      expect(warnings).toHaveLength(2)
      expect(convertedOf(heard)).toEqual([])
      expect(proxy.seen.unavailable > 0 && proxy.seen.reset > 0).toBe(true)

      // The node is back: the receipt settles the conversion, and the next plans finish the job.
      proxy.setMode('up')
      skew += 61_000
      for (let cycle = 0; cycle < 3; cycle += 1) {
        const [result] = await manager.runOnce()
        if (!result?.ok) throw result?.error ?? new Error('no result')
        if ((await opened.conversions({ open: true })).length === 0 && result.plan.snapshot.dustTokens.length === 0) break
      }
      await notifier.flush()

      // Exactly one swap per token on chain, the recovered one among them.
      const swaps = await swapsSince(world, chain.rpcUrl, start)
      expect(swaps).toHaveLength(2)
      expect(swaps[0]?.hash).toBe(swapsBefore[0]?.hash)
      const after = await walletBalances(world, chain.rpcUrl)
      expect([after.EIGEN, after.ETHFI]).toEqual([0n, 0n])

      // Settled confirmed, once, with what the receipt shows arrived.
      expect(await opened.conversion(id)).toMatchObject({ state: 'confirmed' })
      const log = (await opened.read()).map((stored) => stored.event)
      const converted = convertedOf(log)
      expect(converted).toHaveLength(1)
      expect(converted[0]?.output).toBe(Amount.fromRaw(createCurrency({ symbol: 'USDT', decimals: 6 }), received).toDecimalString())
      expect(converted[0]?.steps.map((step) => step.reference)).toEqual(open?.references)
      expect(converted[0]?.steps.at(-1)?.gas_used).toMatch(/^\d+$/)
      expect(convertedOf(heard)).toEqual(converted)
      // The state and its outcome are one append: adjacent in the log.
      const confirmedAt = log.findIndex(
        (event) => event.event_type === 'conversion_state_changed' && (event as ConversionStateChanged).conversion_id === id && (event as ConversionStateChanged).state === 'confirmed',
      )
      expect(log[confirmedAt + 1]).toEqual(converted[0])

      // Metrics count both conversions (the recovered one and the other token's), the webhook was told of the recovered one.
      const text = await metrics.text()
      const converted_total = text.split('\n').filter((line) => line.startsWith('dust_conversions_total{') && line.includes('outcome="converted"') && line.includes('venue="uniswap"'))
      expect(converted_total).toEqual([`dust_conversions_total{strategy="${open?.strategyMode}",venue="uniswap",outcome="converted"} 2`])
      expect(receiver.texts.filter((message) => message.startsWith(`Converted ${converted[0]?.amount} ${converted[0]?.token} on uniswap for ${converted[0]?.output} USDT`))).toHaveLength(1)
      expect(receiver.texts.filter((message) => message.startsWith('Warning for') && message.includes('conversion_unsettled'))).toHaveLength(2)

      // The node's URL and its key were never written anywhere.
      expect(JSON.stringify(log)).not.toContain(RPC_KEY)
      expect(JSON.stringify(logger.entries, (_key, value: unknown) => (value instanceof Error ? value.message : typeof value === 'bigint' ? value.toString() : value))).not.toContain(RPC_KEY)
      expect(receiver.texts.join('\n')).not.toContain(RPC_KEY)

      // Another start: nothing open, nothing said again.
      const again = await serve(opened, clock)
      await again.manager.runOnce()
      await again.notifier.flush()
      expect(convertedOf((await opened.read()).map((stored) => stored.event))).toHaveLength(1)
    } finally {
      await opened.close()
      await store.cleanup()
    }
  }, 300_000)
})
