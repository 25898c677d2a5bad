import { createStaticAmmVenue } from '../src/adapters/static/createStaticAmmVenue.js'
import { createStaticCexVenue } from '../src/adapters/static/createStaticCexVenue.js'
import type { HourlyHistory } from '../src/domain/backtest/History.js'
import type { DustPolicy } from '../src/domain/dust/index.js'
import { Amount, type Currency, Fraction } from '../src/domain/money/index.js'
import type { BacktestPolicy } from '../src/engine/backtest/BacktestPolicy.js'
import type { BacktestReplay, ReplayHour } from '../src/engine/backtest/BacktestReplay.js'
import { type RunState, createRunState } from '../src/engine/backtest/RunState.js'
import { createBacktestMarket } from '../src/engine/backtest/createBacktestMarket.js'
import { EIGEN, ETH, ETHFI, USDT, WEETH, WETH } from './fixtureMoney.js'

const HOUR = 3_600_000
/** 2025-01-01 00:00 UTC, a Wednesday: the first hour of every fixture replay. */
export const REPLAY_T0 = Date.UTC(2025, 0, 1)

/** The strategy's policy in a replay: USDT share class, ETH asset, dust_delta 0.002, no hysteresis. */
export const REPLAY_POLICY: DustPolicy = {
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

/** Hours from `REPLAY_T0` with these EIGEN/WETH closes; ETHFI/WETH 0.0005, WETH/USDT 2,000, weETH/ETH 1 and gas 1 gwei throughout. */
function history(eigenWeth: readonly string[]): HourlyHistory {
  const flat = (value: string) => eigenWeth.map(() => Fraction.fromDecimalString(value))
  return {
    hours: eigenWeth.map((_, index) => REPLAY_T0 + index * HOUR),
    values: { eigenWeth: eigenWeth.map((value) => Fraction.fromDecimalString(value)), ethfiWeth: flat('0.0005'), ethUsdt: flat('2000'), weethEth: flat('1'), gasGwei: flat('1') },
    filled: { eigenWeth: 0, ethfiWeth: 0, ethUsdt: 0, weethEth: 0, gasGwei: 0 },
    files: { eigenWeth: 'eigen.csv', ethfiWeth: 'ethfi.csv', ethUsdt: 'eth.csv', weethEth: 'oracle.csv', gasGwei: 'gas.csv' },
    feeBps: { eigenWeth: new Fraction(30n), ethfiWeth: new Fraction(30n), ethUsdt: new Fraction(30n) },
  }
}

/**
 * A replay on one CEX ("binance") with bids at the mid for 1,000,000 USDT: EIGEN at 0.0005 WETH is
 * 1 USDT and sells at 1 USDT less the 10 bps taker fee; a claim and a transfer cost 155,000 gas ×
 * 1 gwei = 0.31 USDT. Equity is 1,000 weETH = 2,000,000 USDT every hour, so 1 USDT of dust is a
 * ratio of 1 / 2,000,000. Rewards are claimable from "etherfi" on Ethereum.
 */
export function fixtureReplay(eigenWeth: readonly string[] = ['0.0005', '0.0005']): BacktestReplay {
  const market = createBacktestMarket(
    { createAmmVenue: createStaticAmmVenue, createCexVenue: createStaticCexVenue },
    {
      history: history(eigenWeth),
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
          amountStep: Fraction.fromDecimalString('0.01'),
          ethAmountStep: Fraction.fromDecimalString('0.0001'),
          halfSpreadBps: Fraction.ZERO,
          levelStepBps: new Fraction(10n),
          levelValue: new Fraction(1_000_000n),
          levels: 2,
        },
      },
      volatilityHours: 2,
    },
  )
  return {
    market,
    basePolicy: REPLAY_POLICY,
    shareClass: USDT,
    registry,
    natives: new Map([['ethereum', ETH]]),
    planning: { preference: {}, maxHops: 2, maxSlippageBps: 50, minNotionalBufferBps: 100, gasUnits: { claim: 90_000n, approve: 55_000n, transfer: 65_000n } },
    chain: 'ethereum',
    rewardsVenue: 'etherfi',
    costAware: { horizonHours: 4, riskMultiplier: new Fraction(1n, 100n) },
  }
}

/** The replay's hour `index`, crediting `credited` (nothing unless given), not a Monday unless said. */
export function fixtureHour(replay: BacktestReplay, index: number, overrides: Partial<Pick<ReplayHour, 'credited' | 'monday'>> = {}): ReplayHour {
  const at = replay.market.hours[index]
  if (at === undefined) throw new Error(`Expected an hour ${index} in the replay, found ${replay.market.hours.length} hours.`)
  return { index, at, priceBook: replay.market.priceBook(index), credited: undefined, monday: false, ...overrides }
}

/** A run of `policy` at this dust_delta (0.002 unless given) that holds nothing yet. */
export function fixtureRun(replay: BacktestReplay, policy: BacktestPolicy, dustDelta = '0.002', keepRatios = false): RunState {
  return createRunState(replay, { spec: { policy, dustDelta: Fraction.fromDecimalString(dustDelta) }, first: REPLAY_T0, hours: replay.market.hours.length, keepRatios })
}

/** Puts `tokens` of `currency` in the run's claimable rewards. */
export function claim(state: RunState, currency: Currency, tokens: string): void {
  state.claimable.set(currency.symbol, Amount.parse(currency, tokens))
}
