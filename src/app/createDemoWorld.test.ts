import { type Address, erc20Abi, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRecordingEventSink, createRecordingLogger } from '../../test/fakePorts.js'
import { fixtureClock } from '../../test/fixtureMoney.js'
import { demoStrategy } from '../../test/demoStrategy.js'
import { defaultDataDir, readLastCloses } from '../adapters/history/readLastCloses.js'
import { createLocalDeployer } from '../adapters/localchain/createLocalDeployer.js'
import { type LocalChain, startLocalChain } from '../adapters/localchain/startLocalChain.js'
import { merkleDistributorAbi } from '../adapters/merkle/createMerkleRewardsSource.js'
import type { DustConverted } from '../domain/events.js'
import { Amount } from '../domain/money/index.js'
import { createDustManager } from '../engine/createDustManager.js'
import { scanStrategy } from '../engine/scanStrategy.js'
import { type DemoWorld, createDemoWorld } from './createDemoWorld.js'

describe('the demo world, end to end on a local node', () => {
  let chain: LocalChain
  let world: DemoWorld
  const balance = (token: Address, owner: Address) =>
    createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` }).client.readContract({
      address: token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [owner],
    })

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('reads a wallet with no dust as no dust, and plans nothing', async () => {
    const empty = '0x000000000000000000000000000000000000bEEF'
    const strategy = await demoStrategy(world, (config) => {
      ;(config.venues as Record<string, unknown>).wallet = { type: 'evm_wallet', chain: 'local', address: empty }
      delete (config.venues as Record<string, unknown>).etherfi_eigen
      delete (config.venues as Record<string, unknown>).etherfi_ethfi
      config.equity = { type: 'static', value: '1000000' }
    })
    const logger = createRecordingLogger()
    const manager = createDustManager({ strategies: [strategy], clock: fixtureClock(Date.now()), logger, execute: true })
    const [result] = await manager.runOnce()
    expect(result?.ok && result.plan.snapshot.dustTokens).toEqual([])
    expect(result?.ok && result.plan.instructions).toEqual([])
    expect(result?.ok && result.outcomes).toEqual([])
  })

  it("keeps scanning the other strategies when one strategy's RPC endpoint is down, and says which", async () => {
    const healthy = await demoStrategy(world, (config) => {
      config.execution = { mode: 'dry-run' }
    })
    const down = await demoStrategy(world, (config) => {
      config.mode = 'down_strategy'
      config.chains = { local: { rpc_url: 'http://user:secret@127.0.0.1:9/', chain_id: 31337 } }
      config.execution = { mode: 'dry-run' }
    })
    const logger = createRecordingLogger()
    const sink = createRecordingEventSink()
    const manager = createDustManager({ strategies: [healthy, down], clock: fixtureClock(Date.now()), logger, eventSink: sink })
    const results = await manager.runOnce()
    const good = results.find((result) => result.mode === 'usdt_eth_staking_hedged_simple')
    expect(good?.ok && good.plan.snapshot.dustTokens.map((token) => token.token).sort()).toEqual(['EIGEN', 'EIGEN', 'ETHFI'])
    const warnings = sink.events.filter((event) => event.event_type === 'dust_warning' && event.strategy_mode === 'down_strategy')
    const messages = warnings.map((event) => (event as { message: string }).message)
    // One batch of that cycle's reads (balances, isClaimed, pool lookups) failed together, and each source says so.
    expect(messages[0]).toMatch(/^Balance source wallet failed: The local node did not answer the batched read of \d+ call\(s\)\.\nThe request to the node failed \(ECONNREFUSED\)\.$/)
    expect(messages).toContain('Price source uniswap failed: uniswap could not find its pools on local.')
    // The paper Binance account still answers, so the scan goes on, but nothing is judged on it: no "equity 0".
    expect(messages.at(-1)).toBe('The equity and dust of down_strategy are incomplete (wallet, etherfi_eigen, etherfi_ethfi failed): nothing is planned or converted until every source answers.')
    expect(messages.some((message) => message.startsWith('Equity of down_strategy is 0'))).toBe(false)
    const failed = results.find((result) => result.mode === 'down_strategy')
    expect(failed?.ok && failed.plan.snapshot.exceedsThreshold).toBe(false)
    expect(failed?.ok && failed.plan.instructions).toEqual([])
    expect(JSON.stringify(sink.events)).not.toContain('secret')
  })

  it('claims, then swaps on chain and sells on paper Binance: dust down to zero, USDT up by what the plan predicted', async () => {
    const strategy = await demoStrategy(world)
    const clock = fixtureClock(Date.now())
    const logger = createRecordingLogger()
    const sink = createRecordingEventSink()
    const manager = createDustManager({ strategies: [strategy], clock, logger, eventSink: sink, execute: true })
    const usdtBefore = await balance(world.environment.tokens.USDT, world.wallet)
    const [result] = await manager.runOnce()
    if (!result?.ok) throw new Error('the cycle failed')
    expect(result.plan.snapshot.exceedsThreshold).toBe(true)
    expect(result.outcomes.map(({ instruction, outcome }) => [instruction.token, instruction.venue, outcome.status])).toEqual([
      ['EIGEN', 'binance', 'converted'],
      ['ETHFI', 'uniswap', 'converted'],
    ])
    // On chain: both claims made, the wallet's EIGEN and ETHFI gone, the EIGEN at the deposit address.
    for (const symbol of ['EIGEN', 'ETHFI'] as const) {
      const distributor = world.environment.distributors[symbol]
      const index = BigInt(distributor?.claims.claims[world.wallet]?.index ?? -1)
      const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` })
      expect(await deployer.client.readContract({ address: distributor?.address as Address, abi: merkleDistributorAbi, functionName: 'isClaimed', args: [index] })).toBe(true)
      expect(await balance(world.environment.tokens[symbol], world.wallet)).toBe(0n)
    }
    expect(await balance(world.environment.tokens.EIGEN, world.depositAddress)).toBe(parseEther('5554'))
    // The swap's output arrived in the wallet: exactly the outcome, at least the floor, within the slippage bound of the plan.
    const ethfi = result.outcomes.find(({ instruction }) => instruction.token === 'ETHFI')
    if (ethfi?.outcome.status !== 'converted') throw new Error('ETHFI was not converted')
    const usdtGained = (await balance(world.environment.tokens.USDT, world.wallet)) - usdtBefore
    expect(usdtGained).toBe(ethfi.outcome.output.raw)
    expect(usdtGained >= ethfi.instruction.minOutput.raw).toBe(true)
    expect(usdtGained).toBe(ethfi.instruction.estimatedOutput.raw)
    expect(ethfi.outcome.steps?.map((step) => step.kind)).toEqual(['claim', 'approve', 'swap'])
    expect(ethfi.outcome.steps?.every((step) => /^0x[0-9a-f]{64}$/.test(step.reference))).toBe(true)
    // The plan's gas (eth_estimateGas for the claim and the approval, QuoterV2 for the swap) is within 10 % of what was spent, never under it.
    const used = (ethfi.outcome.steps ?? []).reduce((sum, step) => sum + (step.gasUsed ?? 0n), 0n)
    expect(ethfi.instruction.chosen.gasUnits >= used).toBe(true)
    expect(Number(ethfi.instruction.chosen.gasUnits - used) / Number(used)).toBeLessThan(0.1)
    // The approval was for the exact amount and is used up.
    const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` })
    expect(
      await deployer.client.readContract({ address: world.environment.tokens.ETHFI, abi: erc20Abi, functionName: 'allowance', args: [world.wallet, world.environment.uniswapV3.swapRouter] }),
    ).toBe(0n)
    // Paper Binance: the account holds the sale's output.
    const eigen = result.outcomes.find(({ instruction }) => instruction.token === 'EIGEN')
    expect(eigen?.outcome.status).toBe('converted')
    expect(eigen?.outcome.steps?.map((step) => step.kind)).toEqual(['claim', 'transfer', 'market_sell'])
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected', 'dust_converted', 'dust_converted'])
    // The durable record of each conversion names its transactions and orders.
    const converted = sink.events.filter((event): event is DustConverted => event.event_type === 'dust_converted')
    expect(converted.map((event) => [event.token, event.steps.map((step) => step.kind)])).toEqual([
      ['EIGEN', ['claim', 'transfer', 'market_sell']],
      ['ETHFI', ['claim', 'approve', 'swap']],
    ])
    expect(converted[1]?.steps.every((step) => /^0x[0-9a-f]{64}$/.test(step.reference) && Number(step.gas_used) > 20_000)).toBe(true)
    expect(converted[0]?.steps[2]?.reference).toMatch(/^paper:dust-[0-9a-f]{24}-0$/)

    // The next scan: no dust left, claims no longer claimable, the USDT counted in equity.
    const after = await scanStrategy({ clock, logger }, { strategy })
    expect(after.snapshot.dustTokens).toEqual([])
    expect(after.snapshot.exceedsThreshold).toBe(false)
    const exchange = after.holdings.find((holding) => holding.source === 'exchange_balance')
    expect(exchange?.amount.raw).toBe(eigen?.outcome.status === 'converted' ? eigen.outcome.output.raw : -1n)
  }, 60_000)

  it('records a conversion whose pool moved against it before the swap: nothing sent, dust kept, the reason in the event', async () => {
    // New dust in the wallet.
    const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` })
    const token = (await import('../adapters/localchain/loadContractArtifact.js')).loadContractArtifact('DemoToken')
    await deployer.write(world.environment.tokens.ETHFI, token.abi, 'mint', [world.wallet, parseEther('9000')])
    const strategy = await demoStrategy(world, (config) => {
      // Only Uniswap V3 may sell, so the moved pool is the one the plan chose.
      const venues = config.venues as Record<string, unknown>
      delete venues.binance
      delete venues.etherfi_eigen
      delete venues.etherfi_ethfi
      config.prices = (config.prices as Array<{ type: string }>).filter((source) => source.type !== 'cex_mid')
    })
    const clock = fixtureClock(Date.now())
    const logger = createRecordingLogger()
    const sink = createRecordingEventSink()
    const manager = createDustManager({ strategies: [strategy], clock, logger, eventSink: sink })
    const [planned] = await manager.runOnce()
    if (!planned?.ok) throw new Error('the cycle failed')
    const instruction = planned.plan.instructions.find((candidate) => candidate.token === 'ETHFI')
    expect(instruction?.venue).toBe('uniswap')
    // Someone dumps ETHFI into the V3 pool between the plan and the swap.
    const whale = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[2] as `0x${string}` })
    await deployer.write(world.environment.tokens.ETHFI, token.abi, 'mint', [whale.address, parseEther('200000')])
    await whale.write(world.environment.tokens.ETHFI, erc20Abi, 'approve', [world.environment.uniswapV3.swapRouter, parseEther('200000')])
    const deadline = (await whale.client.getBlock()).timestamp + 600n
    const swapRouterAbi = (await import('../adapters/uniswap/uniswapAbis.js')).swapRouterAbi
    const { encodeV3Path } = await import('../adapters/uniswap/v3Math.js')
    await whale.write(world.environment.uniswapV3.swapRouter, swapRouterAbi, 'exactInput', [
      { path: encodeV3Path([world.environment.tokens.ETHFI, world.environment.tokens.WETH], [3000]), recipient: whale.address, deadline, amountIn: parseEther('200000'), amountOutMinimum: 0n },
    ])
    const ethfiBefore = await balance(world.environment.tokens.ETHFI, world.wallet)
    const nonce = await whale.client.getTransactionCount({ address: world.wallet })
    const [outcome] = await manager.executeInstructions(strategy.policy.mode, [instruction as NonNullable<typeof instruction>])
    expect(outcome?.outcome).toMatchObject({ status: 'failed', reason: 'swap_simulation_failed', retryable: false })
    expect(outcome?.outcome.status === 'failed' && outcome.outcome.detail).toContain('Too little received')
    // The approval went out; the swap did not. The dust is kept.
    expect(await whale.client.getTransactionCount({ address: world.wallet })).toBe(nonce + 1)
    expect(await balance(world.environment.tokens.ETHFI, world.wallet)).toBe(ethfiBefore)
    const failed = sink.events.find((event) => event.event_type === 'dust_conversion_failed')
    expect(failed).toMatchObject({
      token: 'ETHFI',
      venue: 'uniswap',
      reason: 'swap_simulation_failed',
      amount: Amount.fromRaw(instruction?.amount.currency as never, parseEther('9000')).toDecimalString(),
    })
  }, 60_000)
})
