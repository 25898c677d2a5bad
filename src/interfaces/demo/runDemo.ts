import { performance } from 'node:perf_hooks'
import { createDemoStrategy } from '../../app/createDemoStrategy.js'
import { createDemoWorld } from '../../app/createDemoWorld.js'
import { type LastCloses, defaultDataDir, readLastCloses } from '../../app/readLastCloses.js'
import { startLocalChain } from '../../app/startLocalChain.js'
import type { DustSnapshot, Holding } from '../../domain/dust/index.js'
import { Amount, type Currency, sumAmounts } from '../../domain/money/index.js'
import { createDustManager } from '../../engine/createDustManager.js'
import { scanStrategy } from '../../engine/scanStrategy.js'
import type { Strategy } from '../../engine/Strategy.js'
import { BaseError } from '../../errors/index.js'
import type { Clock, ExecutionOutcome, Logger } from '../../ports/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import { formatTable } from '../cli/formatTable.js'
import { renderOutcomes, renderPlan, renderSnapshot, showAmount, showRatio } from '../cli/render.js'

export type RunDemoParameters = {
  print(text: string): void
  clock: Clock
  logger: Logger
  /** Folder of `shared/data`; `DUST_DATA_DIR` or `../shared/data` by default. */
  dataDir?: string | undefined
  /** Cycles to run after the first conversion (default 1): they show the dust below the threshold. */
  cycles?: number | undefined
  /** Aborts the demo (Ctrl-C): the node is stopped at once and the demo ends with an error. */
  signal?: AbortSignal | undefined
  /** Holds the funds in a Safe and signs as a keeper of its Zodiac Roles modifier, allowed only the conversion's calls. */
  keeper?: boolean | undefined
}

/** What the demo did, for its tests: the snapshots around the conversions and their outcomes. */
export type DemoReport = {
  readonly before: { snapshot: DustSnapshot; holdings: Holding[] }
  readonly after: { snapshot: DustSnapshot; holdings: Holding[] }
  readonly outcomes: ReadonlyArray<{ instruction: DustConversionInstruction; outcome: ExecutionOutcome }>
  readonly strategy: Strategy
  readonly seconds: number
}

function where(holding: Holding): string {
  return `${holding.venue} (${holding.source === 'claimable_rewards' ? 'claimable' : holding.source === 'exchange_balance' ? 'exchange' : 'wallet'})`
}

/** A table of every holding before and after, by token and place, with the change. */
function renderBalances(before: readonly Holding[], after: readonly Holding[]): string {
  const keys = new Map<string, { token: Currency; place: string }>()
  for (const holding of [...before, ...after]) keys.set(`${holding.amount.currency.symbol}|${where(holding)}`, { token: holding.amount.currency, place: where(holding) })
  const total = (list: readonly Holding[], symbol: string, place: string, token: Currency) =>
    sumAmounts(
      token,
      list.filter((holding) => holding.amount.currency.symbol === symbol && where(holding) === place).map((holding) => holding.amount),
    )
  const rows = [...keys.values()].map(({ token, place }) => {
    const was = total(before, token.symbol, place, token)
    const is = total(after, token.symbol, place, token)
    const change = is.subtract(was)
    return [
      token.symbol,
      place,
      showAmount(was),
      showAmount(is),
      `${change.isNegative() ? '-' : change.isPositive() ? '+' : ''}${showAmount(change.isNegative() ? Amount.zero(token).subtract(change) : change)}`,
    ]
  })
  return formatTable(['TOKEN', 'WHERE', 'BEFORE', 'AFTER', 'CHANGE'], rows, new Set(['BEFORE', 'AFTER', 'CHANGE']))
}

/** Per conversion: what the plan predicted against what arrived, the floor, and the gas really spent. */
function renderCosts(outcomes: DemoReport['outcomes']): string {
  const rows = outcomes.map(({ instruction, outcome }) => {
    const gas = (outcome.steps ?? []).reduce((sum, step) => sum + (step.gasUsed ?? 0n), 0n)
    const spent = (outcome.steps ?? []).flatMap((step) => (step.gasCost ? [step.gasCost] : []))
    const gasCost = spent[0] ? sumAmounts(spent[0].currency, spent) : undefined
    return [
      `${instruction.token} → ${instruction.targetCurrency}`,
      instruction.venue,
      showAmount(instruction.netOutput),
      showAmount(instruction.minOutput),
      outcome.status === 'converted' ? showAmount(outcome.output) : `failed: ${outcome.reason}`,
      showAmount(instruction.chosen.gasCost),
      `${gas} (${gasCost ? `${showAmount(gasCost)} ${gasCost.currency.symbol}` : '0'})`,
      (outcome.steps ?? []).map((step) => step.kind).join(', '),
    ]
  })
  return formatTable(['CONVERSION', 'VENUE', 'PLANNED NET', 'FLOOR', 'RECEIVED', 'PLANNED GAS', 'GAS USED', 'STEPS'], rows, new Set(['PLANNED NET', 'FLOOR', 'RECEIVED', 'PLANNED GAS']))
}

function describeCloses(closes: LastCloses): string {
  return [
    `  ETH ${closes.ethUsdt.value.toSignificant(8)} USDT, EIGEN ${closes.eigenWeth.value.toSignificant(6)} WETH, ETHFI ${closes.ethfiWeth.value.toSignificant(6)} WETH (Uniswap v3 closes at ${closes.ethUsdt.time})`,
    `  weETH ${closes.weethEth.value.toSignificant(8)} ETH (Aave oracle at ${closes.weethEth.time}); last gas price ${closes.gasGwei.value.toSignificant(4)} gwei`,
  ].join('\n')
}

/**
 * Runs the demo: starts a local Hardhat node, deploys the demo world at the last real prices
 * of `shared/data`, and runs the dust manager in paper mode: it detects the dust, plans
 * (paper Binance against Uniswap V3 and V2, with the reason for each pick), claims, swaps on
 * chain, and prints balances, dust ratio and costs before and after. The node is always stopped.
 */
export async function runDemo(parameters: RunDemoParameters): Promise<DemoReport> {
  const { print, clock, logger } = parameters
  const started = performance.now()
  const dataDir = parameters.dataDir ?? defaultDataDir()
  const closes = await readLastCloses(dataDir)
  print(`Last real prices from ${dataDir}:\n${describeCloses(closes)}`)
  print('\nStarting a local Hardhat node…')
  const chain = await startLocalChain()
  const interrupt = () => void chain.stop()
  parameters.signal?.addEventListener('abort', interrupt, { once: true })
  // A cycle the stop landed in may still answer (its reads failed as warnings): nothing after it is shown as the demo's result.
  const stopIfInterrupted = () => {
    if (parameters.signal?.aborted) throw new Error('Interrupted.')
  }
  try {
    print(`  listening at ${chain.rpcUrl} (chain id ${chain.chainId})`)
    print('Deploying WETH9, USDT (6 decimals), EIGEN, ETHFI, weETH, Multicall3, Uniswap V2 and V3 (npm bytecode), pools at the last prices, merkle distributors…')
    const world = await createDemoWorld({ chain, closes, keeper: parameters.keeper, onProgress: (step) => print(`  ${step}`) })
    if (world.keeper) {
      const { keeper } = world
      print(`  funds held by the Safe ${keeper.safe} (Safe 1.5.0, one owner: the desk); paper Binance deposits go to ${world.depositAddress}`)
      print(`  the bot key ${keeper.keeper} owns nothing: it is a member of the role "${keeper.role}" of the Zodiac Roles modifier ${keeper.roles}`)
      if (keeper.applied) {
        print(`  the role allows ${keeper.applied.functions} functions, each with its conditions (dust keeper permissions), applied by the desk in Safe transaction ${keeper.applied.hash}`)
      }
    } else print(`  strategy wallet ${world.wallet}; paper Binance deposits go to ${world.depositAddress}`)

    const strategy = await createDemoStrategy({ world, clock })
    const manager = createDustManager({ strategies: [strategy], clock, logger, execute: true })

    const before = await scanStrategy({ clock, logger }, { strategy })
    print('\n== Cycle 1: detect, plan, claim and convert ==')
    const [first] = await manager.runOnce()
    stopIfInterrupted()
    if (!first?.ok) throw first && !first.ok ? first.error : new Error('The demo strategy did not run.')
    print(renderPlan(first.plan))
    print(`\n  Execution (${strategy.executionMode}):`)
    print(renderOutcomes(first.outcomes))

    for (let cycle = 2; cycle <= 1 + (parameters.cycles ?? 1); cycle += 1) {
      print(`\n== Cycle ${cycle} ==`)
      const [next] = await manager.runOnce()
      stopIfInterrupted()
      if (!next?.ok) throw next && !next.ok ? next.error : new Error('The demo strategy did not run.')
      print(renderSnapshot(next.plan.snapshot))
      if (next.outcomes.length > 0) print(renderOutcomes(next.outcomes))
    }
    const after = await scanStrategy({ clock, logger }, { strategy })
    stopIfInterrupted()

    print('\n== Before and after ==')
    print(renderBalances(before.holdings, after.holdings))
    print(`\n  dust ratio ${showRatio(before.snapshot.dustRatio)} → ${showRatio(after.snapshot.dustRatio)} (dust_delta ${before.snapshot.dustDelta.toSignificant(6)})`)
    print(`  dust value ${showAmount(before.snapshot.totalDustValue)} → ${showAmount(after.snapshot.totalDustValue)} ${before.snapshot.shareClass}`)
    print(`\n${renderCosts(first.outcomes)}`)
    const seconds = (performance.now() - started) / 1000
    return { before, after, outcomes: first.outcomes, strategy, seconds }
  } catch (error) {
    if (parameters.signal?.aborted) throw new BaseError('The demo was interrupted; the local node is stopped.', { code: 'interrupted', cause: error })
    throw error
  } finally {
    parameters.signal?.removeEventListener('abort', interrupt)
    await chain.stop()
    print(`\nStopped the local node after ${((performance.now() - started) / 1000).toFixed(1)} s.`) // float-ok: elapsed time, not money
  }
}
