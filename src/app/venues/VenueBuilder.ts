import type { LocalAccount } from 'viem'
import type { CcxtExchange } from '../../adapters/ccxt/CcxtExchange.js'
import type { CreateCcxtExchangeOptions } from '../../adapters/ccxt/createCcxtExchange.js'
import type { EvmChain } from '../../adapters/evm/createEvmChains.js'
import type { EvmTransactor } from '../../adapters/evm/createEvmTransactor.js'
import type { StaticBalanceSource } from '../../adapters/static/createStaticBalanceSource.js'
import type { StaticCexVenue } from '../../adapters/static/createStaticCexVenue.js'
import type { StrategyConfig, VenueConfig } from '../../config/index.js'
import type { Amount, Currency } from '../../domain/money/index.js'
import type { BalanceSource, ClaimExecutor, Clock, ConversionVenue, EventStore, ExecutionManager, Logger, PriceSource, SellExecutor, SwapExecutor } from '../../ports/index.js'

/** The type of a venue as the configuration names it (`static`, `ccxt`, `uniswap_v3`, ...). */
export type VenueType = VenueConfig['type']

/** The configuration of a venue of one type. */
export type VenueConfigOf<T extends VenueType> = Extract<VenueConfig, { type: T }>

/** What every venue builder reads: the configuration and the shared pieces of the strategy being built. */
export type VenueBuildContext = {
  config: StrategyConfig
  clock: Clock
  /** Environment the API keys of ccxt venues are read from. */
  env: Readonly<Record<string, string | undefined>>
  /** Builds the ccxt exchange of a `ccxt` venue; the ccxt builder uses `createCcxtExchange` when absent. */
  createExchange: ((id: string, options: CreateCcxtExchangeOptions) => CcxtExchange) | undefined
  registry: ReadonlyMap<string, Currency>
  /** The native coin of each chain that has one in the registry. */
  natives: ReadonlyMap<string, Currency>
  /** Signs on-chain steps when the strategy executes (see `useRealExecution`). */
  signer: LocalAccount | undefined
  /** The currency of a configured token symbol (the schema has checked that it exists). */
  currency: (symbol: string) => Currency
  /** Parses a configured `symbol: amount` map into amounts. */
  balances: (values: Record<string, string> | undefined) => Amount[]
  /** Whether the strategy executes (any mode but `dry-run`). */
  executing: boolean
  chainOf: (name: string) => EvmChain
  /** The wallet of each chain, as configured: gas of claims and approvals is estimated from it. */
  owners: ReadonlyMap<string, string>
  /** Where token discovery keeps its cursors and the tokens found; in memory when absent. */
  store: Pick<EventStore, 'readTokenDiscovery' | 'recordTokenDiscovery'> | undefined
  /** Where adapters that log write; quiet when absent. */
  logger: Logger | undefined
}

/** A venue that also executes its own paper instructions (static CEX and AMM venues). */
export type StaticVenue = ConversionVenue & { execute: StaticCexVenue['execute'] }

/** What the venue builders add to, in configuration order; `createStrategy` assembles the strategy from it. */
export type VenueAssembly = {
  /** Static balance sources, listed first; paper execution moves them. */
  balanceSources: StaticBalanceSource[]
  /** Sources read from a chain or an exchange, listed after the static ones. */
  chainSources: BalanceSource[]
  venues: ConversionVenue[]
  staticVenues: StaticVenue[]
  claimers: Map<string, ClaimExecutor>
  claimGasEstimators: Map<string, () => Promise<bigint | undefined>>
  swappers: Map<string, SwapExecutor>
  sellers: Map<string, SellExecutor>
  /** Per CEX venue, its deposit address as configured (checksummed where transfers are built: a static strategy needs no viem). */
  depositAddresses: Map<string, string>
  /** Per venue, the source of its spot prices (`uniswap_spot`). */
  spotPriceSources: Map<string, () => PriceSource>
  /** Per venue, the source of its order book mid prices (`cex_mid`). */
  midPriceSources: Map<string, () => PriceSource>
  /** Steps run once every venue is built, in configuration order (a ccxt seller finds the account standing in for it). */
  finishers: Array<() => void>
  /** Set by the first venue that reads or writes a real chain or exchange (see `useRealExecution`): execution then signs and sends. */
  realExecution: RealExecution | undefined
}

/** How a strategy with real venues signs and executes. */
export type RealExecution = {
  /** The signing transactor of a chain, when the strategy executes with a signer. */
  transactorOf(chain: string): EvmTransactor | undefined
  /** Builds the execution manager once every venue is built. */
  createExecutionManager(): ExecutionManager
}

/** Builds the adapters of one configured venue into the assembly. */
export type VenueBuilder<T extends VenueType = VenueType> = (context: VenueBuildContext, assembly: VenueAssembly, name: string, venue: VenueConfigOf<T>) => void

/** Loads the builder of each venue type, with the adapters it imports; see `venueBuilders`. */
export type VenueBuilderTable = { readonly [T in VenueType]: () => Promise<VenueBuilder<T>> }

/** The loaded builders of the venue types a strategy has (see `loadVenueBuilders`). */
export type VenueBuilders = { readonly [T in VenueType]?: VenueBuilder<T> | undefined }
