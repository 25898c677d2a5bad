import { describe, expect, it } from 'vitest'
import { createTestStrategy, type TestConfigInput } from '../../test/createTestStrategy.js'
import { createFailingEquitySource, createFakeClock, createRecordingEventSink, createRecordingLogger } from '../../test/fakePorts.js'
import { Amount } from '../domain/money/index.js'
import { SourceError } from '../errors/index.js'
import type { ExecutionManager } from '../ports/index.js'
import { StrategyManager } from './StrategyManager.js'
import type { Strategy } from './Strategy.js'
import { createDustManager } from './createDustManager.js'

type Rebalance = { readonly hedge: string }

/** A strategy manager whose rebalance is recorded, not carried out. */
class TestStrategyManager extends StrategyManager<Rebalance> {
  rebalance: Rebalance | undefined = { hedge: 'short 0.5 ETH perp' }
  planned = 0
  readonly executed: Rebalance[] = []

  protected override async planRebalance(): Promise<Rebalance | undefined> {
    this.planned += 1
    return this.rebalance
  }

  protected override async executeRebalance(rebalance: Rebalance): Promise<void> {
    this.executed.push(rebalance)
  }
}

const paper = (config: TestConfigInput) => {
  config.execution = { mode: 'paper' }
}

function setup(strategy: Strategy = createTestStrategy({ edit: paper }), options: { execute?: boolean; register?: boolean } = {}) {
  const sink = createRecordingEventSink()
  const dustManager = createDustManager({
    strategies: options.register ? [strategy] : [],
    clock: createFakeClock(),
    logger: createRecordingLogger(),
    eventSink: sink,
    execute: options.execute,
  })
  const manager = new TestStrategyManager({ strategy, dustManager })
  return { manager, dustManager, sink, strategy }
}

describe('StrategyManager', () => {
  it('registers its strategy with the dust manager, once', () => {
    const { manager, dustManager, strategy } = setup()
    expect(manager.mode).toBe('usdt_test')
    expect(dustManager.strategies()).toEqual([strategy])
    // A strategy the dust manager already knows is not registered again.
    const known = setup(createTestStrategy(), { register: true })
    expect(() => new TestStrategyManager({ strategy: known.strategy, dustManager: known.dustManager })).not.toThrow()
    expect(known.dustManager.strategies()).toHaveLength(1)
  })

  it('tells whether dust exceeds the threshold (check_dust_threshold)', async () => {
    expect(await setup().manager.checkDustThreshold()).toBe(true)
    const below = setup(createTestStrategy({ edit: (config) => void (config.equity = { type: 'static', value: '10000000' }) }))
    expect(await below.manager.checkDustThreshold()).toBe(false)
  })

  it('throws the error of a failed cycle from checkDustThreshold', async () => {
    const { manager } = setup(createTestStrategy({ override: () => ({ equitySource: createFailingEquitySource('The equity API is down.') }) }))
    const failure = manager.checkDustThreshold()
    await expect(failure).rejects.toBeInstanceOf(SourceError)
    await expect(failure).rejects.toThrow('The equity API is down.')
  })

  it('rebalances when no dust sale is pending, and idles when no rebalance is due', async () => {
    const { manager } = setup()
    expect(await manager.nextAction()).toEqual({ kind: 'rebalance', rebalance: { hedge: 'short 0.5 ETH perp' } })
    manager.rebalance = undefined
    expect(await manager.nextAction()).toEqual({ kind: 'idle' })
    expect(await manager.step()).toEqual({ kind: 'idle' })
    expect(manager.executed).toEqual([])
  })

  it('yields the dust sale before any rebalance while dust exceeds the threshold, then the rebalance once it is sold', async () => {
    const { manager, dustManager, sink } = setup()
    expect(await manager.checkDustThreshold()).toBe(true)

    const action = await manager.nextAction()
    expect(action.kind).toBe('dust_sale')
    expect(action.kind === 'dust_sale' && action.instructions).toBe(dustManager.lastPlan('usdt_test')?.instructions)
    expect(action.kind === 'dust_sale' && action.instructions.map((instruction) => `${instruction.token} ${instruction.amount.toDecimalString()} ${instruction.venue}`)).toEqual([
      'EIGEN 1520 binance',
      'ETHFI 800 binance',
    ])
    // The rebalance was not even planned while dust was pending.
    expect(manager.planned).toBe(0)

    const step = await manager.step()
    expect(step.kind).toBe('dust_sale')
    expect(
      step.kind === 'dust_sale' && step.outcomes.map(({ instruction, outcome }) => [instruction.token, outcome.status === 'converted' ? outcome.output.toDecimalString() : outcome.reason]),
    ).toEqual([
      ['EIGEN', '1895.54256'],
      ['ETHFI', '758.1411'],
    ])
    expect(sink.types()).toEqual(['dust_checked', 'dust_detected', 'dust_converted', 'dust_converted'])
    expect(manager.executed).toEqual([])

    // The dust is sold: the rebalance comes next, and the threshold is no longer exceeded.
    expect(await manager.nextAction()).toEqual({ kind: 'rebalance', rebalance: { hedge: 'short 0.5 ETH perp' } })
    expect(await manager.checkDustThreshold()).toBe(false)
    expect(await manager.step()).toEqual({ kind: 'rebalance', rebalance: { hedge: 'short 0.5 ETH perp' } })
    expect(manager.executed).toEqual([{ hedge: 'short 0.5 ETH perp' }])
  })

  it('drops each instruction from the pending sale as its dust_converted arrives when the dust manager executes', async () => {
    const { manager, dustManager } = setup(createTestStrategy({ edit: paper }), { execute: true })
    const result = await dustManager.runCycle('usdt_test')
    expect(result.ok && result.outcomes.map(({ outcome }) => outcome.status)).toEqual(['converted', 'converted'])
    expect((await manager.nextAction()).kind).toBe('rebalance')
  })

  it('keeps a pending instruction whose conversion failed until the next cycle', async () => {
    const failing: ExecutionManager = {
      name: 'failing',
      async execute() {
        return { status: 'failed', reason: 'slippage', detail: 'under the floor', retryable: true }
      },
    }
    const { manager, dustManager } = setup(createTestStrategy({ edit: paper, override: () => ({ executionManager: failing }) }), { execute: true })
    await dustManager.runCycle('usdt_test')
    const action = await manager.nextAction()
    expect(action.kind === 'dust_sale' && action.instructions.map((instruction) => instruction.token)).toEqual(['EIGEN', 'ETHFI'])
  })

  // A failed sale stays pending: the dust is still over the threshold, so it still comes first.
  it('still yields the dust sale, not a rebalance, after a sale that failed in step', async () => {
    const failing: ExecutionManager = {
      name: 'failing',
      async execute() {
        return { status: 'failed', reason: 'slippage', detail: 'under the floor', retryable: true }
      },
    }
    const { manager, dustManager } = setup(createTestStrategy({ edit: paper, override: () => ({ executionManager: failing }) }))
    expect(await manager.checkDustThreshold()).toBe(true)
    const step = await manager.step()
    expect(step.kind === 'dust_sale' && step.outcomes.map(({ outcome }) => outcome.status)).toEqual(['failed', 'failed'])
    expect(dustManager.lastSnapshot('usdt_test')?.exceedsThreshold).toBe(true)
    expect((await manager.nextAction()).kind).toBe('dust_sale')
  })

  it('clears the pending sale when a later check finds the dust under the threshold', async () => {
    let equity = '1000000'
    const base = createTestStrategy({ edit: paper })
    const strategy: Strategy = {
      ...base,
      equitySource: {
        name: 'moving',
        async fetchEquity() {
          return { equity: Amount.parse(base.policy.shareClass, equity), unpriced: [] }
        },
      },
    }
    const { manager } = setup(strategy)
    expect(await manager.checkDustThreshold()).toBe(true)
    expect((await manager.nextAction()).kind).toBe('dust_sale')
    // Equity grows tenfold: 2,660 over 10,000,000 is 0.000266, under even the re-arm level of 0.0018.
    equity = '10000000'
    expect(await manager.checkDustThreshold()).toBe(false)
    expect((await manager.nextAction()).kind).toBe('rebalance')
  })

  it("hears only its own strategy's events, and none after dispose", async () => {
    const { manager, dustManager } = setup()
    const other = createTestStrategy({ edit: (config) => void (config.mode = 'usdt_other') })
    dustManager.register(other)
    await dustManager.runCycle('usdt_other')
    expect((await manager.nextAction()).kind).toBe('rebalance')

    manager.dispose()
    await dustManager.runCycle('usdt_test')
    expect((await manager.nextAction()).kind).toBe('rebalance')
  })

  it('joins a cycle the dust manager is already running instead of starting a second', async () => {
    const { manager, dustManager } = setup()
    const running = dustManager.runCycle('usdt_test')
    const checked = manager.checkDustThreshold()
    const result = await running
    expect(await checked).toBe(result.ok && result.plan.snapshot.exceedsThreshold)
    expect(dustManager.lastSnapshot('usdt_test')?.totalDustValue.toDecimalString()).toBe('2660')
  })
})
