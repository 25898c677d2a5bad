import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRecordingLogger } from '../../test/fakePorts.js'
import { fixtureClock } from '../../test/fixtureMoney.js'
import { defaultDataDir, readLastCloses } from '../adapters/history/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../adapters/localchain/startLocalChain.js'
import { scanStrategy } from '../engine/scanStrategy.js'
import { createDemoStrategy } from './createDemoStrategy.js'
import { DEMO_HOLDINGS, type DemoWorld, createDemoWorld } from './createDemoWorld.js'

describe('createDemoStrategy', () => {
  let chain: LocalChain
  let world: DemoWorld

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it("builds the demo configuration's strategy: its venues, sources and price sources by name, in paper mode with a signer", async () => {
    const strategy = await createDemoStrategy({ world, clock: fixtureClock(Date.now()) })
    expect(strategy.policy.mode).toBe('usdt_eth_staking_hedged_simple')
    expect([...strategy.registry.keys()]).toEqual(['ETH', 'WETH', 'USDT', 'EIGEN', 'ETHFI', 'weETH'])
    expect(strategy.venues.map((venue) => [venue.name, venue.kind, venue.chain])).toEqual([
      ['uniswap', 'dex', 'local'],
      ['uniswap_v2', 'dex', 'local'],
      ['binance', 'cex', 'local'],
    ])
    // The paper Binance account first (static sources lead), then what is read on chain.
    expect(strategy.balanceSources.map((source) => [source.name, source.source])).toEqual([
      ['binance', 'exchange_balance'],
      ['wallet', 'wallet_balance'],
      ['etherfi_eigen', 'claimable_rewards'],
      ['etherfi_ethfi', 'claimable_rewards'],
    ])
    expect(strategy.priceSources.map((source) => source.name)).toEqual(['uniswap', 'uniswap_v2', 'binance', 'oracle'])
    expect([...(strategy.claimGasEstimators?.keys() ?? [])]).toEqual(['etherfi_eigen', 'etherfi_ethfi'])
    // A signer was loaded from the world's key: paper execution goes through the real venues' manager.
    expect([strategy.executionMode, strategy.executionManager?.name]).toEqual(['paper', 'paper'])
  })

  it("reads the world's wallet and both distributors at the demo's holdings", async () => {
    const clock = fixtureClock(Date.now())
    const strategy = await createDemoStrategy({ world, clock })
    const scan = await scanStrategy({ clock, logger: createRecordingLogger() }, { strategy })
    expect(scan.failedSources).toEqual([])
    const held = scan.holdings.map((holding) => [holding.venue, holding.source, holding.amount.currency.symbol, holding.amount.toDecimalString()])
    expect(held.filter(([, , symbol]) => symbol !== 'weETH')).toEqual([
      ['wallet', 'wallet_balance', 'ETH', DEMO_HOLDINGS.walletEth],
      ['wallet', 'wallet_balance', 'EIGEN', DEMO_HOLDINGS.walletEigen],
      ['etherfi_eigen', 'claimable_rewards', 'EIGEN', DEMO_HOLDINGS.claimableEigen],
      ['etherfi_ethfi', 'claimable_rewards', 'ETHFI', DEMO_HOLDINGS.claimableEthfi],
    ])
    // weETH worth about 1,000 ETH at the last close of the weETH/ETH rate.
    expect(held.filter(([, , symbol]) => symbol === 'weETH').map(([venue, source]) => [venue, source])).toEqual([['wallet', 'wallet_balance']])
  })

  it('refuses a world whose demo configuration does not check, before building anything', async () => {
    // Paper runs send real transactions only to a development chain.
    const mainnet: DemoWorld = { ...world, chain: { ...world.chain, chainId: 1 } }
    await expect(createDemoStrategy({ world: mainnet, clock: fixtureClock() })).rejects.toMatchObject({
      name: 'BaseError',
      message:
        'The demo configuration does not check.\nchains.local.chain_id: expected a development chain (31337 or 1337) in paper mode: paper runs send real transactions only to a local node, found 1',
    })
  })
})
