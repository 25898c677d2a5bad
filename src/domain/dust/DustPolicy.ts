import type { Amount, Currency, Fraction } from '../money/index.js'

/** Per-token switches of the dust policy. */
export type DustTokenSettings = {
  /** `false` is the kill switch: the token is reported but never converted. */
  readonly convert: boolean
  /** Most of the token sold in one run. */
  readonly maxSellPerRun?: Amount | undefined
}

/** Is everything the detector and planner need to know about one strategy's dust rules. */
export type DustPolicy = {
  readonly mode: string
  readonly shareClass: Currency
  readonly asset: Currency
  /** LST symbols that are never dust (the strategy's `lst_type` and any others). */
  readonly lsts: ReadonlySet<string>
  /** Symbols that count as another (WETH → ETH). */
  readonly equivalents: ReadonlyMap<string, string>
  readonly ignored: ReadonlySet<string>
  readonly dustDelta: Fraction
  /** Relative band under `dustDelta` the ratio must fall below before the threshold re-arms. */
  readonly hysteresis: Fraction
  readonly tokenSettings: ReadonlyMap<string, DustTokenSettings>
}
