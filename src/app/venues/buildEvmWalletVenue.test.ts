import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, getAddress, parseUnits } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../../test/createMemoryEventStore.js'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { createRecordingLogger } from '../../../test/fakePorts.js'
import { fixtureClock } from '../../../test/fixtureMoney.js'
import { buildVenueDirectly } from '../../../test/venueBuildContext.js'
import { createEvmChains } from '../../adapters/evm/createEvmChains.js'
import { loadContractArtifact } from '../../adapters/localchain/loadContractArtifact.js'
import { createSqliteEventStore } from '../../adapters/sqlite/createSqliteEventStore.js'
import { strategyConfigSchema } from '../../config/schema.js'
import type { DustEvent } from '../../domain/events.js'
import { createDustManager } from '../../engine/createDustManager.js'
import type { EventStore } from '../../ports/index.js'
import { createStrategy } from '../createStrategy.js'
import { buildEvmWalletVenue } from './buildEvmWalletVenue.js'
import { loadVenueBuilders } from './loadVenueBuilders.js'

const demoToken = loadContractArtifact('DemoToken')

describe('buildEvmWalletVenue: token discovery in a real strategy', () => {
  let evm: EvmFixture
  let usdt: Address
  let eigen: Address
  let air: Address
  let walletIndex = 0
  const dir = mkdtempSync(join(tmpdir(), 'dust-wallet-'))
  const clock = fixtureClock(Date.now())

  const freshWallet = (): Address => getAddress(`0x${(0xa11ce000n + BigInt((walletIndex += 1))).toString(16).padStart(40, '0')}`)
  const mint = async (token: Address, to: Address, amount: bigint) => {
    const hash = await evm.wallet.writeContract({ address: token, abi: demoToken.abi, functionName: 'mint', args: [to, amount], chain: null, account: evm.wallet.account ?? evm.deployer })
    return (await evm.client.waitForTransactionReceipt({ hash })).blockNumber
  }

  /** A dry-run configuration whose only venue is the wallet on the local node, its EIGEN priced at 1.25 USDT, validated by the real schema. */
  function configOf(wallet: Address, venue: Record<string, unknown> = {}) {
    return strategyConfigSchema.parse({
      mode: 'usdt_local',
      share_class: 'USDT',
      asset: 'ETH',
      dust_delta: '0.002',
      tokens: [
        { symbol: 'USDT', chain: 'local', decimals: 6, address: usdt },
        { symbol: 'ETH', chain: 'local', decimals: 18 },
        { symbol: 'EIGEN', chain: 'local', decimals: 18, address: eigen },
      ],
      chains: { local: { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall } },
      venues: { wallet: { type: 'evm_wallet', chain: 'local', address: wallet, discovery_from_block: 0, ...venue } },
      prices: [{ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETH: '2500' } }],
      equity: { type: 'static', value: '1000000' },
      gas_price: { local: { type: 'static', gwei: '1' } },
    })
  }

  /** The strategy of `configOf`, built through the composition root. */
  async function strategyOf(wallet: Address, store: EventStore | undefined, venue: Record<string, unknown> = {}) {
    const config = configOf(wallet, venue)
    return createStrategy({ config, clock, chains: createEvmChains(), venueBuilders: await loadVenueBuilders([config]), store, logger: createRecordingLogger() })
  }

  beforeAll(async () => {
    evm = await startEvmFixture()
    usdt = getAddress(await evm.deploy(demoToken, ['Tether USD', 'USDT', 6]))
    eigen = getAddress(await evm.deploy(demoToken, ['Eigen', 'EIGEN', 18]))
    air = getAddress(await evm.deploy(demoToken, ['Airdrop', 'AIR', 18]))
  }, 120_000)

  afterAll(async () => {
    await evm?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('finds a token airdropped after the monitor started on the next cycle, as an unverified_token warning only', async () => {
    const wallet = freshWallet()
    await mint(eigen, wallet, parseUnits('20', 18))
    const store = createMemoryEventStore({ now: clock.now })
    const strategy = await strategyOf(wallet, store)
    const manager = createDustManager({ strategies: [strategy], clock, logger: createRecordingLogger(), store })
    const cycleEvents = async () => {
      const before = store.events.length
      const [result] = await manager.runOnce()
      expect(result?.ok).toBe(true)
      return store.events.slice(before).map((stored) => stored.event)
    }
    const checked = (events: DustEvent[]) => events.find((event) => event.event_type === 'dust_checked')
    const warnings = (events: DustEvent[]) => events.filter((event) => event.event_type === 'dust_warning')

    const first = await cycleEvents()
    expect(warnings(first)).toEqual([])
    const airdropBlock = await mint(air, wallet, parseUnits('1000.5', 18))

    const second = await cycleEvents()
    expect(warnings(second)).toEqual([
      {
        event_type: 'dust_warning',
        strategy_mode: 'usdt_local',
        timestamp: clock.now(),
        code: 'unverified_token',
        venue: 'wallet',
        token: 'AIR',
        message: `Token AIR at ${air} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. To treat it as dust, add it to tokens: with this address and its decimals, and give it a price source.`,
        figures: { amount: '1000.5 AIR', address: air },
      },
    ])
    // Neither equity nor dust moved: the airdrop is listed, never valued.
    expect(checked(second)).toMatchObject({ snapshot: { total_dust_value: '25', equity: '1000000' } })
    expect(checked(first)).toMatchObject({ snapshot: { total_dust_value: '25', equity: '1000000' } })
    expect(await store.readTokenDiscovery({ strategyMode: 'usdt_local', chain: 'local', wallet })).toEqual({
      scannedTo: await evm.client.getBlockNumber({ cacheTime: 0 }),
      tokens: [
        { address: eigen.toLowerCase(), firstBlock: airdropBlock - 1n },
        { address: air.toLowerCase(), firstBlock: airdropBlock },
      ],
    })
  })

  it('reads its discovery keys: ranges of discovery_block_range blocks from discovery_from_block, discovery_max_ranges_per_cycle a cycle', async () => {
    const wallet = freshWallet()
    const file = join(dir, 'keys.sqlite')
    const store = await createSqliteEventStore({ file })
    try {
      const strategy = await strategyOf(wallet, store, { discovery_from_block: 1, discovery_block_range: 2, discovery_max_ranges_per_cycle: 2 })
      expect(strategy.balanceSources.map((source) => [source.name, source.source])).toEqual([['wallet', 'wallet_balance']])
      expect(await strategy.balanceSources[0]?.fetchHoldings()).toEqual([])
      // Blocks 1-2 and 3-4, of the 6 or more the node has by now.
      expect(await evm.client.getBlockNumber({ cacheTime: 0 })).toBeGreaterThanOrEqual(6n)
      expect(await store.readTokenDiscovery({ strategyMode: 'usdt_local', chain: 'local', wallet })).toEqual({ scannedTo: 4n, tokens: [] })
    } finally {
      await store.close()
    }
  })

  it('discovers nothing with discover: false', async () => {
    const wallet = freshWallet()
    await mint(air, wallet, 1n)
    const store = createMemoryEventStore()
    const strategy = await strategyOf(wallet, store, { discover: false })
    expect(strategy.balanceSources.map((source) => source.name)).toEqual(['wallet'])
    expect((await strategy.balanceSources[0]?.fetchHoldings())?.map((holding) => holding.amount.toString())).toEqual([])
    expect(await store.readTokenDiscovery({ strategyMode: 'usdt_local', chain: 'local', wallet })).toEqual({ scannedTo: undefined, tokens: [] })
  })
  /** Calls the builder directly, as createStrategy does, and gives the assembly it filled. */
  const buildWallet = (wallet: Address, venue: Record<string, unknown>, store?: EventStore) =>
    buildVenueDirectly(buildEvmWalletVenue, configOf(wallet, venue), 'wallet', 'evm_wallet', { store, logger: createRecordingLogger() })

  it('adds only the balances of its configured tokens with discover: false, and nothing to claim, swap or sell', async () => {
    const wallet = freshWallet()
    await mint(eigen, wallet, parseUnits('20.5', 18))
    await mint(usdt, wallet, parseUnits('7', 6))
    const assembly = buildWallet(wallet, { tokens: ['EIGEN'], discover: false })
    expect(assembly.chainSources.map((source) => [source.name, source.source])).toEqual([['wallet', 'wallet_balance']])
    expect((await assembly.chainSources[0]?.fetchHoldings())?.map((holding) => [holding.venue, holding.amount.toString(), holding.custody])).toEqual([
      ['wallet', '20.5 EIGEN', { kind: 'onchain', chain: 'local' }],
    ])
    expect([assembly.claimers.size, assembly.claimGasEstimators.size, assembly.swappers.size, assembly.sellers.size, assembly.realExecution !== undefined]).toEqual([0, 0, 0, 0, true])
  })

  it("adds one source that lists the registry tokens of its chain and, after them, what discovery finds, keeping the cursor in the context's store", async () => {
    const wallet = freshWallet()
    await mint(usdt, wallet, parseUnits('7', 6))
    const airBlock = await mint(air, wallet, parseUnits('3', 18))
    const store = createMemoryEventStore()
    const assembly = buildWallet(wallet, {}, store)
    expect(assembly.chainSources.map((source) => [source.name, source.source])).toEqual([['wallet', 'wallet_balance']])
    const holdings = (await assembly.chainSources[0]?.fetchHoldings()) ?? []
    expect(holdings.map((holding) => [holding.amount.toString(), holding.held?.code])).toEqual([
      ['7 USDT', undefined],
      ['3 AIR', 'unverified_token'],
    ])
    expect((await store.readTokenDiscovery({ strategyMode: 'usdt_local', chain: 'local', wallet })).tokens).toEqual([
      { address: usdt.toLowerCase(), firstBlock: airBlock - 1n },
      { address: air.toLowerCase(), firstBlock: airBlock },
    ])
  })
})
