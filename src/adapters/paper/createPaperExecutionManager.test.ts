import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, FIXED_TIME, ONCHAIN, USDT, WETH, amount, price } from '../../../test/fixtureMoney.js'
import { fixtureAmmVenue, fixtureCexVenue } from '../../../test/fixtureVenues.js'
import type { Custody, Holding } from '../../domain/dust/index.js'
import { type Amount, type Currency, createPriceBook, sumAmounts } from '../../domain/money/index.js'
import type { DustConversionInstruction, RouteCandidate } from '../../domain/planning/ConversionPlan.js'
import type { RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'
import { evaluateRoute } from '../../domain/planning/evaluateRoute.js'
import type { ConversionVenue } from '../../ports/index.js'
import { type StaticBalanceSource, createStaticBalanceSource } from '../static/createStaticBalanceSource.js'
import { type PaperVenue, createPaperExecutionManager } from './createPaperExecutionManager.js'

const BINANCE: Custody = { kind: 'exchange', exchange: 'binance' }
const registry = new Map<string, Currency>([EIGEN, ETHFI, USDT, ETH, WETH].map((currency) => [currency.symbol, currency]))
const priceBook = createPriceBook({
  prices: [price(EIGEN, USDT, '1.25'), price(ETHFI, USDT, '0.95'), price(ETH, USDT, '2500')],
  equivalents: [[WETH, ETH]],
  at: FIXED_TIME,
})

type World = {
  etherfi: StaticBalanceSource
  wallet: StaticBalanceSource
  account: StaticBalanceSource
  cex: ReturnType<typeof fixtureCexVenue>
  amm: ReturnType<typeof fixtureAmmVenue>
}

/** The fixture portfolio: 1,500 EIGEN claimable, 20 EIGEN and 800 ETHFI in the wallet, an empty binance account. */
function world(): World {
  return {
    etherfi: createStaticBalanceSource({ name: 'etherfi', source: 'claimable_rewards', custody: ONCHAIN, balances: [amount(EIGEN, '1500')] }),
    wallet: createStaticBalanceSource({ name: 'wallet', source: 'wallet_balance', custody: ONCHAIN, balances: [amount(EIGEN, '20'), amount(ETHFI, '800')] }),
    account: createStaticBalanceSource({ name: 'binance', source: 'exchange_balance', custody: BINANCE, balances: [] }),
    cex: fixtureCexVenue(),
    amm: fixtureAmmVenue(),
  }
}

function manager(w: World, sources: StaticBalanceSource[] = [w.etherfi, w.wallet, w.account], venues: PaperVenue[] = [w.cex, w.amm]) {
  return createPaperExecutionManager({ balanceSources: sources, venues, registry })
}

/** Plans one route the way the planner does: the venue quotes, evaluateRoute prices it. */
async function instruct(venue: ConversionVenue, path: Currency[], sources: Holding[], sell?: Amount): Promise<DustConversionInstruction> {
  const first = sources[0] as Holding
  const token = first.amount.currency
  const total = sumAmounts(
    token,
    sources.map((source) => source.amount),
  )
  const quote: RouteQuote | RouteQuoteFailure = await venue.quote(path, sell ?? total)
  if (!quote.ok) throw new Error(`test setup: ${quote.detail}`)
  const chosen: RouteCandidate = evaluateRoute({
    group: { custody: first.custody, sources, total, sellAmount: sell ?? total },
    quote,
    venueKind: venue.kind,
    target: USDT,
    priceBook,
    native: ETH,
    gasPrice: 2_500_000_000n,
    gasUnits: { claim: 90_000n, approve: 55_000n, transfer: 65_000n },
    maxSlippageBps: 50,
    minNotionalBufferBps: 100,
  })
  return {
    conversionId: `usdt_test:${token.symbol}:${first.custody.kind}:${FIXED_TIME}`,
    strategyMode: 'usdt_test',
    token: token.symbol,
    amount: chosen.amountIn,
    targetCurrency: 'USDT',
    venue: venue.name,
    conversionPath: chosen.path,
    estimatedOutput: chosen.estimatedOutput,
    estimatedFees: chosen.estimatedFees,
    minOutput: chosen.minOutput,
    netOutput: chosen.netOutput,
    custody: first.custody,
    sources,
    chosen,
    reason: 'test',
    alternatives: [],
  }
}

const claimed: Holding = { amount: amount(EIGEN, '1500'), venue: 'etherfi', source: 'claimable_rewards', custody: ONCHAIN }
const inWallet: Holding = { amount: amount(EIGEN, '20'), venue: 'wallet', source: 'wallet_balance', custody: ONCHAIN }

describe('createPaperExecutionManager', () => {
  it('knows after a restart that nothing of a paper step remains: its balances lived in the process', async () => {
    expect(await manager(world()).lookup?.({ kind: 'market_sell', venue: 'binance', reference: 'paper:dust-1-0', path: ['EIGEN', 'USDT'] })).toEqual({
      status: 'not_found',
      detail: 'The paper market_sell paper:dust-1-0 on binance moved balances held in the memory of the process that made it; nothing of it outlives a restart.',
    })
  })

  it('claims into the wallet, transfers to the exchange account and sells there on the book', async () => {
    const w = world()
    const instruction = await instruct(w.cex, [EIGEN, USDT], [claimed, inWallet])
    expect(instruction.chosen.steps.map((step) => step.kind)).toEqual(['claim', 'transfer', 'market_sell'])
    const outcome = await manager(w).execute(instruction)
    expect(outcome.status).toBe('converted')
    if (outcome.status !== 'converted') return
    expect(outcome.amountIn.toString()).toBe('1520 EIGEN')
    expect(outcome.output.toString()).toBe('1895.54256 USDT')
    expect(outcome.output.currency).toBe(USDT)
    expect(outcome.fees.toString()).toBe(instruction.estimatedFees.toString())
    expect(outcome.fees.toString()).toBe('2.86619 USDT')
    expect(w.etherfi.balanceOf(EIGEN).toString()).toBe('0 EIGEN')
    expect(w.wallet.balanceOf(EIGEN).toString()).toBe('0 EIGEN')
    expect(w.wallet.balanceOf(ETHFI).toString()).toBe('800 ETHFI')
    expect(w.account.balanceOf(EIGEN).toString()).toBe('0 EIGEN')
    expect(w.account.balanceOf(USDT).toString()).toBe('1895.54256 USDT')
  })

  it('swaps from the wallet on a DEX, moving the pool reserves', async () => {
    const w = world()
    const instruction = await instruct(w.amm, [EIGEN, WETH, USDT], [claimed, inWallet])
    expect(instruction.chosen.steps.map((step) => step.kind)).toEqual(['claim', 'approve', 'swap'])
    const outcome = await manager(w).execute(instruction)
    expect(outcome.status).toBe('converted')
    if (outcome.status !== 'converted') return
    expect(outcome.output.toString()).toBe(instruction.estimatedOutput.toString())
    expect(w.wallet.balanceOf(EIGEN).toString()).toBe('0 EIGEN')
    expect(w.wallet.balanceOf(USDT).toString()).toBe(instruction.estimatedOutput.toString())
    expect(w.amm.pools().find((pool) => pool.name === 'EIGEN/WETH')?.reserve0).toBe(401_520n * 10n ** 18n)
  })

  it('fails with slippage and keeps the tokens when the fill is under min_output', async () => {
    const w = world()
    const instruction = await instruct(w.amm, [ETHFI, WETH, USDT], [{ amount: amount(ETHFI, '800'), venue: 'wallet', source: 'wallet_balance', custody: ONCHAIN }])
    // Someone else sells 100,000 ETHFI into the pool first: the price falls far more than 50 bps.
    await w.amm.execute([ETHFI, WETH], amount(ETHFI, '100000'))
    const outcome = await manager(w).execute(instruction)
    expect(outcome.status).toBe('failed')
    if (outcome.status !== 'failed') return
    expect(outcome.reason).toBe('slippage')
    expect(outcome.retryable).toBe(false)
    // The floor is set at planning: 800 × 0.95 = 760, less fees of 2.4 ETHFI × 0.95 = 2.28 and 0.000907815852152647 WETH × 2,500
    // = 2.2695396..., up to 2.26954, = 755.45046, × 0.995 = 751.6732077, up to 751.673208 (over 754.12991 × 0.995 = 750.359261).
    expect(outcome.detail).toMatch(/^uniswap would give \d+\.\d+ USDT, under the floor of 751\.673208 USDT; nothing was sold\.$/)
    expect(w.wallet.balanceOf(ETHFI).toString()).toBe('800 ETHFI')
    expect(w.wallet.balanceOf(USDT).toString()).toBe('0 USDT')
  })

  it('fails with insufficient_funds when the seller holds less than the instruction sells', async () => {
    const w = world()
    const instruction = await instruct(w.amm, [EIGEN, WETH, USDT], [inWallet])
    w.wallet.debit(amount(EIGEN, '0.5'))
    const outcome = await manager(w).execute(instruction)
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'insufficient_funds',
      detail: 'wallet holds 19.5 EIGEN, less than the 20 EIGEN to sell.',
      retryable: false,
    })
    expect(w.wallet.balanceOf(EIGEN).toString()).toBe('19.5 EIGEN')
  })

  it('fails when there is no wallet to claim into, or no account to transfer to', async () => {
    const w = world()
    const instruction = await instruct(w.cex, [EIGEN, USDT], [claimed, inWallet])
    expect(await manager(w, [w.etherfi, w.account]).execute(instruction)).toEqual({
      status: 'failed',
      reason: 'claim_failed',
      detail: 'No claimable rewards at etherfi or no wallet to claim into.',
      retryable: false,
    })
    const walletOnly = await instruct(w.cex, [EIGEN, USDT], [inWallet])
    expect(await manager(w, [w.wallet]).execute(walletOnly)).toEqual({
      status: 'failed',
      reason: 'transfer_failed',
      detail: 'No wallet, or no binance account, to move 20 EIGEN between.',
      retryable: false,
    })
  })

  it('fails when the venue is not configured, or cannot fill', async () => {
    const w = world()
    const instruction = await instruct(w.cex, [EIGEN, USDT], [{ amount: amount(EIGEN, '20'), venue: 'binance', source: 'exchange_balance', custody: BINANCE }])
    w.account.credit(amount(EIGEN, '20'))
    expect(await manager(w, [w.account], [w.amm]).execute(instruction)).toEqual({
      status: 'failed',
      reason: 'venue_failed',
      detail: 'Venue binance or the account that sells on it is not configured.',
      retryable: false,
    })
    const broken: PaperVenue = { name: 'binance', kind: 'cex', execute: async () => ({ ok: false, reason: 'venue_unavailable', detail: 'maintenance' }) }
    expect(await manager(w, [w.account], [broken]).execute(instruction)).toEqual({ status: 'failed', reason: 'venue_unavailable', detail: 'maintenance', retryable: false })
    expect(w.account.balanceOf(EIGEN).toString()).toBe('20 EIGEN')
  })

  it('fails an instruction that has no sale step', async () => {
    const w = world()
    const instruction = await instruct(w.cex, [EIGEN, USDT], [inWallet])
    const noSale = { ...instruction, chosen: { ...instruction.chosen, steps: instruction.chosen.steps.filter((step) => step.kind !== 'market_sell') } }
    const outcome = await manager(w).execute(noSale)
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'no_sale',
      detail: `Instruction usdt_test:EIGEN:onchain:${FIXED_TIME} has no swap or sale step.`,
      retryable: false,
    })
    // The transfer before it did happen, as it would on chain.
    expect(w.account.balanceOf(EIGEN).toString()).toBe('20 EIGEN')
  })

  it('sells tokens already on the exchange without claim or transfer', async () => {
    const w = world()
    w.account.credit(amount(ETHFI, '800'))
    const instruction = await instruct(w.cex, [ETHFI, USDT], [{ amount: amount(ETHFI, '800'), venue: 'binance', source: 'exchange_balance', custody: BINANCE }])
    expect(instruction.chosen.steps.map((step) => step.kind)).toEqual(['market_sell'])
    const outcome = await manager(w).execute(instruction)
    expect(outcome.status === 'converted' && outcome.output.toString()).toBe('758.1411 USDT')
    expect(w.account.balanceOf(ETHFI).toString()).toBe('0 ETHFI')
    expect(w.wallet.balanceOf(ETHFI).toString()).toBe('800 ETHFI')
    expect(manager(w).name).toBe('paper')
  })
})
