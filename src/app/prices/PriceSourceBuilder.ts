import type { EvmChain } from '../../adapters/evm/createEvmChains.js'
import type { PriceSourceConfig, StrategyConfig } from '../../config/index.js'
import type { Currency } from '../../domain/money/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'

/** The price source types read on a chain, whose adapters (viem) are loaded only when configured. */
export type OnchainPriceSourceType = Extract<PriceSourceConfig['type'], 'chainlink' | 'lst_rate'>

/** The configuration of a price source of one type. */
export type PriceSourceConfigOf<T extends PriceSourceConfig['type']> = Extract<PriceSourceConfig, { type: T }>

/** What an on-chain price source builder reads: the configuration and the strategy's registry and chains. */
export type PriceSourceBuildContext = {
  config: StrategyConfig
  clock: Clock
  registry: ReadonlyMap<string, Currency>
  /** The currency of a configured token symbol (the schema has checked that it exists). */
  currency: (symbol: string) => Currency
  chainOf: (name: string) => EvmChain
}

/** Builds the price sources of one configured entry of `prices:` (a Chainlink entry gives one per pair). */
export type PriceSourceBuilder<T extends OnchainPriceSourceType = OnchainPriceSourceType> = (context: PriceSourceBuildContext, source: PriceSourceConfigOf<T>) => PriceSource[]

/** Loads the builder of each on-chain price source type, with the adapters it imports. */
export type PriceSourceBuilderTable = { readonly [T in OnchainPriceSourceType]: () => Promise<PriceSourceBuilder<T>> }

/** The loaded builders of the on-chain price source types a strategy has (see `loadPriceSourceBuilders`). */
export type PriceSourceBuilders = { readonly [T in OnchainPriceSourceType]?: PriceSourceBuilder<T> | undefined }
