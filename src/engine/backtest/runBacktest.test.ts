import { describe, expect, it } from 'vitest'
import { createStaticAmmVenue } from '../../adapters/static/createStaticAmmVenue.js'
import { createStaticCexVenue } from '../../adapters/static/createStaticCexVenue.js'
import type { HourlyHistory } from '../../domain/backtest/History.js'
import { VOLATILITY_SCALE, holdingRisk, isqrtUp, trailingVolatility } from '../../domain/backtest/holdingRisk.js'
import type { RewardCredit } from '../../domain/backtest/rewardSchedule.js'
import type { DustPolicy } from '../../domain/dust/index.js'
import { Amount, type Currency, Fraction, createCurrency } from '../../domain/money/index.js'
import type { PlanningSettings } from '../Strategy.js'
import { type BacktestMarket, createBacktestMarket } from './createBacktestMarket.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import { type BacktestConversion, type BacktestRunResult, RATIO_SCALE } from './BacktestRunResult.js'
import { type RunBacktestParameters, runBacktest } from './runBacktest.js'

const HOUR = 3_600_000
/** 2025-01-01 00:00 UTC, a Wednesday: no hour of the short histories below is a Monday 00:00. */
const T0 = Date.UTC(2025, 0, 1)

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'ethereum' })
const ETHFI = createCurrency({ symbol: 'ETHFI', decimals: 18, chain: 'ethereum' })
const WETH = createCurrency({ symbol: 'WETH', decimals: 18, chain: 'ethereum' })
const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' })
const WEETH = createCurrency({ symbol: 'weETH', decimals: 18, chain: 'ethereum' })

const E18 = 10n ** 18n
/** Whole USDT in base units. */
const USD = 1_000_000n

const basePolicy: DustPolicy = {
  mode: 'test',
  shareClass: USDT,
  asset: ETH,
  lsts: new Set(['weETH']),
  equivalents: new Map([['WETH', 'ETH']]),
  ignored: new Set(),
  dustDelta: Fraction.fromDecimalString('0.002'),
  hysteresis: Fraction.ZERO,
  tokenSettings: new Map(),
}

const registry = new Map([EIGEN, ETHFI, WETH, ETH, USDT, WEETH].map((currency) => [currency.symbol, currency] as const))
const natives = new Map([['ethereum', ETH]])

const planning: PlanningSettings = {
  preference: {},
  maxHops: 2,
  maxSlippageBps: 50,
  minNotionalBufferBps: 100,
  gasUnits: { claim: 90_000n, approve: 55_000n, transfer: 65_000n },
}

const delta = (text: string) => Fraction.fromDecimalString(text)
const at = (index: number) => T0 + index * HOUR

/**
 * A history of consecutive hours from `start`: EIGEN/WETH as given per hour, ETHFI/WETH 0.0005
 * unless given, WETH/USDT 2,000, weETH/ETH 1 and gas 1 gwei throughout. At these prices EIGEN and
 * ETHFI are worth 0.0005 × 2,000 = 1 USDT (0.00055 gives 1.1 USDT).
 */
function history(eigenWeth: readonly string[], start = T0, ethfiWeth?: readonly string[]): HourlyHistory {
  const count = eigenWeth.length
  const flat = (value: string) => Array.from({ length: count }, () => Fraction.fromDecimalString(value))
  return {
    hours: Array.from({ length: count }, (_, index) => start + index * HOUR),
    values: {
      eigenWeth: eigenWeth.map((value) => Fraction.fromDecimalString(value)),
      ethfiWeth: ethfiWeth ? ethfiWeth.map((value) => Fraction.fromDecimalString(value)) : flat('0.0005'),
      ethUsdt: flat('2000'),
      weethEth: flat('1'),
      gasGwei: flat('1'),
    },
    filled: { eigenWeth: 0, ethfiWeth: 0, ethUsdt: 0, weethEth: 0, gasGwei: 0 },
    files: { eigenWeth: 'eigen.csv', ethfiWeth: 'ethfi.csv', ethUsdt: 'eth.csv', weethEth: 'oracle.csv', gasGwei: 'gas.csv' },
    feeBps: { eigenWeth: new Fraction(30n), ethfiWeth: new Fraction(30n), ethUsdt: new Fraction(30n) },
  }
}

const flatPrices = (hours: number) => Array.from({ length: hours }, () => '0.0005')

/**
 * The CEX alone ("binance"), with bids at the mid (no half spread) for 1,000,000 USDT, then 10 bps
 * under. A sale of N EIGEN at 1 USDT fills wholly at 1 USDT: N USDT gross, less the 10 bps taker
 * fee. Gas of a claim and a transfer: 155,000 × 1 gwei = 0.000155 ETH × 2,000 = 0.31 USDT.
 * Equity: 1,000 weETH × 1 ETH × 2,000 = 2,000,000 USDT, 2 × 10^12 base units, every hour.
 */
function market(hist: HourlyHistory): BacktestMarket {
  return createBacktestMarket(
    { createAmmVenue: createStaticAmmVenue, createCexVenue: createStaticCexVenue },
    {
      history: hist,
      tokens: { EIGEN, ETHFI, WETH, ETH, USDT, weETH: WEETH },
      shareClass: USDT,
      equivalents: [[WETH, ETH]],
      position: Amount.parse(WEETH, '1000'),
      venues: {
        chain: 'ethereum',
        cex: {
          name: 'binance',
          takerFeeBps: new Fraction(10n),
          minNotional: new Fraction(5n),
          amountStep: delta('0.01'),
          ethAmountStep: delta('0.0001'),
          halfSpreadBps: Fraction.ZERO,
          levelStepBps: new Fraction(10n),
          levelValue: new Fraction(1_000_000n),
          levels: 2,
        },
      },
      volatilityHours: 2,
    },
  )
}

const EQUITY = 2_000_000n * USD

/** The ratio of a dust value in USDT base units to the 2,000,000 USDT equity. */
const ratioOf = (usdtRaw: bigint) => new Fraction(usdtRaw, EQUITY)

type Run = { policy: BacktestPolicy; dustDelta: Fraction }

function backtest(
  marketUsed: BacktestMarket,
  credits: readonly RewardCredit[],
  runs: readonly Run[],
  extra: Partial<Pick<RunBacktestParameters, 'keepRatios' | 'onProgress' | 'costAware' | 'signal' | 'scoreFrom'>> = {},
) {
  return runBacktest({
    market: marketUsed,
    credits,
    policy: basePolicy,
    registry,
    natives,
    planning,
    chain: 'ethereum',
    rewardsVenue: 'etherfi',
    runs,
    // σ over 4 hours is exactly 2σ_hour; a hundredth of it is weighed against the cost.
    costAware: { horizonHours: 4, riskMultiplier: new Fraction(1n, 100n) },
    ...extra,
  })
}

const credit = (index: number, token: 'EIGEN' | 'ETHFI', amount: string | Fraction, start = T0): RewardCredit => ({
  at: start + index * HOUR,
  token,
  amount: typeof amount === 'string' ? Fraction.fromDecimalString(amount) : amount,
})

/** A conversion in base units, for comparing with hand figures. */
function figures(conversion: BacktestConversion) {
  return {
    at: conversion.at,
    token: conversion.token,
    amount: conversion.amount.raw,
    venue: conversion.venue,
    path: conversion.path,
    value: conversion.value.raw,
    cost: conversion.cost.raw,
    netOutput: conversion.netOutput.raw,
  }
}

/** What a CEX sale of `tokens` (a multiple of 0.01) at `price` USDT fills for, with the claim and transfer gas. */
function sale(atMs: number, token: string, tokens: string, price = '1') {
  const amount = Amount.parse(registry.get(token) as Currency, tokens).raw
  const perToken = Fraction.fromDecimalString(price)
  // Value at the bid, which is the mid: tokens × price, in USDT base units.
  const value = (Amount.parse(USDT, tokens).raw * perToken.numerator) / perToken.denominator
  // The 10 bps taker fee, up to the base unit, and 0.31 USDT of claim and transfer gas.
  const fee = (value * 10n + 9_999n) / 10_000n
  const gas = 310_000n
  return { at: atMs, token, amount, venue: 'binance', path: [token, 'USDT'], value, cost: fee + gas, netOutput: value - fee - gas }
}

function only(result: { runs: BacktestRunResult[] }): BacktestRunResult {
  expect(result.runs).toHaveLength(1)
  return result.runs[0] as BacktestRunResult
}

describe('runBacktest', () => {
  describe('threshold', () => {
    // Hours 0–5 at 1 USDT per EIGEN and ETHFI; dust_delta 0.002 of 2,000,000 USDT is 4,000 USDT.
    // Hour 1: 1,000 EIGEN (1,000 USDT, ratio 0.0005), hour 2: 500 ETHFI (1,500 USDT, 0.00075), both held.
    // Hour 3: 2,500.005 EIGEN more, 4,000.005 USDT of dust: 0.0020000025 > 0.002, so both tokens are sold.
    const credits = [credit(1, 'EIGEN', '1000'), credit(2, 'ETHFI', '500'), credit(3, 'EIGEN', '2500.005')]

    it('holds dust under dust_delta and sells every dust token in the hour a credit lifts the ratio above it', async () => {
      const result = await backtest(market(history(flatPrices(6))), credits, [{ policy: 'threshold', dustDelta: delta('0.002') }])
      const run = only(result)
      expect(run.policy).toBe('threshold')
      expect(run.dustDelta.equals(delta('0.002'))).toBe(true)
      // EIGEN: 3,500.005 rounds down to the 0.01 step, 3,500 sold (0.005 stays in the wallet);
      // value 3,500, fee 3.5, no price impact (the book's bid is the mid), gas 0.31: cost 3.81, net 3,496.19.
      // ETHFI: 500 sold; value 500, fee 0.5, gas 0.31: cost 0.81, net 499.19.
      expect(run.conversions.map(figures)).toEqual([
        { at: at(3), token: 'EIGEN', amount: 3500n * E18, venue: 'binance', path: ['EIGEN', 'USDT'], value: 3_500n * USD, cost: 3_810_000n, netOutput: 3_496_190_000n },
        { at: at(3), token: 'ETHFI', amount: 500n * E18, venue: 'binance', path: ['ETHFI', 'USDT'], value: 500n * USD, cost: 810_000n, netOutput: 499_190_000n },
      ])
      for (const conversion of run.conversions) {
        expect(conversion.value.subtract(conversion.cost).equals(conversion.netOutput)).toBe(true)
        expect(conversion.cost.currency).toBe(USDT)
      }
      // The `sale` helper used below gives the same figures.
      expect(run.conversions.map(figures)).toEqual([sale(at(3), 'EIGEN', '3500'), sale(at(3), 'ETHFI', '500')])
      expect(run.convertedValue.raw).toBe(4_000n * USD)
      expect(run.totalCost.raw).toBe(4_620_000n) // 3.81 + 0.81
      expect(run.proceeds.raw).toBe(3_995_380_000n) // 3,496.19 + 499.19
      // Left: 0.005 EIGEN in the wallet at 1 USDT.
      expect(run.remainingDustValue.raw).toBe(5_000n)
      expect(run.result.raw).toBe(3_995_385_000n)
      expect(run.result.equals(run.proceeds.add(run.remainingDustValue))).toBe(true)
      // Post-decision ratios: 0, 1,000/2e6, 1,500/2e6, then 0.005/2e6 for hours 3–5:
      // (1,000 + 1,500 + 3 × 0.005) / 2e6 / 6 = 2,500.015 / 12e6 = 2,500,015 / 1.2e10.
      expect(run.meanDustRatio.equals(new Fraction(2_500_015n, 12_000_000_000n))).toBe(true)
      // The peak is the pre-sale ratio of hour 3.
      expect(run.maxDustRatio.equals(ratioOf(4_000_005_000n))).toBe(true)
      expect(run.maxDustRatio.equals(new Fraction(20_000_025n, 10_000_000_000n))).toBe(true)
      expect(run.maxDustRatioAt).toBe(at(3))
      expect(run.skipped).toEqual({})
      expect(run.ratios).toBeUndefined()
      // Ending flat would cost the 0.005 EIGEN under the amount step at its value; nothing was carried in.
      expect([run.liquidationCost.raw, run.openingLiquidationCost.raw, run.allInCost.raw]).toEqual([5_000n, 0n, 4_625_000n])
    })

    it('scores only the hours from scoreFrom, the dust held before it carried in; a replay starting there holds nothing', async () => {
      const warmed = await backtest(market(history(flatPrices(6))), credits, [{ policy: 'threshold', dustDelta: delta('0.002') }], { scoreFrom: at(3) })
      const run = only(warmed)
      // The 1,000 EIGEN and 500 ETHFI of hours 1 and 2 are still held at hour 3: its credit lifts the ratio over 0.002, and both sell.
      expect(run.conversions.map(figures)).toEqual([sale(at(3), 'EIGEN', '3500'), sale(at(3), 'ETHFI', '500')])
      expect(run.totalCost.raw).toBe(4_620_000n)
      // Hours 3 to 5 only: 0.005 EIGEN left after the sale, 0.005 / 2e6 each hour.
      expect(run.meanDustRatio.equals(new Fraction(5_000n, 2_000_000_000_000n))).toBe(true)
      expect(run.maxDustRatio.equals(ratioOf(4_000_005_000n))).toBe(true)
      expect(run.maxDustRatioAt).toBe(at(3))
      // The ideal counts the credits of the scored hours (2,500.005 EIGEN at 1 USDT) and the dust carried in (1,500 USDT at
      // hour 3's prices), as the result counts both: the P&L is what the sales cost, 4.62 USDT, the 0.005 EIGEN left being
      // worth what it is in either.
      expect(run.realisedPnl.raw).toBe(3_995_385_000n - (2_500_005_000n + 1_500_000_000n))
      expect(run.realisedPnl.raw).toBe(-4_620_000n)
      expect(run.timeWeightedDustBps.equals(new Fraction(5_000n * 10_000n, 2_000_000_000_000n))).toBe(true)

      // Carried in: 1,000 EIGEN and 500 ETHFI. What they add to selling the scored hours' 2,500.005 EIGEN at the last hour:
      // 1 USDT of fee on the EIGEN (whose sale pays its claim and transfer gas anyway), 0.5 of fee and 0.31 of gas on the ETHFI.
      // Priced alone they would be credited the EIGEN sale's gas a second time (2.12).
      // All-in: 4.62 of sales, plus 0.005 for the EIGEN left, less the 1.81 of what came in: 2.815, as the replay starting
      // empty at hour 3 below, which received the same rewards and sells them at the end.
      expect([run.liquidationCost.raw, run.openingLiquidationCost.raw, run.allInCost.raw]).toEqual([5_000n, 1_810_000n, 2_815_000n])

      // Starting empty at hour 3, the same credit is 0.00125 of equity: nothing is sold.
      const cold = await backtest(market(history(flatPrices(3), at(3))), credits, [{ policy: 'threshold', dustDelta: delta('0.002') }])
      expect(only(cold).conversions).toEqual([])
      // It is charged for selling it at the end: 2.5 of fee on 2,500 EIGEN, 0.31 of gas, and the 0.005 under the step.
      expect([only(cold).liquidationCost.raw, only(cold).allInCost.raw]).toEqual([2_815_000n, 2_815_000n])

      // A run that carries the same dust in and sells nothing (dust_delta 0.01) ends holding it all: charged 4.625 to sell
      // it, credited the same 1.81, it costs 2.815 too. Inheriting dust neither helps a run nor hurts it, sold or held.
      const holder = only(await backtest(market(history(flatPrices(6))), credits, [{ policy: 'threshold', dustDelta: delta('0.01') }], { scoreFrom: at(3) }))
      expect(holder.conversions).toEqual([])
      expect([holder.liquidationCost.raw, holder.openingLiquidationCost.raw, holder.allInCost.raw]).toEqual([4_625_000n, 1_810_000n, 2_815_000n])

      await expect(backtest(market(history(flatPrices(6))), credits, [{ policy: 'threshold', dustDelta: delta('0.002') }], { scoreFrom: at(6) })).rejects.toThrow('The backtest has no hour to score.')
    })

    it('keeps the post-decision ratios: held credits over equity, then the sub-step residual after the sale', async () => {
      const result = await backtest(market(history(flatPrices(6))), credits, [{ policy: 'threshold', dustDelta: delta('0.002') }], { keepRatios: () => true })
      // Scaled by 10^18: 1,000/2e6 = 5e-4, 1,500/2e6 = 7.5e-4, 0.005/2e6 = 2.5e-9.
      expect(only(result).ratios).toEqual([0n, 5n * 10n ** 14n, 75n * 10n ** 13n, 25n * 10n ** 8n, 25n * 10n ** 8n, 25n * 10n ** 8n])
    })

    it('holds a ratio exactly at dust_delta: the rule is strictly above', async () => {
      // 4,000 EIGEN = 4,000 USDT = 0.002 of equity, not above it.
      const result = await backtest(market(history(flatPrices(3))), [credit(1, 'EIGEN', '4000')], [{ policy: 'threshold', dustDelta: delta('0.002') }])
      const run = only(result)
      expect(run.conversions).toEqual([])
      expect(run.proceeds.raw).toBe(0n)
      expect(run.remainingDustValue.raw).toBe(4_000n * USD)
      expect(run.result.raw).toBe(4_000n * USD)
      // Ratios 0, 0.002, 0.002: mean 0.004 / 3.
      expect(run.meanDustRatio.equals(new Fraction(4n, 3_000n))).toBe(true)
      expect(run.maxDustRatio.equals(delta('0.002'))).toBe(true)
      expect(run.maxDustRatioAt).toBe(at(1))
    })
  })

  describe('every_receipt and weekly', () => {
    // Sunday 2025-01-05 22:00 UTC to Monday 2025-01-06 02:00 UTC: hour 2 is Monday 00:00.
    const sunday = Date.UTC(2025, 0, 5, 22)
    const monday = Date.UTC(2025, 0, 6)
    const credits = [credit(0, 'EIGEN', '100', sunday), credit(1, 'ETHFI', '50', sunday), credit(3, 'EIGEN', '10', sunday)]

    it('builds the hours around a Monday 00:00 UTC', () => {
      expect(new Date(monday).getUTCDay()).toBe(1)
      expect(sunday + 2 * HOUR).toBe(monday)
    })

    it('every_receipt sells at each credit hour, far under the threshold', async () => {
      const result = await backtest(market(history(flatPrices(5), sunday)), credits, [{ policy: 'every_receipt', dustDelta: delta('0.002') }])
      const run = only(result)
      // 100 EIGEN: fee 0.1 + gas 0.31, net 99.59; 50 ETHFI: fee 0.05 + gas, net 49.64; 10 EIGEN: fee 0.01 + gas, net 9.68.
      expect(run.conversions.map(figures)).toEqual([
        { at: sunday, token: 'EIGEN', amount: 100n * E18, venue: 'binance', path: ['EIGEN', 'USDT'], value: 100n * USD, cost: 410_000n, netOutput: 99_590_000n },
        { at: sunday + HOUR, token: 'ETHFI', amount: 50n * E18, venue: 'binance', path: ['ETHFI', 'USDT'], value: 50n * USD, cost: 360_000n, netOutput: 49_640_000n },
        { at: sunday + 3 * HOUR, token: 'EIGEN', amount: 10n * E18, venue: 'binance', path: ['EIGEN', 'USDT'], value: 10n * USD, cost: 320_000n, netOutput: 9_680_000n },
      ])
      expect(run.proceeds.raw).toBe(158_910_000n)
      expect(run.totalCost.raw).toBe(1_090_000n)
      expect(run.convertedValue.raw).toBe(160n * USD)
      expect(run.remainingDustValue.raw).toBe(0n)
      expect(run.result.raw).toBe(158_910_000n)
      // Every hour ends with nothing held.
      expect(run.meanDustRatio.isZero()).toBe(true)
      // The peak is 100 USDT before the first sale.
      expect(run.maxDustRatio.equals(ratioOf(100n * USD))).toBe(true)
      expect(run.maxDustRatioAt).toBe(sunday)
    })

    it('weekly sells only at Monday 00:00 UTC, without a credit that hour, and holds the credit of 01:00', async () => {
      const result = await backtest(market(history(flatPrices(5), sunday)), credits, [{ policy: 'weekly', dustDelta: delta('0.002') }])
      const run = only(result)
      expect(run.conversions.map(figures)).toEqual([
        { at: monday, token: 'EIGEN', amount: 100n * E18, venue: 'binance', path: ['EIGEN', 'USDT'], value: 100n * USD, cost: 410_000n, netOutput: 99_590_000n },
        { at: monday, token: 'ETHFI', amount: 50n * E18, venue: 'binance', path: ['ETHFI', 'USDT'], value: 50n * USD, cost: 360_000n, netOutput: 49_640_000n },
      ])
      expect(run.proceeds.raw).toBe(149_230_000n)
      expect(run.totalCost.raw).toBe(770_000n)
      expect(run.remainingDustValue.raw).toBe(10n * USD)
      expect(run.result.raw).toBe(159_230_000n)
      // Ratios 100, 150, 0, 10, 10 USDT over 2e6: 270 / 2e6 / 5 = 27 / 1e6.
      expect(run.meanDustRatio.equals(new Fraction(27n, 1_000_000n))).toBe(true)
      // 150 USDT is first reached at Sunday 23:00; Monday 00:00 before the sale only equals it.
      expect(run.maxDustRatio.equals(ratioOf(150n * USD))).toBe(true)
      expect(run.maxDustRatioAt).toBe(sunday + HOUR)
    })
  })

  describe('cost_aware', () => {
    it('with flat prices holds under the threshold (no risk) and sells at the threshold like the seed', async () => {
      const flatMarket = market(history(flatPrices(6)))
      for (let index = 0; index < 6; index += 1) expect(flatMarket.volatility(EIGEN, index)).toBe(0n)
      const credits = [credit(1, 'EIGEN', '1000'), credit(2, 'ETHFI', '500'), credit(3, 'EIGEN', '2500.005')]
      const result = await backtest(flatMarket, credits, [
        { policy: 'cost_aware', dustDelta: delta('0.002') },
        { policy: 'threshold', dustDelta: delta('0.002') },
      ])
      const [costAware, threshold] = result.runs as [BacktestRunResult, BacktestRunResult]
      expect(costAware.policy).toBe('cost_aware')
      // At hours 1 and 2 a risk of 0 is under every sale's cost (fee plus 0.31 of gas): nothing sold.
      expect(costAware.conversions.map(figures)).toEqual([sale(at(3), 'EIGEN', '3500'), sale(at(3), 'ETHFI', '500')])
      expect(costAware.conversions.map(figures)).toEqual(threshold.conversions.map(figures))
      expect(costAware.result.raw).toBe(3_995_385_000n)
      expect(costAware.totalCost.raw).toBe(threshold.totalCost.raw)
      expect(costAware.meanDustRatio.equals(new Fraction(2_500_015n, 12_000_000_000n))).toBe(true)
      expect(costAware.maxDustRatio.equals(threshold.maxDustRatio)).toBe(true)
      expect(costAware.maxDustRatioAt).toBe(at(3))
      expect(costAware.skipped).toEqual({})
    })

    it('with a volatile price holds a small credit and sells at the receipt hour once the risk reaches the cost', async () => {
      // EIGEN alternates 1 and 1.1 USDT: hourly returns +0.1 and 1/1.1 − 1, the latter floored at 10^-18.
      const prices = ['0.0005', '0.00055', '0.0005', '0.00055', '0.0005', '0.00055']
      const volatileMarket = market(history(prices))
      const up = VOLATILITY_SCALE / 10n
      const down = (VOLATILITY_SCALE * 10n) / 11n - VOLATILITY_SCALE
      expect(down).toBe(-90_909_090_909_090_910n)
      // Over a window of two returns a and b the sample variance is (a − b)² / 2, so σ is the
      // smallest integer v with 2v² ≥ (a − b)²: about 0.19090909 / √2 ≈ 0.13499 per hour.
      const spread = up - down
      const sigma = isqrtUp((spread * spread + 1n) / 2n)
      expect(2n * sigma * sigma >= spread * spread).toBe(true)
      expect(2n * (sigma - 1n) * (sigma - 1n) < spread * spread).toBe(true)
      expect(sigma > 134_900_000_000_000_000n && sigma < 135_000_000_000_000_000n).toBe(true)
      const series = trailingVolatility(
        prices.map((price) => Fraction.fromDecimalString(price).multiply(2000n)),
        2,
      )
      expect(series).toEqual([0n, 0n, sigma, sigma, sigma, sigma])
      for (let index = 0; index < 6; index += 1) expect(volatileMarket.volatility(EIGEN, index)).toBe(series[index])

      // Hour 2 (1 USDT): 100 EIGEN, value 100, cost 0.1 + 0.31 = 0.41. Risk: 100 × 2σ × 1/100 ≈ 0.27 < 0.41: held.
      // Hour 3 (1.1 USDT): 1,000 EIGEN more; 1,100 EIGEN = 1,210 USDT, cost 1.21 + 0.31 = 1.52.
      // Risk: 1,210 × 2σ / 100 ≈ 3.27 ≥ 1.52: sold. The ratio, 1,210 / 2e6, is far under 0.002.
      const multiplier = new Fraction(1n, 100n)
      const heldRisk = holdingRisk(Amount.fromRaw(USDT, 100n * USD), sigma, 4, multiplier)
      // Rounded up: the risk of holding is never understated.
      expect(heldRisk.raw).toBe((100n * USD * 2n * sigma + 100n * VOLATILITY_SCALE - 1n) / (100n * VOLATILITY_SCALE))
      expect(heldRisk.raw > 269_000n && heldRisk.raw < 270_000n).toBe(true)
      expect(heldRisk.raw < 410_000n).toBe(true)
      const soldRisk = holdingRisk(Amount.fromRaw(USDT, 1_210n * USD), sigma, 4, multiplier)
      expect(soldRisk.raw).toBe((1_210n * USD * 2n * sigma + 100n * VOLATILITY_SCALE - 1n) / (100n * VOLATILITY_SCALE))
      expect(soldRisk.raw > 3_264_000n && soldRisk.raw < 3_267_000n).toBe(true)
      expect(soldRisk.raw >= 1_520_000n).toBe(true)

      const credits = [credit(2, 'EIGEN', '100'), credit(3, 'EIGEN', '1000')]
      const result = await backtest(volatileMarket, credits, [
        { policy: 'cost_aware', dustDelta: delta('0.002') },
        { policy: 'threshold', dustDelta: delta('0.002') },
      ])
      const [costAware, threshold] = result.runs as [BacktestRunResult, BacktestRunResult]
      // 1,100 EIGEN at 1.1: value 1,210, fee 1.21, gas 0.31, cost 1.52, net 1,208.48.
      expect(costAware.conversions.map(figures)).toEqual([
        { at: at(3), token: 'EIGEN', amount: 1_100n * E18, venue: 'binance', path: ['EIGEN', 'USDT'], value: 1_210n * USD, cost: 1_520_000n, netOutput: 1_208_480_000n },
      ])
      expect(costAware.proceeds.raw).toBe(1_208_480_000n)
      expect(costAware.remainingDustValue.raw).toBe(0n)
      expect(costAware.result.raw).toBe(1_208_480_000n)
      // Ratios 0, 0, 100/2e6, 0, 0, 0: mean 5e-5 / 6 = 1 / 120,000.
      expect(costAware.meanDustRatio.equals(new Fraction(1n, 120_000n))).toBe(true)
      // The pre-sale peak, 1,210 USDT at hour 3.
      expect(costAware.maxDustRatio.equals(ratioOf(1_210n * USD))).toBe(true)
      expect(costAware.maxDustRatioAt).toBe(at(3))
      // The seed's rule sells nothing: 1,100 EIGEN are still held at the last hour's 1.1 USDT.
      expect(threshold.conversions).toEqual([])
      expect(threshold.remainingDustValue.raw).toBe(1_210n * USD)
      expect(threshold.result.raw).toBe(1_210n * USD)
    })
  })

  describe('credits', () => {
    it('sums received credits per token in base units, values them at their hour for the ideal and leaves out those outside the hours', async () => {
      const prices = ['0.0005', '0.00055', '0.0005', '0.00055', '0.0005', '0.00055']
      const credits = [
        credit(-1, 'EIGEN', '5'), // before the first hour
        credit(1, 'EIGEN', new Fraction(1n, 3n)), // 333,333,333,333,333,333 base units at 1.1 USDT
        credit(2, 'ETHFI', '2.5'), // at 1 USDT
        credit(3, 'EIGEN', '10'), // at 1.1 USDT
        credit(5, 'EIGEN', '1'), // the last hour counts, at 1.1 USDT
        credit(6, 'ETHFI', '7'), // after the last hour
      ]
      const result = await backtest(market(history(prices)), credits, [{ policy: 'threshold', dustDelta: delta('0.002') }])
      expect(result.creditsOutside).toBe(2)
      expect([...result.received.keys()]).toEqual(['EIGEN', 'ETHFI'])
      const eigen = result.received.get('EIGEN') as Amount
      expect(eigen.currency).toBe(EIGEN)
      expect(eigen.raw).toBe(333_333_333_333_333_333n + 10n * E18 + E18)
      expect(result.received.get('ETHFI')?.raw).toBe(2_500_000_000_000_000_000n)
      // 333,333,333,333,333,333 × 1.1e-12 = 366,666.66… → 366,666; + 2.5 + 11 + 1.1 USDT.
      expect(result.ideal.currency).toBe(USDT)
      expect(result.ideal.raw).toBe(366_666n + 2_500_000n + 11_000_000n + 1_100_000n)
      // Nothing sold (about 15 USDT of dust); held at the last hour: 11.333… EIGEN at 1.1 = 12.466666 and 2.5 ETHFI.
      const run = only(result)
      expect(run.conversions).toEqual([])
      expect(run.remainingDustValue.raw).toBe(12_466_666n + 2_500_000n)
    })

    it('stops with an interrupted error when its signal is aborted', async () => {
      const stop = new AbortController()
      stop.abort()
      await expect(backtest(market(history(flatPrices(4))), [], [{ policy: 'threshold', dustDelta: delta('0.002') }], { signal: stop.signal })).rejects.toMatchObject({
        code: 'interrupted',
        shortMessage: 'The backtest was interrupted after 1 of 4 hours; nothing was written.',
      })
    })

    it('credits a reward due inside an hour at the next hour start, and leaves out one due inside the last hour', async () => {
      const credits = [
        { at: T0 + HOUR + HOUR / 2, token: 'EIGEN' as const, amount: Fraction.fromDecimalString('3000') }, // 01:30 → 02:00
        { at: T0 + 3 * HOUR + 1, token: 'ETHFI' as const, amount: Fraction.fromDecimalString('9') }, // after 03:00, the last hour
      ]
      const result = await backtest(market(history(flatPrices(4))), credits, [{ policy: 'every_receipt', dustDelta: delta('0.002') }])
      expect(result.creditsOutside).toBe(1)
      expect(result.received.get('EIGEN')?.raw).toBe(3_000n * E18)
      expect(result.received.has('ETHFI')).toBe(false)
      // Sold at 02:00, when it became usable: 3,000 USDT less the 3 USDT fee and 0.31 of gas.
      expect(only(result).conversions.map(figures)).toEqual([sale(at(2), 'EIGEN', '3000')])
    })
  })

  describe('several runs together', () => {
    // Credits that make dust_delta 0.0005 (1,000 USDT), 0.001 (2,000) and 0.002 (4,000) sell at different hours.
    const credits = [credit(1, 'EIGEN', '600'), credit(2, 'ETHFI', '600'), credit(3, 'EIGEN', '900.004'), credit(4, 'ETHFI', '300'), credit(5, 'EIGEN', '1700'), credit(6, 'EIGEN', '3')]
    const runs: Run[] = [
      { policy: 'threshold', dustDelta: delta('0.0005') },
      { policy: 'threshold', dustDelta: delta('0.001') },
      { policy: 'threshold', dustDelta: delta('0.002') },
      { policy: 'every_receipt', dustDelta: delta('0.002') },
    ]
    const comparable = (run: BacktestRunResult) => ({
      policy: run.policy,
      conversions: run.conversions.map(figures),
      convertedValue: run.convertedValue.raw,
      totalCost: run.totalCost.raw,
      meanDustRatio: run.meanDustRatio.reduce(),
      maxDustRatio: run.maxDustRatio.reduce(),
      maxDustRatioAt: run.maxDustRatioAt,
      proceeds: run.proceeds.raw,
      remainingDustValue: run.remainingDustValue.raw,
      result: run.result.raw,
      skipped: run.skipped,
      ratios: run.ratios,
    })

    it('gives each run exactly what it gives alone', async () => {
      const hist = history(flatPrices(8))
      const together = await backtest(market(hist), credits, runs, { keepRatios: () => true })
      expect(together.runs).toHaveLength(4)
      for (const [index, spec] of runs.entries()) {
        const alone = await backtest(market(hist), credits, [spec], { keepRatios: () => true })
        expect(comparable(together.runs[index] as BacktestRunResult)).toEqual(comparable(only(alone)))
      }
      // Alone in reverse order too: no run depends on which ran before it.
      const reversed = await backtest(market(hist), credits, [...runs].reverse(), { keepRatios: () => true })
      expect(reversed.runs.map(comparable)).toEqual([...together.runs].reverse().map(comparable))
    })

    it('sells at the hours worked out by hand for each run', async () => {
      const result = await backtest(market(history(flatPrices(8))), credits, runs)
      const [low, middle, high, every] = result.runs as [BacktestRunResult, BacktestRunResult, BacktestRunResult, BacktestRunResult]
      // 0.0005: hour 2, 1,200 > 1,000: 600 EIGEN and 600 ETHFI. Hour 3: 900.004 held (≤ 1,000).
      // Hour 4: 1,200.004: 900 EIGEN (0.004 left) and 300 ETHFI. Hour 5: 1,700.004: 1,700 EIGEN. Hour 6: 3.004 held.
      expect(low.conversions.map(figures)).toEqual([sale(at(2), 'EIGEN', '600'), sale(at(2), 'ETHFI', '600'), sale(at(4), 'EIGEN', '900'), sale(at(4), 'ETHFI', '300'), sale(at(5), 'EIGEN', '1700')])
      // 0.001: hour 3, 2,100.004 > 2,000: 1,500 EIGEN and 600 ETHFI. Hour 4: 300.004 held.
      // Hour 5: 2,000.008 > 2,000: 300 ETHFI (claimable since hour 4, so listed first) and 1,700 EIGEN.
      expect(middle.conversions.map(figures)).toEqual([sale(at(3), 'EIGEN', '1500'), sale(at(3), 'ETHFI', '600'), sale(at(5), 'ETHFI', '300'), sale(at(5), 'EIGEN', '1700')])
      // 0.002: hour 5, 4,100.004 > 4,000: 3,200 EIGEN and 900 ETHFI.
      expect(high.conversions.map(figures)).toEqual([sale(at(5), 'EIGEN', '3200'), sale(at(5), 'ETHFI', '900')])
      // every_receipt: at hour 4 the 0.004 EIGEN left in the wallet is under the amount step; at hour 6, 3.004 EIGEN sell for under 5.05.
      expect(every.conversions.map(figures)).toEqual([sale(at(1), 'EIGEN', '600'), sale(at(2), 'ETHFI', '600'), sale(at(3), 'EIGEN', '900'), sale(at(4), 'ETHFI', '300'), sale(at(5), 'EIGEN', '1700')])
      expect(every.skipped).toEqual({ below_amount_step: 1, below_venue_minimum: 1 })
      for (const run of [low, middle, high]) {
        expect(run.skipped).toEqual({})
        // Every run ends holding 3.004 EIGEN, worth 3.004 USDT.
        expect(run.remainingDustValue.raw).toBe(3_004_000n)
      }
      expect(every.remainingDustValue.raw).toBe(3_004_000n)
      // The 0.002 run's peak: 4,100.004 USDT before its sale at hour 5.
      expect(high.maxDustRatio.equals(ratioOf(4_100_004_000n))).toBe(true)
      expect(high.maxDustRatioAt).toBe(at(5))
      // The 0.0005 run's peak: 1,700.004 USDT before its sale at hour 5 (1,200 at hour 2, 1,200.004 at hour 4).
      expect(low.maxDustRatio.equals(ratioOf(1_700_004_000n))).toBe(true)
      expect(low.maxDustRatioAt).toBe(at(5))
      // The 0.001 run's peak: 2,100.004 USDT at hour 3 (2,000.008 at hour 5 is lower).
      expect(middle.maxDustRatio.equals(ratioOf(2_100_004_000n))).toBe(true)
      expect(middle.maxDustRatioAt).toBe(at(3))
      // Each sale nets value − 0.1% − 0.31: the 0.002 run nets 4,100 − 4.1 − 0.62.
      expect(high.proceeds.raw).toBe(4_095_280_000n)
      expect(high.totalCost.raw).toBe(4_720_000n)
    })
  })

  describe('skips, kept ratios and progress', () => {
    // Hour 1: 0.004 EIGEN (under the 0.01 step); hour 2: 3 more, 3.004 (3 sold would be 3 USDT, under 5 × 1.01);
    // hour 3: 4 more, 7.004: 7 sold for 7 − 0.007 − 0.31 = 6.683, 0.004 left.
    const credits = [credit(1, 'EIGEN', '0.004'), credit(2, 'EIGEN', '3'), credit(3, 'EIGEN', '4')]
    const runs: Run[] = [
      { policy: 'every_receipt', dustDelta: delta('0.002') },
      { policy: 'threshold', dustDelta: delta('0.002') },
    ]

    it('counts the reasons a plan left a token unsold, keeps ratios only for the accepted runs and reports the last progress', async () => {
      const progress: Array<[number, number]> = []
      const asked: Run[] = []
      const result = await backtest(market(history(flatPrices(5))), credits, runs, {
        keepRatios: (run) => {
          asked.push(run)
          return run.policy === 'every_receipt'
        },
        onProgress: (done, total) => progress.push([done, total]),
      })
      const [every, threshold] = result.runs as [BacktestRunResult, BacktestRunResult]
      expect(every.skipped).toEqual({ below_amount_step: 1, below_venue_minimum: 1 })
      expect(every.conversions.map(figures)).toEqual([
        { at: at(3), token: 'EIGEN', amount: 7n * E18, venue: 'binance', path: ['EIGEN', 'USDT'], value: 7n * USD, cost: 317_000n, netOutput: 6_683_000n },
      ])
      expect(every.result.raw).toBe(6_683_000n + 4_000n)
      // The threshold (4,000 USDT) is never exceeded, and not being exceeded is not counted as a skip.
      expect(threshold.conversions).toEqual([])
      expect(threshold.skipped).toEqual({})
      expect(asked.map((run) => run.policy)).toEqual(['every_receipt', 'threshold'])
      // Scaled by 10^18: 0.004 / 2e6 = 2e-9, 3.004 / 2e6 = 1.502e-6.
      expect(every.ratios).toEqual([0n, 2n * 10n ** 9n, 1_502n * 10n ** 9n, 2n * 10n ** 9n, 2n * 10n ** 9n])
      expect(every.ratios?.map((scaled) => new Fraction(scaled, RATIO_SCALE).reduce().toDecimalString(18))).toEqual(['0', '0.000000002', '0.000001502', '0.000000002', '0.000000002'])
      expect(threshold.ratios).toBeUndefined()
      // Five hours: under a hundred, so every hour is reported, ending at (5, 5).
      expect(progress).toEqual([
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 5],
        [5, 5],
      ])
      expect(progress.at(-1)).toEqual([5, 5])
    })
  })
})
