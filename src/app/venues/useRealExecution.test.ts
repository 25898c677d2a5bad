import { type Address, type Hex, erc20Abi, getAddress, parseUnits } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { BUILD_SIGNER, buildConfigOf, createVenueBuildContext } from '../../../test/venueBuildContext.js'
import { loadContractArtifact } from '../../adapters/localchain/loadContractArtifact.js'
import type { StaticBalanceSource } from '../../adapters/static/createStaticBalanceSource.js'
import type { StrategyConfig } from '../../config/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { ConversionStep, DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import type { VenueBuildContext, VenueConfigOf } from './VenueBuilder.js'
import { buildStaticCexVenue } from './buildStaticCexVenue.js'
import { createVenueAssembly } from './createVenueAssembly.js'
import { useRealExecution } from './useRealExecution.js'

const DEPOSIT = '0x8888888888888888888888888888888888888888'

/** A static CEX taking deposits on the local chain at DEPOSIT (written in lower case), its EIGEN/USDT bids at 1.25, 10 bps taker fee. */
const BINANCE = {
  type: 'static_cex',
  deposit_chain: 'local',
  deposit_address: DEPOSIT,
  taker_fee_bps: '10',
  markets: { 'EIGEN/USDT': { bids: [['1.25', '1000']], asks: [['1.3', '1000']] } },
}

/** An instruction selling `amount` of the wallet's EIGEN on binance along `steps`, every figure but the steps' left at zero. */
function instructionOf(amount: Amount, usdt: Currency, steps: readonly ConversionStep[]): DustConversionInstruction {
  const zero = Amount.zero(usdt)
  const chosen = {
    venue: 'binance',
    path: ['EIGEN', 'USDT'],
    amountIn: amount,
    residual: Amount.zero(amount.currency),
    leftovers: [],
    estimatedOutput: zero,
    tradingFees: zero,
    priceImpact: zero,
    gasUnits: 0n,
    gasCost: zero,
    estimatedFees: zero,
    netOutput: zero,
    minOutput: zero,
    steps,
  }
  return {
    conversionId: 'use-real-execution-1',
    strategyMode: 'usdt_build',
    token: 'EIGEN',
    amount,
    targetCurrency: 'USDT',
    venue: 'binance',
    conversionPath: ['EIGEN', 'USDT'],
    estimatedOutput: zero,
    estimatedFees: zero,
    minOutput: zero,
    netOutput: zero,
    custody: { kind: 'onchain', chain: 'local' },
    sources: [],
    chosen,
    reason: 'The only route.',
    alternatives: [],
  }
}

/** The static_cex venue `binance` of a configuration, narrowed to its type. */
function binanceOf(config: StrategyConfig): VenueConfigOf<'static_cex'> {
  const venue = config.venues.binance
  if (venue?.type !== 'static_cex') throw new Error('test setup: binance is a static_cex venue')
  return venue
}

describe('useRealExecution, without a node', () => {
  const contextOf = (overrides: Record<string, unknown> = {}, context: Partial<VenueBuildContext> = {}) => createVenueBuildContext(buildConfigOf({ binance: BINANCE }, overrides), context)

  it('is created by the first venue that asks, and shared by the others through the assembly', () => {
    const context = contextOf()
    const assembly = createVenueAssembly()
    expect(assembly.realExecution).toBeUndefined()
    const first = useRealExecution(context, assembly)
    expect(assembly.realExecution).toBe(first)
    expect(useRealExecution(context, assembly)).toBe(first)
    // Another strategy's assembly gets its own.
    expect(useRealExecution(context, createVenueAssembly())).not.toBe(first)
  })

  it('gives a signing transactor only when the strategy executes with a signer, one per chain, reused', () => {
    const dryRun = useRealExecution(contextOf({}, { signer: BUILD_SIGNER }), createVenueAssembly())
    const unsigned = useRealExecution(contextOf({ execution: { mode: 'paper' } }), createVenueAssembly())
    expect([dryRun.transactorOf('local'), unsigned.transactorOf('local')]).toEqual([undefined, undefined])
    const chains = { local: { rpc_url: 'http://127.0.0.1:9', chain_id: 31337 }, other: { rpc_url: 'http://127.0.0.1:9', chain_id: 1337 } }
    const signing = useRealExecution(contextOf({ execution: { mode: 'paper' }, chains }, { signer: BUILD_SIGNER }), createVenueAssembly())
    const local = signing.transactorOf('local')
    expect([local?.account, local?.chain.name]).toEqual([BUILD_SIGNER.address, 'local'])
    expect(signing.transactorOf('local')).toBe(local)
    // A chain whose native coin the registry lacks still gets one (ETH, 18 decimals, for its gas).
    const other = signing.transactorOf('other')
    expect([other?.account, other?.chain.name, other !== local]).toEqual([BUILD_SIGNER.address, 'other', true])
  })

  it('builds an execution manager named after the execution mode, from the executors in the assembly when it is built, not when it was created', async () => {
    const context = contextOf({ execution: { mode: 'paper' } })
    const assembly = createVenueAssembly()
    const real = useRealExecution(context, assembly)
    // The CEX's paper seller is added after the real execution was created.
    buildStaticCexVenue(context, assembly, 'binance', binanceOf(context.config))
    const account = assembly.balanceSources[0]
    const [eigen, usdt] = [context.currency('EIGEN'), context.currency('USDT')]
    account?.credit(Amount.parse(eigen, '10'))
    const manager = real.createExecutionManager()
    expect(manager.name).toBe('paper')
    const ten = Amount.parse(eigen, '10')
    const sale: ConversionStep = { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT'], amountIn: ten, minOutput: Amount.parse(usdt, '12') }
    const outcome = await manager.execute(instructionOf(ten, usdt, [sale]))
    expect(outcome).toMatchObject({ status: 'converted', steps: [{ kind: 'market_sell', venue: 'binance' }] })
    expect(outcome.status === 'converted' && [outcome.amountIn.toString(), outcome.output.toString()]).toEqual(['10 EIGEN', '12.4875 USDT'])
  })

  it('has no transfer executor without a signer: a deposit to the CEX fails as venue_unavailable', async () => {
    const context = contextOf({ execution: { mode: 'paper' } })
    const assembly = createVenueAssembly()
    const real = useRealExecution(context, assembly)
    const ten = Amount.parse(context.currency('EIGEN'), '10')
    const outcome = await real.createExecutionManager().execute(instructionOf(ten, context.currency('USDT'), [{ kind: 'transfer', to: 'binance', amount: ten }]))
    expect(outcome).toEqual({ status: 'failed', reason: 'venue_unavailable', detail: 'No transfer executor on local.', retryable: false, steps: [] })
  })
})

describe('useRealExecution, on a local node', () => {
  let evm: EvmFixture
  let eigenAddress: Address
  let signerKey: Hex
  const demoToken = loadContractArtifact('DemoToken')

  beforeAll(async () => {
    evm = await startEvmFixture()
    eigenAddress = getAddress(await evm.deploy(demoToken, ['Eigen', 'EIGEN', 18]))
    signerKey = evm.chain.accounts[1] as Hex
    const hash = await evm.wallet.writeContract({
      address: eigenAddress,
      abi: demoToken.abi,
      functionName: 'mint',
      args: [privateKeyToAccount(signerKey).address, parseUnits('10', 18)],
      chain: null,
      account: evm.wallet.account ?? evm.deployer,
    })
    await evm.client.waitForTransactionReceipt({ hash })
  }, 120_000)

  afterAll(async () => {
    await evm?.stop()
  })

  /** A paper strategy on the node, with EIGEN at its deployed address and the node's funded account 1 signing. */
  function configOnNode(): StrategyConfig {
    return buildConfigOf(
      { binance: BINANCE },
      {
        execution: { mode: 'paper' },
        chains: { local: { rpc_url: evm.chain.rpcUrl, chain_id: evm.chain.chainId, multicall_address: evm.multicall } },
        tokens: [
          { symbol: 'USDT', chain: 'local', decimals: 6, address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
          { symbol: 'ETH', chain: 'local', decimals: 18 },
          { symbol: 'EIGEN', chain: 'local', decimals: 18, address: eigenAddress },
        ],
      },
    )
  }

  it("sends a deposit to the CEX's checksummed deposit address, credits its paper account, and sells from it", async () => {
    const config = configOnNode()
    const context = createVenueBuildContext(config, { signer: privateKeyToAccount(signerKey) })
    const assembly = createVenueAssembly()
    const real = useRealExecution(context, assembly)
    buildStaticCexVenue(context, assembly, 'binance', binanceOf(config))
    const account = assembly.balanceSources[0] as StaticBalanceSource
    const [eigen, usdt] = [context.currency('EIGEN'), context.currency('USDT')]
    const ten = Amount.parse(eigen, '10')
    const steps: ConversionStep[] = [
      { kind: 'transfer', to: 'binance', amount: ten },
      { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT'], amountIn: ten, minOutput: Amount.parse(usdt, '12') },
    ]
    const outcome = await real.createExecutionManager().execute(instructionOf(ten, usdt, steps))
    expect(outcome).toMatchObject({
      status: 'converted',
      steps: [
        { kind: 'transfer', venue: 'binance', reference: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
        { kind: 'market_sell', venue: 'binance' },
      ],
    })
    expect(outcome.status === 'converted' && outcome.output.toString()).toBe('12.4875 USDT')
    const balanceOf = (owner: Address) => evm.client.readContract({ address: eigenAddress, abi: erc20Abi, functionName: 'balanceOf', args: [owner] })
    expect([await balanceOf(getAddress(DEPOSIT)), await balanceOf(privateKeyToAccount(signerKey).address)]).toEqual([parseUnits('10', 18), 0n])
    // The deposit was credited, then sold.
    expect([account.balanceOf(eigen).toString(), account.balanceOf(usdt).toString()]).toEqual(['0 EIGEN', '12.4875 USDT'])
  })

  it('credits nothing when the deposit fails on chain', async () => {
    const config = configOnNode()
    const context = createVenueBuildContext(config, { signer: privateKeyToAccount(signerKey) })
    const assembly = createVenueAssembly()
    const real = useRealExecution(context, assembly)
    buildStaticCexVenue(context, assembly, 'binance', binanceOf(config))
    const account = assembly.balanceSources[0] as StaticBalanceSource
    const [eigen, usdt] = [context.currency('EIGEN'), context.currency('USDT')]
    // More than was ever minted to the wallet: the transfer's simulation fails, and nothing is sent.
    const more = Amount.parse(eigen, '1000')
    const outcome = await real.createExecutionManager().execute(instructionOf(more, usdt, [{ kind: 'transfer', to: 'binance', amount: more }]))
    expect(outcome).toMatchObject({ status: 'failed', reason: 'simulation_failed', steps: [] })
    expect(account.balanceOf(eigen).toString()).toBe('0 EIGEN')
  })
})
