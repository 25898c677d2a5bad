import type { LocalAccount } from 'viem'
import type { CcxtExchange } from '../adapters/ccxt/CcxtExchange.js'
import type { CreateCcxtExchangeOptions } from '../adapters/ccxt/createCcxtExchange.js'
import type { EvmChain, EvmChains } from '../adapters/evm/createEvmChains.js'
import { createPaperExecutionManager } from '../adapters/paper/createPaperExecutionManager.js'
import { createStaticBalanceSource } from '../adapters/static/createStaticBalanceSource.js'
import { createHoldingsEquitySource, createStaticEquitySource } from '../adapters/static/createStaticEquitySource.js'
import { createStaticGasPriceSource } from '../adapters/static/createStaticGasPriceSource.js'
import { createStaticPriceSource } from '../adapters/static/createStaticPriceSource.js'
import { type StrategyConfig, isRolesSigner } from '../config/index.js'
import type { DustPolicy, DustTokenSettings } from '../domain/dust/index.js'
import { Amount, type Currency, Fraction, createCurrency } from '../domain/money/index.js'
import type { PlanningSettings, Strategy } from '../engine/Strategy.js'
import { makeResilient } from '../engine/makeResilient.js'
import { BaseError } from '../errors/index.js'
import type { Clock, EventStore, ExecutionManager, Logger, PriceSource } from '../ports/index.js'
import type { VenueBuildContext, VenueBuilders, VenueConfigOf, VenueType } from './venues/VenueBuilder.js'
import type { OnchainPriceSourceType, PriceSourceBuilders, PriceSourceConfigOf } from './prices/PriceSourceBuilder.js'
import { createVenueAssembly } from './venues/createVenueAssembly.js'
import { createConversionPolicy } from './createConversionPolicy.js'

/** A gwei as a 9-decimal unit of wei, to read gas prices exactly. */
const GWEI = createCurrency({ symbol: 'gwei', decimals: 9 })

export type CreateStrategyParameters = {
  config: StrategyConfig
  clock: Clock
  /** The builders of the strategy's venue types, loaded by `loadVenueBuilders`. */
  venueBuilders: VenueBuilders
  /** The builders of the strategy's on-chain price source types (`chainlink`, `lst_rate`), loaded by `loadPriceSourceBuilders`. */
  priceSourceBuilders?: PriceSourceBuilders | undefined
  /**
   * The process's chains (`createEvmChains`), shared by every strategy so that each chain is read
   * in one batch per cycle; needed when a venue or a gas price reads a chain.
   */
  chains?: EvmChains | undefined
  /** Signs on-chain steps in paper (development chains) and live mode; loaded by the caller from `execution.signer`. */
  signer?: LocalAccount | undefined
  /** Environment the API keys of ccxt venues are read from (`api_key_env`, `secret_env`); `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Builds the ccxt exchange of a `ccxt` venue; `createCcxtExchange` (`new ccxt[id](...)`) by default, a recorded exchange in tests. */
  createExchange?: ((id: string, options: CreateCcxtExchangeOptions) => CcxtExchange) | undefined
  /**
   * The event store, where token discovery keeps each wallet's cursor and the tokens it found, so
   * that a restart resumes there; without one, discovery keeps them in memory for the process.
   */
  store?: Pick<EventStore, 'readTokenDiscovery' | 'recordTokenDiscovery'> | undefined
  /** Where adapters that log (token discovery's progress) write; quiet without one. */
  logger?: Logger | undefined
}

/** Whether a text is a 0x-prefixed hexadecimal string (the schema has checked token addresses already). */
function isHexText(text: string): text is `0x${string}` {
  return /^0x[0-9a-fA-F]*$/.test(text)
}

/** The currency of a configured symbol; the configuration check has tied every symbol to the registry. */
export function currencyOf(registry: ReadonlyMap<string, Currency>, symbol: string): Currency {
  const currency = registry.get(symbol)
  if (currency === undefined) throw new BaseError(`The token ${symbol} is not in the token registry (${[...registry.keys()].join(', ')}).`)
  return currency
}

/** The price source a venue offers for a price source naming it; the configuration check has tied each to a venue of the right type. */
function priceSourceOf(sources: ReadonlyMap<string, () => PriceSource>, venue: string, what: string): PriceSource {
  const create = sources.get(venue)
  if (create === undefined) throw new BaseError(`The price source names ${venue}, which is not ${what}.`)
  return create()
}

/** Builds the token registry of a configuration; the native coin of a chain is its token without an address. */
export function createRegistry(config: StrategyConfig): { registry: Map<string, Currency>; natives: Map<string, Currency> } {
  const registry = new Map<string, Currency>()
  const natives = new Map<string, Currency>()
  for (const token of config.tokens) {
    if (token.address !== undefined && !isHexText(token.address)) throw new BaseError(`The address of ${token.symbol} is not hexadecimal: ${token.address}.`)
    const currency = createCurrency({ symbol: token.symbol, decimals: token.decimals, chain: token.chain, address: token.address })
    registry.set(token.symbol, currency)
    if (token.address === undefined && !natives.has(token.chain)) natives.set(token.chain, currency)
  }
  return { registry, natives }
}

/** How the planner searches and prices routes for a configuration (live and in the backtest alike). */
export function createPlanningSettings(config: StrategyConfig): PlanningSettings {
  return {
    preference: { venue: config.dust_conversion_venue, path: config.dust_conversion_path },
    maxHops: config.max_hops,
    maxSlippageBps: config.execution.max_slippage_bps,
    minNotionalBufferBps: config.min_notional_buffer_bps,
    gasUnits: {
      claim: config.gas_units.claim,
      approve: config.gas_units.approve,
      transfer: config.gas_units.transfer,
      // Only the keeper's steps pass through the Roles modifier; a key that owns the wallet calls directly.
      perOnchainStep: isRolesSigner(config.execution.signer) ? config.gas_units.role_execution : 0n,
    },
  }
}

/** Per chain, the gas price in wei above which on-chain conversions wait (`chains.<name>.max_gas_price_gwei`). */
export function createGasPriceCaps(config: StrategyConfig): Map<string, bigint> {
  return new Map(Object.entries(config.chains).flatMap(([name, chain]) => (chain.max_gas_price_gwei === undefined ? [] : [[name, Amount.parse(GWEI, chain.max_gas_price_gwei).raw] as const])))
}

/** Builds the dust policy of a configuration. */
export function createDustPolicy(config: StrategyConfig, registry: ReadonlyMap<string, Currency>): DustPolicy {
  const get = (symbol: string) => currencyOf(registry, symbol)
  const tokenSettings = new Map<string, DustTokenSettings>()
  for (const [symbol, settings] of Object.entries(config.dust_tokens)) {
    tokenSettings.set(symbol, {
      convert: settings.convert,
      maxSellPerRun: settings.max_sell_per_run === undefined ? undefined : Amount.parse(get(symbol), settings.max_sell_per_run),
    })
  }
  return {
    mode: config.mode,
    shareClass: get(config.share_class),
    asset: get(config.asset),
    lsts: new Set([...(config.lst_type ? [config.lst_type] : []), ...config.lst_tokens]),
    equivalents: new Map(Object.entries(config.equivalents)),
    ignored: new Set(config.ignore_tokens),
    dustDelta: Fraction.fromDecimalString(config.dust_delta),
    hysteresis: Fraction.fromDecimalString(config.dust_hysteresis),
    tokenSettings,
  }
}

/**
 * Wires a validated configuration to its adapters: the composition root of one strategy.
 *
 * With static venues only, `paper` moves the static balances as instructions execute. With
 * real venues (an EVM wallet, merkle rewards, Uniswap, ccxt), `paper` and `live` sign on-chain
 * steps with `signer`, and CEX sales fill on the paper book of a `static_cex` venue or on the
 * fetched books of a `ccxt` venue against its paper account. A ccxt venue sends real orders
 * only in `live` with `paper: false`. `dry-run` gets no execution manager.
 *
 * Throws `ConfigError` when a ccxt venue's key variable is not set in `env`, or its exchange
 * cannot be built as configured.
 */
export function createStrategy(parameters: CreateStrategyParameters): Strategy {
  const { config, clock, signer, chains, venueBuilders } = parameters
  const env = parameters.env ?? process.env
  const chainOf = (name: string): EvmChain => {
    const chain = Object.hasOwn(config.chains, name) ? config.chains[name] : undefined
    if (chain === undefined) throw new BaseError(`The chain ${name} is not configured under chains (${Object.keys(config.chains).join(', ')}).`)
    if (chains === undefined) throw new BaseError(`The ${config.mode} strategy reads the chain ${name}: createStrategy needs the process's chains (createEvmChains()).`)
    return chains.get(name, chain)
  }
  const { registry, natives } = createRegistry(config)
  const get = (symbol: string) => currencyOf(registry, symbol)
  const policy = createDustPolicy(config, registry)
  const balances = (values: Record<string, string> | undefined) => Object.entries(values ?? {}).map(([symbol, text]) => Amount.parse(get(symbol), text))
  const executing = config.execution.mode !== 'dry-run'
  // The wallet of each chain: gas of claims and approvals is estimated from it.
  const owners = new Map<string, string>()
  for (const venue of Object.values(config.venues)) if (venue.type === 'evm_wallet' && !owners.has(venue.chain)) owners.set(venue.chain, venue.address)
  const context: VenueBuildContext = {
    config,
    clock,
    env,
    createExchange: parameters.createExchange,
    registry,
    natives,
    signer,
    currency: get,
    balances,
    executing,
    chainOf,
    owners,
    store: parameters.store,
    logger: parameters.logger,
  }
  const assembly = createVenueAssembly()
  // One builder per venue type; the generic ties each type to the builder of its configuration.
  const build = <T extends VenueType>(name: string, type: T, venue: VenueConfigOf<T>) => {
    const builder = venueBuilders[type]
    if (builder === undefined) throw new BaseError(`No builder is loaded for venues of type ${type} (venues.${name}): load them with loadVenueBuilders.`)
    builder(context, assembly, name, venue)
  }
  for (const [name, venue] of Object.entries(config.venues)) build(name, venue.type, venue)
  for (const finish of assembly.finishers) finish()
  const { balanceSources, chainSources, venues, staticVenues, claimGasEstimators } = assembly
  // A source entry may give several price sources (a Chainlink entry gives one per pair).
  const buildOnchain = <T extends OnchainPriceSourceType>(type: T, source: PriceSourceConfigOf<T>): PriceSource[] => {
    const builder = parameters.priceSourceBuilders?.[type]
    if (builder === undefined) throw new BaseError(`No builder is loaded for price sources of type ${type}: load them with loadPriceSourceBuilders.`)
    return builder({ config, clock, registry, currency: get, chainOf }, source)
  }
  const priceSources: PriceSource[] = config.prices.flatMap((source, index): PriceSource | PriceSource[] => {
    switch (source.type) {
      case 'static':
        return createStaticPriceSource({
          name: source.name ?? `static#${index}`,
          quote: get(source.quote),
          prices: Object.entries(source.prices ?? {}).map(([symbol, text]) => [get(symbol), text] as const),
          clock,
        })
      case 'fixed_rate':
        return createStaticPriceSource({ name: source.name ?? 'oracle', quote: get(source.quote), prices: [[get(source.base), source.rate]], clock })
      // The configuration check has tied each of these to a venue of the right type.
      case 'uniswap_spot':
        return priceSourceOf(assembly.spotPriceSources, source.venue, 'a Uniswap venue')
      case 'cex_mid':
        return priceSourceOf(assembly.midPriceSources, source.venue, 'a CEX venue')
      // Read on a chain: built by their row of `priceSourceBuilders`, loaded only when configured.
      case 'chainlink':
        return buildOnchain('chainlink', source)
      case 'lst_rate':
        return buildOnchain('lst_rate', source)
      default:
        // The schema admits only the types above; `satisfies never` makes a new one fail to compile until it is built here.
        throw new BaseError(`The price source ${JSON.stringify(source satisfies never)} has a type that createStrategy does not build.`)
    }
  })
  const equitySource = config.equity.type === 'static' ? createStaticEquitySource(Amount.parse(policy.shareClass, config.equity.value ?? '0', 'down')) : createHoldingsEquitySource(policy)
  const gasPrices = Object.entries(config.gas_price).map(([chain, gas]) => (gas.type === 'static' ? createStaticGasPriceSource({ chain, gwei: gas.gwei }) : chainOf(chain).gasPrice))

  let executionManager: ExecutionManager | undefined
  if (executing && assembly.realExecution) {
    executionManager = assembly.realExecution.createExecutionManager()
  } else if (config.execution.mode === 'paper') {
    // Paper claims need a wallet to claim into; add an empty one per chain where none is configured.
    for (const chain of new Set(balanceSources.flatMap(({ custody }) => (custody.kind === 'onchain' ? [custody.chain] : [])))) {
      if (!balanceSources.some((s) => s.source === 'wallet_balance' && s.custody.kind === 'onchain' && s.custody.chain === chain)) {
        balanceSources.push(createStaticBalanceSource({ name: `wallet-${chain}`, source: 'wallet_balance', custody: { kind: 'onchain', chain }, balances: [] }))
      }
    }
    executionManager = createPaperExecutionManager({ balanceSources, venues: staticVenues, registry })
  }

  return makeResilient(
    {
      policy,
      conversionPolicy: createConversionPolicy(config),
      registry,
      natives,
      planning: createPlanningSettings(config),
      balanceSources: [...balanceSources, ...chainSources],
      priceSources,
      equitySource,
      venues,
      gasPrices,
      gasPriceCaps: createGasPriceCaps(config),
      executionMode: config.execution.mode,
      executionManager,
      monitoringIntervalMs: config.dust_monitoring_interval * 1000,
      claimGasEstimators,
      priceChecks: { maxAgeMs: config.max_price_age * 1000, maxClockSkewMs: config.max_price_clock_skew * 1000, maxDeviationBps: config.max_price_deviation_bps },
    },
    { clock },
  )
}
