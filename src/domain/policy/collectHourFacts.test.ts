import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, USDT, amount, price } from '../../../test/fixtureMoney.js'
import type { DustPolicy, DustSnapshot } from '../dust/index.js'
import { Fraction, createPriceBook } from '../money/index.js'
import { DEFAULT_CONVERSION_POLICY, MIN_GAS_SAMPLES } from './ConversionPolicy.js'
import { collectHourFacts } from './collectHourFacts.js'

const POLICY: DustPolicy = {
  mode: 'test',
  shareClass: USDT,
  asset: ETH,
  lsts: new Set(),
  equivalents: new Map(),
  ignored: new Set(),
  dustDelta: Fraction.fromDecimalString('0.002'),
  hysteresis: Fraction.ZERO,
  tokenSettings: new Map([['ETHFI', { convert: false }]]),
}

/** 300 EIGEN (100 in the wallet, 200 claimable) at 1 USDT and 50 ETHFI (convert: false) at 2 USDT, against 1,000,000 USDT of equity. */
const SNAPSHOT: DustSnapshot = {
  timestamp: 0,
  strategyMode: 'test',
  shareClass: 'USDT',
  totalDustValue: amount(USDT, '400'),
  dustTokens: [
    { token: 'EIGEN', amount: amount(EIGEN, '100'), value: amount(USDT, '100'), venue: 'wallet', source: 'wallet_balance' },
    { token: 'EIGEN', amount: amount(EIGEN, '200'), value: amount(USDT, '200'), venue: 'etherfi', source: 'claimable_rewards' },
    { token: 'ETHFI', amount: amount(ETHFI, '50'), value: amount(USDT, '100'), venue: 'etherfi', source: 'claimable_rewards' },
  ],
  unpricedTokens: [],
  equity: amount(USDT, '1000000'),
  dustRatio: new Fraction(4n, 10_000n),
  dustDelta: Fraction.fromDecimalString('0.002'),
  exceedsThreshold: false,
}

const BOOK = createPriceBook({ at: 0, prices: [price(ETH, USDT, '2000')] })

describe('collectHourFacts', () => {
  it('sums each convertible token over its holdings, takes the gas percentile of the window and prices a claim', () => {
    const facts = collectHourFacts({
      policy: POLICY,
      conversionPolicy: { ...DEFAULT_CONVERSION_POLICY, gasWindowHours: 3, gasPercentile: 50 },
      snapshot: SNAPSHOT,
      exceedsThreshold: true,
      priceBook: BOOK,
      volatility: (token) => (token.symbol === 'EIGEN' ? 7n : 0n),
      // Only the last 3 hours count: 40, 10 and 20 gwei, median 20; now 20.
      gasSamples: [1n, 40n, 10n, 20n].map((gwei) => gwei * 10n ** 9n),
      claimGasUnits: 100_000n,
      native: ETH,
    })
    expect(facts.tokens).toEqual([{ token: EIGEN, held: amount(EIGEN, '300'), value: amount(USDT, '300'), claimableValue: amount(USDT, '200'), volatility: 7n }])
    expect(facts.dustValue).toEqual(amount(USDT, '400'))
    expect(facts.exceedsThreshold).toBe(true)
    expect([facts.gasPriceWei, facts.cheapGasWei]).toEqual([20n * 10n ** 9n, 20n * 10n ** 9n])
    // 100,000 gas × 20 gwei = 0.002 ETH = 4 USDT.
    expect(facts.claimCost).toEqual(amount(USDT, '4'))
  })

  it('knows no gas price nor claim cost without gas samples, and no claim cost without the native coin', () => {
    const base = { policy: POLICY, conversionPolicy: DEFAULT_CONVERSION_POLICY, snapshot: SNAPSHOT, exceedsThreshold: false, priceBook: BOOK, volatility: () => 0n, claimGasUnits: 1n }
    const none = collectHourFacts({ ...base, gasSamples: [], native: ETH })
    expect([none.gasPriceWei, none.cheapGasWei, none.claimCost]).toEqual([undefined, undefined, undefined])
    expect(collectHourFacts({ ...base, gasSamples: [1n], native: undefined }).claimCost).toBeUndefined()
  })

  it('judges gas cheap only once the window holds a day of hourly prices (the whole window when shorter)', () => {
    const base = { policy: POLICY, snapshot: SNAPSHOT, exceedsThreshold: false, priceBook: BOOK, volatility: () => 0n, claimGasUnits: 1n, native: ETH }
    const hours = (count: number) => Array.from({ length: count }, (_, hour) => BigInt(hour + 1) * 10n ** 9n)
    const week = { ...DEFAULT_CONVERSION_POLICY, gasWindowHours: 168, gasPercentile: 50 }
    // 23 prices of a week-long window: the price is known (and prices a claim), whether it is cheap is not.
    const early = collectHourFacts({ ...base, conversionPolicy: week, gasSamples: hours(MIN_GAS_SAMPLES - 1) })
    expect([early.gasPriceWei, early.cheapGasWei, early.claimCost === undefined]).toEqual([23n * 10n ** 9n, undefined, false])
    // The 24th: the median of 1 to 24 gwei by nearest rank, 12 gwei.
    expect(collectHourFacts({ ...base, conversionPolicy: week, gasSamples: hours(MIN_GAS_SAMPLES) }).cheapGasWei).toBe(12n * 10n ** 9n)
    // A 2-hour window is judged from its second price.
    const short = { ...DEFAULT_CONVERSION_POLICY, gasWindowHours: 2, gasPercentile: 50 }
    expect(collectHourFacts({ ...base, conversionPolicy: short, gasSamples: hours(1) }).cheapGasWei).toBeUndefined()
    expect(collectHourFacts({ ...base, conversionPolicy: short, gasSamples: hours(2) }).cheapGasWei).toBe(10n ** 9n)
  })
})
