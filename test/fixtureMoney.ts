import type { Custody, DustPolicy, Holding, HoldingSource } from '../src/domain/dust/index.js'
import { Amount, type Currency, Fraction, Price, createCurrency } from '../src/domain/money/index.js'
import type { Clock } from '../src/ports/index.js'

/** The currencies of the seed's strategies, with their real decimals (USDT 6, the rest 18). */
export const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
export const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' })
export const WETH = createCurrency({ symbol: 'WETH', decimals: 18, chain: 'ethereum', address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' })
export const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'ethereum', address: '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83' })
export const ETHFI = createCurrency({ symbol: 'ETHFI', decimals: 18, chain: 'ethereum', address: '0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB' })
export const WEETH = createCurrency({ symbol: 'weETH', decimals: 18, chain: 'ethereum', address: '0xCd5fE23C85820F7B72D0926FC9b05b43E359b7ee' })

/** A fixed moment: 2025-01-01T00:00:00.000Z. */
export const FIXED_TIME = 1_735_689_600_000

export const ONCHAIN: Custody = { kind: 'onchain', chain: 'ethereum' }

/** Reads whole tokens exactly: `amount(EIGEN, '1.25')`. */
export function amount(currency: Currency, text: string): Amount {
  return Amount.parse(currency, text)
}

/** Makes a price in whole quote tokens per whole base token. */
export function price(base: Currency, quote: Currency, text: string, source = 'static', at = FIXED_TIME): Price {
  return Price.fromDecimal(base, quote, text, { source, at })
}

/** Makes a holding reported by a venue; on-chain on Ethereum unless a custody is given. */
export function holding(currency: Currency, text: string, venue: string, source: HoldingSource, custody: Custody = ONCHAIN): Holding {
  return { amount: Amount.parse(currency, text), venue, source, custody }
}

/** The dust policy of the USDT share-class strategy of the issue (weETH staked, WETH counts as ETH). */
export function fixturePolicy(overrides: Partial<DustPolicy> = {}): DustPolicy {
  return {
    mode: 'usdt_test',
    shareClass: USDT,
    asset: ETH,
    lsts: new Set(['weeth', 'wstETH']),
    equivalents: new Map([['WETH', 'ETH']]),
    ignored: new Set(['SPAM']),
    dustDelta: Fraction.fromDecimalString('0.002'),
    hysteresis: Fraction.fromDecimalString('0.1'),
    tokenSettings: new Map(),
    ...overrides,
  }
}

/** A clock that stays where it is put and never waits. */
export function fixtureClock(start = FIXED_TIME): Clock & { set(ms: number): void } {
  let now = start
  return {
    now: () => now,
    sleep: async () => {},
    set(ms) {
      now = ms
    },
  }
}
