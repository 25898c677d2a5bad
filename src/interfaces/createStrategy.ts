import type { CcxtExchange } from '../adapters/ccxt/CcxtExchange.js'
import { createCcxtBalanceSource } from '../adapters/ccxt/createCcxtBalanceSource.js'
import { type CreateCcxtExchangeOptions, createCcxtExchange } from '../adapters/ccxt/createCcxtExchange.js'
import { type CcxtPaperAccount, createCcxtPaperAccount } from '../adapters/ccxt/createCcxtPaperAccount.js'
import { createCcxtPriceSource } from '../adapters/ccxt/createCcxtPriceSource.js'
import { createCcxtSeller } from '../adapters/ccxt/createCcxtSeller.js'
import { type CcxtVenue, createCcxtVenue } from '../adapters/ccxt/createCcxtVenue.js'
import { createPaperExecutionManager } from '../adapters/paper/createPaperExecutionManager.js'
import { createStaticAmmVenue } from '../adapters/static/createStaticAmmVenue.js'
import { type StaticBalanceSource, createStaticBalanceSource } from '../adapters/static/createStaticBalanceSource.js'
import { createStaticCexVenue } from '../adapters/static/createStaticCexVenue.js'
import { createHoldingsEquitySource, createStaticEquitySource } from '../adapters/static/createStaticEquitySource.js'
import { createStaticGasPriceSource } from '../adapters/static/createStaticGasPriceSource.js'
import { createStaticPriceSource } from '../adapters/static/createStaticPriceSource.js'
import { type Address, type LocalAccount, getAddress } from 'viem'
import { createErc20TransferExecutor } from '../adapters/evm/createErc20TransferExecutor.js'
import { type EvmChains, createEvmChains } from '../adapters/evm/createEvmChains.js'
import { createEvmBalanceSource } from '../adapters/evm/createEvmBalanceSource.js'
import { type EvmTransactor, createEvmTransactor } from '../adapters/evm/createEvmTransactor.js'
import { createVenueExecutionManager } from '../adapters/execution/createVenueExecutionManager.js'
import type { ClaimsFile } from '../adapters/merkle/createBalanceTree.js'
import { createMerkleClaimExecutor, estimateMerkleClaimGas } from '../adapters/merkle/createMerkleClaimExecutor.js'
import { createMerkleRewardsSource } from '../adapters/merkle/createMerkleRewardsSource.js'
import { createPaperCexSeller } from '../adapters/paper/createPaperCexSeller.js'
import { createOrderBookMidPriceSource } from '../adapters/static/createOrderBookMidPriceSource.js'
import type { StaticCexVenue } from '../adapters/static/createStaticCexVenue.js'
import { createUniswapPriceSource } from '../adapters/uniswap/createUniswapPriceSource.js'
import { type UniswapVenue, createUniswapVenue } from '../adapters/uniswap/createUniswapVenue.js'
import type { CcxtVenueConfig, ChainConfig, StrategyConfig } from '../config/index.js'
import type { Custody, DustPolicy, DustTokenSettings } from '../domain/dust/index.js'
import { Amount, type Currency, Fraction, createCurrency } from '../domain/money/index.js'
import { type OrderBookMarket, createOrderBookLevel } from '../domain/planning/orderBook.js'
import type { ConstantProductPool } from '../domain/planning/quoteConstantProduct.js'
import type { PlanningSettings, Strategy } from '../engine/Strategy.js'
import { makeResilient } from '../engine/makeResilient.js'
import { BaseError, ConfigError } from '../errors/index.js'
import type {
  BalanceSource,
  ClaimExecutor,
  Clock,
  ConversionVenue,
  ExecutionManager,
  PriceSource,
  SellExecutor,
  SwapExecutor,
  TransferExecutor,
} from '../ports/index.js'

/** A gwei as a 9-decimal unit of wei, to read gas prices exactly. */
const GWEI = createCurrency({ symbol: 'gwei', decimals: 9 })

export type CreateStrategyParameters = {
  config: StrategyConfig
  clock: Clock
  /** The process's chains, shared by every strategy so that each chain is read in one batch per cycle. */
  chains?: EvmChains | undefined
  /** Signs on-chain steps in paper (development chains) and live mode; loaded by the caller from `execution.signer`. */
  signer?: LocalAccount | undefined
  /** Environment the API keys of ccxt venues are read from (`api_key_env`, `secret_env`); `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Builds the ccxt exchange of a `ccxt` venue; `createCcxtExchange` (`new ccxt[id](...)`) by default, a recorded exchange in tests. */
  createExchange?: ((id: string, options: CreateCcxtExchangeOptions) => CcxtExchange) | undefined
}

/** Builds the token registry of a configuration; the native coin of a chain is its token without an address. */
export function createRegistry(config: StrategyConfig): { registry: Map<string, Currency>; natives: Map<string, Currency> } {
  const registry = new Map<string, Currency>()
  const natives = new Map<string, Currency>()
  for (const token of config.tokens) {
    const currency = createCurrency({ symbol: token.symbol, decimals: token.decimals, chain: token.chain, address: token.address as `0x${string}` | undefined })
    registry.set(token.symbol, currency)
    if (token.address === undefined && !natives.has(token.chain)) natives.set(token.chain, currency)
  }
  return { registry, natives }
}

/**
 * Builds the ccxt exchange of a venue with its API key and secret read from `env`. A key
 * variable the configuration names must be set; its value reaches ccxt only, never a message.
 */
function buildCcxtExchange(
  mode: string,
  name: string,
  venue: CcxtVenueConfig,
  env: Readonly<Record<string, string | undefined>>,
  createExchange: (id: string, options: CreateCcxtExchangeOptions) => CcxtExchange,
): CcxtExchange {
  const where = `the ${mode} strategy`
  const secret = (key: 'api_key_env' | 'secret_env', what: string): string | undefined => {
    const variable = venue[key]
    if (variable === undefined) return undefined
    const value = env[variable]
    if (value === undefined || value === '') {
      throw new ConfigError(where, [{ path: `venues.${name}.${key}`, expected: `${variable} to hold the ${what} of ${name}`, found: `${variable} ${value === undefined ? 'is not set' : 'is empty'}` }])
    }
    return value
  }
  const apiKey = secret('api_key_env', 'API key')
  const secretValue = secret('secret_env', 'API secret')
  try {
    return createExchange(venue.exchange, { apiKey, secret: secretValue, sandbox: venue.sandbox })
  } catch (error) {
    const found = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error)
    throw new ConfigError(where, [{ path: `venues.${name}`, expected: `a ${venue.exchange} exchange ccxt can build${venue.sandbox ? ' with a sandbox' : ''}`, found }], { cause: error })
  }
}

/** How the planner searches and prices routes for a configuration (live and in the backtest alike). */
export function createPlanningSettings(config: StrategyConfig): PlanningSettings {
  return {
    preference: { venue: config.dust_conversion_venue, path: config.dust_conversion_path },
    maxHops: config.max_hops,
    maxSlippageBps: config.execution.max_slippage_bps,
    minNotionalBufferBps: config.min_notional_buffer_bps,
    gasUnits: { claim: config.gas_units.claim, approve: config.gas_units.approve, transfer: config.gas_units.transfer },
  }
}

/** Per chain, the gas price in wei above which on-chain conversions wait (`chains.<name>.max_gas_price_gwei`). */
export function createGasPriceCaps(config: StrategyConfig): Map<string, bigint> {
  return new Map(
    Object.entries(config.chains)
      .filter(([, chain]) => chain.max_gas_price_gwei !== undefined)
      .map(([name, chain]) => [name, Amount.parse(GWEI, chain.max_gas_price_gwei as string).raw]),
  )
}

/** Builds the dust policy of a configuration. */
export function createDustPolicy(config: StrategyConfig, registry: ReadonlyMap<string, Currency>): DustPolicy {
  const get = (symbol: string) => registry.get(symbol) as Currency
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
  const { config, clock, signer } = parameters
  const env = parameters.env ?? process.env
  const createExchange = parameters.createExchange ?? createCcxtExchange
  const chains = parameters.chains ?? createEvmChains()
  const chainOf = (name: string) => chains.get(name, config.chains[name] as ChainConfig)
  const { registry, natives } = createRegistry(config)
  const get = (symbol: string) => registry.get(symbol) as Currency
  const policy = createDustPolicy(config, registry)
  const balances = (values: Record<string, string> | undefined) =>
    Object.entries(values ?? {}).map(([symbol, text]) => Amount.parse(get(symbol), text))
  const executing = config.execution.mode !== 'dry-run'
  const transactors = new Map<string, EvmTransactor>()
  const transactorOf = (chain: string): EvmTransactor | undefined => {
    if (!executing || !signer) return undefined
    let transactor = transactors.get(chain)
    if (!transactor) {
      const native = natives.get(chain) ?? createCurrency({ symbol: 'ETH', decimals: 18, chain })
      transactor = createEvmTransactor({ chain: chainOf(chain), account: signer, native })
      transactors.set(chain, transactor)
    }
    return transactor
  }

  const balanceSources: StaticBalanceSource[] = []
  // Sources read from a chain or an exchange, listed after the static ones.
  const chainSources: BalanceSource[] = []
  const venues: ConversionVenue[] = []
  const staticVenues: Array<ConversionVenue & { execute: StaticCexVenue['execute'] }> = []
  const cexBooks = new Map<string, OrderBookMarket[]>()
  const uniswapVenues = new Map<string, { venue: UniswapVenue; version: 'v2' | 'v3'; chain: string }>()
  const ccxtVenues = new Map<string, { venue: CcxtVenue; exchange: CcxtExchange; markets: readonly string[] | undefined }>()
  const paperAccounts = new Map<string, CcxtPaperAccount>()
  const claimers = new Map<string, ClaimExecutor>()
  const claimGasEstimators = new Map<string, () => Promise<bigint | undefined>>()
  // The wallet of each chain: gas of claims and approvals is estimated from it.
  const owners = new Map<string, Address>()
  for (const venue of Object.values(config.venues)) if (venue.type === 'evm_wallet' && !owners.has(venue.chain)) owners.set(venue.chain, getAddress(venue.address))
  const estimateFor = (chain: string) => {
    const owner = owners.get(chain)
    return owner ? { owner, client: chainOf(chain).client } : undefined
  }
  const swappers = new Map<string, SwapExecutor>()
  const sellers = new Map<string, SellExecutor>()
  const depositAddresses = new Map<string, Address>()
  let realVenues = false
  for (const [name, venue] of Object.entries(config.venues)) {
    if (venue.type === 'static') {
      const custody: Custody =
        venue.source === 'exchange_balance' ? { kind: 'exchange', exchange: venue.exchange as string } : { kind: 'onchain', chain: venue.chain }
      balanceSources.push(createStaticBalanceSource({ name, source: venue.source, custody, balances: balances(venue.balances) }))
    } else if (venue.type === 'static_cex') {
      const markets: OrderBookMarket[] = Object.entries(venue.markets).map(([symbol, market]) => {
        const [baseSymbol = '', quoteSymbol = ''] = symbol.split('/')
        const base = get(baseSymbol)
        const quote = get(quoteSymbol)
        return {
          symbol,
          base,
          quote,
          bids: market.bids.map(([price, size]) => createOrderBookLevel(base, quote, price, size)),
          asks: market.asks.map(([price, size]) => createOrderBookLevel(base, quote, price, size)),
          takerFeeBps: Fraction.fromDecimalString(venue.taker_fee_bps),
          minNotional: Amount.parse(quote, market.min_notional, 'up'),
          amountStep: market.amount_step === undefined ? undefined : Amount.parse(base, market.amount_step).raw,
        }
      })
      cexBooks.set(name, markets)
      const cex = createStaticCexVenue({ name, chain: venue.deposit_chain, markets })
      venues.push(cex)
      staticVenues.push(cex)
      // The exchange account: what is bought or deposited there shows up as exchange_balance.
      const account = createStaticBalanceSource({ name, source: 'exchange_balance', custody: { kind: 'exchange', exchange: name }, balances: balances(venue.balances) })
      balanceSources.push(account)
      sellers.set(name, createPaperCexSeller({ venue: cex, account }))
      if (venue.deposit_address) depositAddresses.set(name, getAddress(venue.deposit_address))
    } else if (venue.type === 'ccxt') {
      realVenues = true
      const exchange = buildCcxtExchange(config.mode, name, venue, env, createExchange)
      const live = config.execution.mode === 'live' && !venue.paper
      const ccxtVenue = createCcxtVenue({ name, chain: venue.deposit_chain, exchange, registry, clock, paper: !live, markets: venue.markets })
      venues.push(ccxtVenue)
      ccxtVenues.set(name, { venue: ccxtVenue, exchange, markets: venue.markets })
      // A static exchange_balance venue naming this one is its account; otherwise the real account is read with the keys.
      const standIn = Object.values(config.venues).some((other) => other.type === 'static' && other.source === 'exchange_balance' && other.exchange === name)
      if (!standIn) {
        const account = venue.api_key_env === undefined ? undefined : createCcxtBalanceSource({ name, exchange, registry })
        if (executing && !live) {
          const paper = createCcxtPaperAccount({ name, account })
          paperAccounts.set(name, paper)
          balanceSources.push(paper)
        } else if (account) chainSources.push(account)
      }
      if (venue.deposit_address) depositAddresses.set(name, getAddress(venue.deposit_address))
    } else if (venue.type === 'evm_wallet') {
      realVenues = true
      const tokens = venue.tokens?.map(get) ?? [...registry.values()].filter((token) => token.chain === venue.chain)
      chainSources.push(createEvmBalanceSource({ name, owner: getAddress(venue.address), tokens, batcher: chainOf(venue.chain).batcher }))
    } else if (venue.type === 'merkle_rewards') {
      realVenues = true
      const source = createMerkleRewardsSource({
        name,
        distributor: getAddress(venue.distributor),
        token: get(venue.token),
        account: getAddress(venue.account),
        claims: venue.claims as ClaimsFile,
        batcher: chainOf(venue.chain).batcher,
      })
      chainSources.push(source)
      const from = owners.get(venue.chain)
      if (from) claimGasEstimators.set(name, () => estimateMerkleClaimGas({ source, client: chainOf(venue.chain).client, from }))
      const transactor = transactorOf(venue.chain)
      if (transactor) claimers.set(name, createMerkleClaimExecutor({ source, transactor }))
    } else if (venue.type === 'uniswap_v2' || venue.type === 'uniswap_v3') {
      realVenues = true
      const version = venue.type === 'uniswap_v2' ? 'v2' : 'v3'
      const uniswap = createUniswapVenue({
        name,
        version,
        router: getAddress(venue.router),
        factory: getAddress(venue.factory),
        quoter: venue.type === 'uniswap_v3' ? getAddress(venue.quoter) : undefined,
        pools: venue.pools.map((pool) => ({ tokens: [get(pool.tokens[0]), get(pool.tokens[1])] as const, fee: pool.fee })),
        batcher: chainOf(venue.chain).batcher,
        gas: { swap: config.gas_units.swap, extraHop: config.gas_units.swap_extra_hop },
        transactor: transactorOf(venue.chain),
        estimateFor: estimateFor(venue.chain),
      })
      venues.push(uniswap)
      swappers.set(name, uniswap)
      uniswapVenues.set(name, { venue: uniswap, version, chain: venue.chain })
    } else {
      const pools: ConstantProductPool[] = venue.pools.map((pool) => {
        const token0 = get(pool.tokens[0])
        const token1 = get(pool.tokens[1])
        return {
          name: `${pool.tokens[0]}/${pool.tokens[1]}`,
          token0,
          token1,
          reserve0: Amount.parse(token0, pool.reserves[0]).raw,
          reserve1: Amount.parse(token1, pool.reserves[1]).raw,
          feeBps: Fraction.fromDecimalString(pool.fee_bps),
        }
      })
      const amm = createStaticAmmVenue({ name, chain: venue.chain, pools, gas: { swap: config.gas_units.swap, extraHop: config.gas_units.swap_extra_hop } })
      venues.push(amm)
      staticVenues.push(amm)
    }
  }
  if (executing) {
    for (const [name, { venue }] of ccxtVenues) {
      // The account a paper sale moves: its own paper account, else the static venue standing in for it (which transfers credit too).
      const account =
        paperAccounts.get(name) ??
        balanceSources.find((source) => source.source === 'exchange_balance' && source.custody.kind === 'exchange' && source.custody.exchange === name)
      sellers.set(name, createCcxtSeller({ venue, account: venue.paper ? account : undefined }))
    }
  }
  const priceSources: PriceSource[] = config.prices.map((source, index) => {
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
      case 'uniswap_spot': {
        const uniswap = uniswapVenues.get(source.venue) as { venue: UniswapVenue; version: 'v2' | 'v3'; chain: string }
        return createUniswapPriceSource({ name: source.venue, version: uniswap.version, pools: uniswap.venue.pools, batcher: chainOf(uniswap.chain).batcher, clock })
      }
      case 'cex_mid': {
        const ccxtVenue = ccxtVenues.get(source.venue)
        if (!ccxtVenue) return createOrderBookMidPriceSource({ name: source.venue, markets: () => cexBooks.get(source.venue) ?? [], clock })
        const { venue, exchange, markets } = ccxtVenue
        return createCcxtPriceSource({
          name: source.venue,
          exchange,
          registry,
          markets: markets ?? (async () => (await venue.tradablePairs()).map(([base, quote]) => `${base.symbol}/${quote.symbol}`)),
          clock,
        })
      }
    }
  })
  const equitySource =
    config.equity.type === 'static' ? createStaticEquitySource(Amount.parse(policy.shareClass, config.equity.value ?? '0', 'down')) : createHoldingsEquitySource(policy)
  const gasPrices = Object.entries(config.gas_price).map(([chain, gas]) =>
    gas.type === 'static' ? createStaticGasPriceSource({ chain, gwei: gas.gwei }) : chainOf(chain).gasPrice,
  )

  let executionManager: ExecutionManager | undefined
  if (executing && realVenues) {
    // On-chain steps are signed; a transfer to a paper CEX lands on chain at its deposit address and credits the paper account.
    const transferers = new Map<string, TransferExecutor>()
    for (const chain of Object.keys(config.chains)) {
      const transactor = transactorOf(chain)
      if (!transactor) continue
      const onchain = createErc20TransferExecutor({ transactor, depositAddresses })
      transferers.set(chain, {
        async transfer(to, amount, journal) {
          const result = await onchain.transfer(to, amount, journal)
          const account = balanceSources.find((source) => source.source === 'exchange_balance' && source.custody.kind === 'exchange' && source.custody.exchange === to)
          if (result.ok && account) account.credit(amount)
          return result
        },
      })
    }
    const transactionLookups = new Map([...transactors].map(([chain, transactor]) => [chain, transactor.lookup] as const))
    executionManager = createVenueExecutionManager({ name: config.execution.mode, claimers, swappers, sellers, transferers, registry, transactionLookups })
  } else if (config.execution.mode === 'paper') {
    // Paper claims need a wallet to claim into; add an empty one per chain where none is configured.
    for (const chain of new Set(balanceSources.filter((s) => s.custody.kind === 'onchain').map((s) => (s.custody as { chain: string }).chain))) {
      if (!balanceSources.some((s) => s.source === 'wallet_balance' && s.custody.kind === 'onchain' && s.custody.chain === chain)) {
        balanceSources.push(createStaticBalanceSource({ name: `wallet-${chain}`, source: 'wallet_balance', custody: { kind: 'onchain', chain }, balances: [] }))
      }
    }
    executionManager = createPaperExecutionManager({ balanceSources, venues: staticVenues, registry })
  }

  return makeResilient({
    policy,
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
  }, { clock })
}
