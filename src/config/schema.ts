import { z } from 'zod'
import type { DustEventType } from '../domain/events.js'
import { Fraction } from '../domain/money/index.js'
import { CONVERSION_POLICIES } from '../domain/policy/ConversionPolicy.js'
import { isChecksumAddress } from './isChecksumAddress.js'

/**
 * The configuration schema of one strategy (`configs/modes/*.yaml`).
 *
 * The seed's keys are kept as they are (`mode`, `share_class`, `asset`, `lst_type`,
 * `staking_enabled`, `dust_delta`, `dust_monitoring_interval`, `dust_conversion_venue`,
 * `dust_conversion_path`); everything else is added by this project. Amounts, prices and
 * ratios are decimal strings (YAML numbers are read from their source text, never through
 * a float), so `dust_delta: 0.002` is exactly 2/1000.
 */

const DECIMAL = /^\d+(\.\d+)?$/
const SYMBOL = /^[A-Za-z0-9._-]{1,32}$/

/** A non-negative decimal written as text (`"1.25"`); numbers are accepted from code, not from YAML. */
export const decimalString = z
  .union([z.string(), z.number()], { error: 'a non-negative decimal number such as "1.25"' })
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .refine((value) => DECIMAL.test(value), { message: 'a non-negative decimal number such as "1.25"' })
  // 78 digits hold any uint256 amount, 36 places any token's decimals: more is a mistake or an attack on the arithmetic.
  .refine((value) => !DECIMAL.test(value) || /^\d{1,78}(\.\d{1,36})?$/.test(value), { message: 'a decimal number of at most 78 digits before the point and 36 after' })

const wholeNumber = (min: number, max: number) =>
  z
    .union([z.string(), z.number()], { error: `a whole number from ${min} to ${max}` })
    .transform((input) => (typeof input === 'number' ? input : /^\d+$/.test(input.trim()) ? Number(input) : Number.NaN))
    .refine((value) => Number.isInteger(value) && value >= min && value <= max, {
      message: `a whole number from ${min} to ${max}`,
    })

const bigWhole = z
  .union([z.string(), z.number()], { error: 'a whole number of at most 18 digits' })
  .transform((value) => String(value).trim())
  .refine((value) => /^\d{1,18}$/.test(value), { message: 'a whole number of at most 18 digits' })
  .transform((value) => BigInt(value))

/** A fraction in [0, 1) written as a decimal, such as `dust_delta: 0.002`. */
const unitFraction = decimalString.refine((value) => !DECIMAL.test(value) || Fraction.fromDecimalString(value).lessThan(Fraction.ONE), {
  message: 'a decimal from 0 (inclusive) to 1 (exclusive)',
})

const symbol = z.string().regex(SYMBOL, 'a token symbol of letters, digits, ".", "_" or "-"')
const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const address = z
  .string()
  .regex(ADDRESS, 'a 0x-prefixed 20-byte hex address')
  // A mixed-case address carries an EIP-55 checksum: a typo in it is refused here, before any wallet is read.
  .refine((value) => !ADDRESS.test(value) || isChecksumAddress(value), { message: 'an address whose mixed case matches its EIP-55 checksum (or written in one case)' })
const balances = z.record(symbol, decimalString)
const fileRef = z.string().min(1, 'a file path')
const marketName = z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, 'a market name BASE/QUOTE')
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/
const envName = z.string().regex(ENV_NAME, 'an environment variable name')

export const tokenSchema = z.strictObject({
  symbol,
  chain: z.string().min(1).default('ethereum'),
  address: address.optional(),
  decimals: wholeNumber(0, 36),
})

export const holdingSourceSchema = z.enum(['wallet_balance', 'claimable_rewards', 'exchange_balance'])

/** A venue that only holds balances, given inline or in a file (`balances:` at its top level). */
export const staticVenueSchema = z
  .strictObject({
    type: z.literal('static'),
    source: holdingSourceSchema,
    /** Chain of an on-chain holder (wallet, rewards distributor). */
    chain: z.string().min(1).default('ethereum'),
    /**
     * For `exchange_balance`: the conversion venue (a `static_cex` or `ccxt` venue) whose account
     * this is. Naming a `ccxt` venue makes these balances its account, on the exchange's real books.
     */
    exchange: z.string().min(1).optional(),
    balances: balances.optional(),
    file: fileRef.optional(),
  })
  .refine((venue) => (venue.balances === undefined) !== (venue.file === undefined), {
    message: 'exactly one of "balances" or "file"',
  })
  .refine((venue) => venue.source !== 'exchange_balance' || venue.exchange !== undefined, {
    message: 'an "exchange" naming the CEX venue that holds an exchange_balance',
  })

const bookLevel = z.tuple([decimalString, decimalString])

export const staticMarketSchema = z.strictObject({
  /** Smallest order value, in the market's quote currency. */
  min_notional: decimalString.default('0'),
  /** Amount step of the base currency, in whole tokens (`"0.01"`). */
  amount_step: decimalString.optional(),
  /** Bids as `[price, amount]`, best first. */
  bids: z.array(bookLevel).default([]),
  /** Asks as `[price, amount]`, best first. */
  asks: z.array(bookLevel).default([]),
})

/** A CEX whose markets are order-book snapshots given in the config (offline what-if and tests). */
export const staticCexVenueSchema = z.strictObject({
  type: z.literal('static_cex'),
  taker_fee_bps: decimalString.refine((fee) => !DECIMAL.test(fee) || Fraction.fromDecimalString(fee).lessThan(new Fraction(10_000n)), { message: 'a fee under 10000 bps' }).default('10'),
  /** Chain on which it accepts deposits of on-chain tokens. */
  deposit_chain: z.string().min(1).default('ethereum'),
  /** The strategy's deposit address there, to which paper and live runs send tokens before selling them. */
  deposit_address: address.optional(),
  markets: z.record(marketName, staticMarketSchema),
  balances: balances.optional(),
})

/**
 * A CEX reached through ccxt (Binance by default): its real markets, order books, tickers and
 * account. Registry symbols are matched to the exchange's currency codes, so a token must be
 * named as the exchange names it (`USDT`, `BTC`).
 *
 * Its account, read with the API keys, holds `exchange_balance` holdings; a `static` venue with
 * `exchange:` naming it replaces that account with given balances. In `paper` and `live`
 * execution with `paper: true`, sales fill on the fetched books against a paper account: a copy
 * of the real account taken at its first read (empty without keys), then moved by transfers and
 * paper sales.
 */
export const ccxtVenueSchema = z
  .strictObject({
    type: z.literal('ccxt'),
    /** The ccxt exchange id (`binance`, `okx`, `kraken`...), one of `ccxt.exchanges`. */
    exchange: z
      .string()
      .regex(/^[a-z0-9]+$/, 'a ccxt exchange id of lower-case letters and digits, such as "binance"')
      .default('binance'),
    /** Fills sales on paper against the real fetched order books; `false` sends real market orders, and only in execution mode `live`. */
    paper: z.boolean().default(true),
    /** Name of the environment variable holding the API key (never the key itself); required when `paper` is false. */
    api_key_env: z.string().optional(),
    /** Name of the environment variable holding the API secret; required when `paper` is false. */
    secret_env: z.string().optional(),
    /** Chain on which it accepts deposits of on-chain tokens. */
    deposit_chain: z.string().min(1).default('ethereum'),
    /** The strategy's deposit address there, to which on-chain tokens are sent before they are sold. */
    deposit_address: address.optional(),
    /** Markets (`BASE/QUOTE`, as ccxt writes them) to trade and price; every spot market between registry tokens when absent. */
    markets: z.array(marketName).min(1).optional(),
    /** Uses the exchange's test network (ccxt `setSandboxMode`). */
    sandbox: z.boolean().default(false),
  })
  .superRefine((venue, context) => {
    // Reported on the venue, not on the key: a key pasted in place of its variable's name must not be echoed.
    for (const key of ['api_key_env', 'secret_env'] as const) {
      const value = venue[key]
      if (value !== undefined && !ENV_NAME.test(value)) {
        context.addIssue({ code: 'custom', path: [], message: `${key} to be the name of an environment variable, such as BINANCE_API_KEY (the value itself is not shown)` })
      }
    }
  })

export const staticPoolSchema = z.strictObject({
  tokens: z.tuple([symbol, symbol]),
  /** Reserves in whole tokens, in the order of `tokens`. */
  reserves: z.tuple([decimalString, decimalString]),
  fee_bps: decimalString.default('30'),
})

/** A Uniswap V2-style AMM whose pool reserves are given in the config. */
export const staticAmmVenueSchema = z.strictObject({
  type: z.literal('static_amm'),
  chain: z.string().min(1).default('ethereum'),
  pools: z.array(staticPoolSchema).min(1),
})

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, 'a 0x-prefixed hex string')

/** A merkle distribution's claims file, as Uniswap's merkle-distributor tooling writes it. */
export const claimsFileSchema = z.object({
  merkleRoot: hex,
  tokenTotal: hex.optional(),
  claims: z.record(z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an address'), z.object({ index: wholeNumber(0, Number.MAX_SAFE_INTEGER), amount: hex, proof: z.array(hex) })),
})

/** An EVM wallet whose balances are read on chain (one multicall per chain per cycle). */
export const evmWalletVenueSchema = z.strictObject({
  type: z.literal('evm_wallet'),
  chain: z.string().min(1).default('ethereum'),
  address,
  /** Tokens to read; every registry token of the chain when absent. */
  tokens: z.array(symbol).optional(),
  /**
   * Whether tokens the registry lacks are looked for in the wallet's ERC-20 Transfer logs and
   * listed as `unverified_token` warnings (default true; never valued nor converted).
   */
  discover: z.boolean().optional(),
  /** Blocks per eth_getLogs request of token discovery (default 2000); halved when the node refuses a range. */
  discovery_block_range: wholeNumber(1, 1_000_000).optional(),
  /** First block token discovery scans when the event store has no cursor yet (default: 50,000 blocks before the latest). */
  discovery_from_block: wholeNumber(0, Number.MAX_SAFE_INTEGER).optional(),
  /** Most eth_getLogs ranges token discovery scans per cycle (default 25); the rest waits for the next cycles. */
  discovery_max_ranges_per_cycle: wholeNumber(1, 10_000).optional(),
})

/** Unclaimed rewards in a merkle distributor (`@uniswap/merkle-distributor` form) with its claims file. */
export const merkleRewardsVenueSchema = z
  .strictObject({
    type: z.literal('merkle_rewards'),
    chain: z.string().min(1).default('ethereum'),
    distributor: address,
    token: symbol,
    /** The account the rewards are for (the strategy's wallet). */
    account: address,
    /** JSON claims file: `merkleRoot` and, per account, `index`, `amount` (hex) and `proof`. */
    claims_file: fileRef.optional(),
    /** The claims themselves, inline (what `claims_file` is replaced with on loading). */
    claims: z.lazy(() => claimsFileSchema).optional(),
  })
  .refine((venue) => (venue.claims === undefined) !== (venue.claims_file === undefined), { message: 'exactly one of "claims_file" or "claims"' })

/** Where a cumulative distributor's proofs are read each cycle: an http(s) URL with `{account}` and `{chainId}` placeholders. */
const proofsUrl = z
  .string()
  .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
  .refine((url) => [...url.matchAll(/\{([^}]*)\}/g)].every((match) => match[1] === 'account' || match[1] === 'chainId'), {
    message: 'a URL whose only placeholders are {account} and {chainId}',
  })

/** The keys every cumulative merkle distributor venue has. */
const cumulativeDistributorKeys = {
  chain: z.string().min(1).default('ethereum'),
  /** The account the rewards are for (the strategy's wallet). */
  account: address,
  /** JSON proofs file, read again every cycle (roots change every few hours). */
  proofs_file: fileRef.optional(),
  /** URL the proofs are fetched from every cycle (10 s timeout, 4 MiB cap). */
  proofs_url: proofsUrl.optional(),
}

const exactlyOneProofsSource = [
  (venue: { proofs_file?: string | undefined; proofs_url?: string | undefined }) => (venue.proofs_file === undefined) !== (venue.proofs_url === undefined),
  { message: 'exactly one of "proofs_file" or "proofs_url"' },
] as const

/** Unclaimed rewards in Merkl's `Distributor`, with proofs in Merkl's API v4 rewards format. */
export const merklVenueSchema = z
  .strictObject({
    type: z.literal('merkl'),
    ...cumulativeDistributorKeys,
    /** Merkl's Distributor, the same address on every chain Merkl supports. */
    distributor: address.default('0x3Ef3D8bA38EBe18DB133cEc108f4D14CE00Dd9Ae'),
  })
  .refine(...exactlyOneProofsSource)

/** Unclaimed rewards in a Morpho Universal Rewards Distributor, with proofs in the Morpho rewards API's distributions format. */
export const morphoUrdVenueSchema = z
  .strictObject({
    type: z.literal('morpho_urd'),
    ...cumulativeDistributorKeys,
    distributor: address,
  })
  .refine(...exactlyOneProofsSource)

/** Unclaimed tokens of a cumulative merkle drop (1inch style), with its claims file. */
export const merkleDropVenueSchema = z
  .strictObject({
    type: z.literal('merkle_drop'),
    ...cumulativeDistributorKeys,
    distributor: address,
    /** The drop's token, a registry symbol. */
    token: symbol,
  })
  .refine(...exactlyOneProofsSource)

const uniswapPoolSchema = z.strictObject({
  tokens: z.tuple([symbol, symbol]),
  /** V3 fee tier in hundredths of a bip: 100, 500, 3000 or 10000. V2 pools all take 0.3 %. */
  fee: wholeNumber(1, 1_000_000)
    .refine((fee) => [100, 500, 3000, 10000].includes(fee), { message: 'a Uniswap V3 fee tier: 100, 500, 3000 or 10000' })
    .optional(),
})

/** Uniswap V2 on chain: UniswapV2Router02 and its factory. */
export const uniswapV2VenueSchema = z.strictObject({
  type: z.literal('uniswap_v2'),
  chain: z.string().min(1).default('ethereum'),
  router: address,
  factory: address,
  pools: z.array(uniswapPoolSchema).min(1),
})

/** Uniswap V3 on chain: SwapRouter, QuoterV2 and the factory. */
export const uniswapV3VenueSchema = z.strictObject({
  type: z.literal('uniswap_v3'),
  chain: z.string().min(1).default('ethereum'),
  router: address,
  quoter: address,
  factory: address,
  pools: z.array(uniswapPoolSchema).min(1),
})

export const venueSchema = z.discriminatedUnion('type', [
  staticVenueSchema,
  staticCexVenueSchema,
  staticAmmVenueSchema,
  ccxtVenueSchema,
  evmWalletVenueSchema,
  merkleRewardsVenueSchema,
  merklVenueSchema,
  morphoUrdVenueSchema,
  merkleDropVenueSchema,
  uniswapV2VenueSchema,
  uniswapV3VenueSchema,
])

/** An EVM chain the strategy reads and writes. */
export const chainSchema = z.strictObject({
  /** JSON-RPC endpoint; put credentials in `${ENV_VAR}`. They never reach a message. */
  rpc_url: z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
  chain_id: wholeNumber(1, 2 ** 31),
  /** Multicall3 on this chain; the canonical address by default. */
  multicall_address: address.default('0xcA11bde05977b3631167028862bE2a173976CA11'),
  /** Conversions with on-chain steps wait while the gas price is above this. */
  max_gas_price_gwei: decimalString.optional(),
  /**
   * A protected endpoint (a private mempool or order-flow relay) that swap transactions are sent
   * to (`eth_sendRawTransaction`) instead of `rpc_url`; every read stays on `rpc_url`. A secret:
   * put it in `${ENV_VAR}`; it never reaches a message.
   */
  private_rpc_url: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
    .optional(),
  /**
   * What a swap does when `private_rpc_url` fails: `never` (when absent) leaves it unsent, a
   * retryable failure; `public` sends it to `rpc_url`, into the public mempool where it can be
   * sandwiched.
   */
  private_rpc_fallback: z.enum(['never', 'public']).optional(),
})

export const staticPriceSourceSchema = z
  .strictObject({
    type: z.literal('static'),
    name: z.string().min(1).optional(),
    quote: symbol,
    prices: z.record(symbol, decimalString).optional(),
    file: fileRef.optional(),
  })
  .refine((source) => (source.prices === undefined) !== (source.file === undefined), {
    message: 'exactly one of "prices" or "file"',
  })

/** Spot prices of a Uniswap venue's pools (V2 reserves, V3 slot0), read each cycle. */
export const uniswapSpotPriceSourceSchema = z.strictObject({
  type: z.literal('uniswap_spot'),
  /** The uniswap_v2 or uniswap_v3 venue whose pools are read. */
  venue: z.string().min(1),
})

/**
 * Mid prices ((best bid + best ask) / 2) of a CEX venue's markets: the book snapshots of a
 * `static_cex` venue, or the tickers of a `ccxt` venue (its `markets`, else every spot market
 * between registry tokens).
 */
export const cexMidPriceSourceSchema = z.strictObject({
  type: z.literal('cex_mid'),
  /** The static_cex or ccxt venue whose markets are read. */
  venue: z.string().min(1),
})

/** An oracle-style rate, such as an LST's exchange rate (`weETH` in `ETH`). */
export const fixedRatePriceSourceSchema = z.strictObject({
  type: z.literal('fixed_rate'),
  name: z.string().min(1).optional(),
  base: symbol,
  quote: symbol,
  rate: decimalString,
})

/** One Chainlink feed (`AggregatorV3Interface`): `base` priced in `quote`. */
export const chainlinkFeedSchema = z.strictObject({
  /** A registry symbol. */
  base: symbol,
  /** A registry symbol, or a unit used only inside this source (`USD`) that joins two feeds into a pair of registry tokens. */
  quote: symbol,
  /** The feed's proxy (`EACAggregatorProxy`) address. */
  address,
  /** The feed's heartbeat as Chainlink publishes it: an answer older than this is refused. */
  heartbeat_seconds: z
    // Required, with no default: a wrong guess would pass stale answers or refuse fresh ones.
    .union([z.string(), z.number()], { error: "the feed's heartbeat in seconds, as Chainlink publishes it" })
    .pipe(wholeNumber(1, 86_400 * 7)),
})

/**
 * Chainlink feeds read on chain (`latestRoundData`, `decimals`) in the chain's Multicall3 batch;
 * each pair of registry tokens is a price source of its own (`chainlink:ETH/USDT`).
 */
export const chainlinkPriceSourceSchema = z.strictObject({
  type: z.literal('chainlink'),
  /** Prefix of the price sources' names (`chainlink` by default). */
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'a name of letters, digits, ".", "_" or "-"')
    .optional(),
  /** The chain (under `chains`) the feeds are read on. */
  chain: z.string().min(1),
  feeds: z.array(chainlinkFeedSchema).min(1),
})

/**
 * An LST's or vault's exchange rate read on chain in the chain's Multicall3 batch: weETH
 * `getRate()`, wstETH `stEthPerToken()` (both 18 decimals) or ERC-4626 `convertToAssets`.
 */
export const lstRatePriceSourceSchema = z.strictObject({
  type: z.literal('lst_rate'),
  name: z.string().min(1).optional(),
  /** The chain (under `chains`) the rate is read on. */
  chain: z.string().min(1),
  /** The LST or vault share token (a registry symbol). */
  base: symbol,
  /** What it is worth in: ETH for weETH and wstETH, the vault's asset for `convertToAssets`. */
  quote: symbol,
  method: z.enum(['getRate', 'stEthPerToken', 'convertToAssets']),
  /** The contract answering the rate; the base token's registry address by default. */
  contract: address.optional(),
})

export const priceSourceSchema = z.discriminatedUnion('type', [
  staticPriceSourceSchema,
  uniswapSpotPriceSourceSchema,
  cexMidPriceSourceSchema,
  fixedRatePriceSourceSchema,
  chainlinkPriceSourceSchema,
  lstRatePriceSourceSchema,
])

export const equitySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static'), value: decimalString.optional(), file: fileRef.optional() }).refine((equity) => (equity.value === undefined) !== (equity.file === undefined), {
    message: 'exactly one of "value" or "file"',
  }),
  /** Equity as the sum of every holding valued in the share class (LSTs at their exchange rate). */
  z.strictObject({ type: z.literal('holdings') }),
])

export const gasPriceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static'), gwei: decimalString }),
  /** The node's `eth_gasPrice`, read each cycle; the chain must be under `chains`. */
  z.strictObject({ type: z.literal('rpc') }),
])

/** Gas `execTransactionWithRole` adds around a call (measured on the local node, rounded up: see createEvmTransactor.roles.test.ts). */
export const ROLE_EXECUTION_GAS = 80_000n

export const gasUnitsSchema = z.strictObject({
  claim: bigWhole.default(90_000n),
  approve: bigWhole.default(55_000n),
  swap: bigWhole.default(180_000n),
  swap_extra_hop: bigWhole.default(70_000n),
  transfer: bigWhole.default(65_000n),
  /** Added to each on-chain step sent through a Safe's Roles modifier (`execution.signer.type: roles`): the modifier's checks and the Safe's module call. */
  role_execution: bigWhole.default(ROLE_EXECUTION_GAS),
})

export const dustTokenSettingsSchema = z.strictObject({
  /** Kill switch: `false` keeps the token out of every plan. */
  convert: z.boolean().default(true),
  /** Most whole tokens sold in one run; the rest waits for the next. */
  max_sell_per_run: decimalString.optional(),
})

/** Safe 1.4.1's MultiSendCallOnly, at the same address on every chain Safe deploys to. */
export const CANONICAL_MULTI_SEND_CALL_ONLY = '0x9641d764fc13c8B624c04430C7356C1C7C8102e2'

/** A Zodiac Roles role key: a name of 1 to 31 UTF-8 bytes (encoded as Zodiac's `encodeKey` does), or the 0x-prefixed bytes32 itself. */
const roleKey = z
  .string()
  .min(1, 'a role name of 1 to 31 bytes, or a 0x-prefixed bytes32 key')
  .refine((key) => /^0x[0-9a-fA-F]{64}$/.test(key) || (!key.startsWith('0x') && new TextEncoder().encode(key).length <= 31), {
    message: 'a role name of 1 to 31 bytes, or a 0x-prefixed bytes32 key',
  })

/**
 * A keeper key that acts through a Zodiac Roles modifier on a Safe: each on-chain step is sent
 * as `execTransactionWithRole` from the keeper, and the Safe holds the funds and executes the call.
 * The key comes from `private_key_env`, or `keystore_file` with `keystore_password_env`.
 */
export const rolesSignerSchema = z
  .strictObject({
    type: z.literal('roles'),
    private_key_env: envName.optional(),
    keystore_file: fileRef.optional(),
    keystore_password_env: envName.optional(),
    /** The chain (under `chains`) the Safe and its Roles modifier are on; other chains get no signer. */
    chain: z.string().min(1).default('ethereum'),
    /** The Safe that holds the strategy's funds (the Roles modifier's avatar and target). */
    safe: address,
    /** The Zodiac Roles modifier (v2) enabled as a module on the Safe. */
    roles_modifier: address,
    /** The role the keeper is a member of. */
    role: roleKey,
    /** The keeper's address: the key must be this account's, and the role's permissions name it. */
    keeper: address,
    /** MultiSendCallOnly the Safe batches the role's set-up through (`dust keeper permissions`). */
    multi_send: address.default(CANONICAL_MULTI_SEND_CALL_ONLY),
    /** First block `dust keeper check` reads the modifier's events from (its deployment block; 0 by default). */
    roles_from_block: wholeNumber(0, Number.MAX_SAFE_INTEGER).default(0),
  })
  .refine((signer) => (signer.private_key_env === undefined) !== (signer.keystore_file === undefined), { message: 'exactly one of "private_key_env" or "keystore_file"' })
  .refine((signer) => (signer.keystore_file === undefined) === (signer.keystore_password_env === undefined), {
    message: '"keystore_password_env" with "keystore_file", and only with it',
  })

/** Where the signing key comes from: never the config itself. */
export const signerSchema = z.union([z.strictObject({ private_key_env: envName }), z.strictObject({ keystore_file: fileRef, keystore_password_env: envName }), rolesSignerSchema])

export const executionSchema = z.strictObject({
  mode: z.enum(['dry-run', 'paper', 'live']).default('dry-run'),
  max_slippage_bps: wholeNumber(0, 10_000).default(50),
  /** Signs on-chain steps (claims, approvals, swaps, transfers to a CEX) in paper mode on a development chain, and live. */
  signer: signerSchema.optional(),
})

/** `lst_tokens` when the file gives none; these may be absent from the token registry (then they do nothing). */
export const DEFAULT_LST_TOKENS: readonly string[] = ['weETH', 'wstETH']

/** `equivalents` when the file gives none; the pair may be absent from the token registry. */
export const DEFAULT_EQUIVALENTS: Readonly<Record<string, string>> = { WETH: 'ETH' }

/** Every event type, as `notifications.events` may name them. */
export const NOTIFIABLE_EVENTS = [
  'dust_checked',
  'dust_detected',
  'dust_converted',
  'dust_conversion_failed',
  'dust_warning',
  'dust_cycle_failed',
  'conversion_state_changed',
] as const satisfies readonly DustEventType[]

// Fails to compile when an event type is added to the union and not to the list above.
const everyEventNotifiable: Exclude<DustEventType, (typeof NOTIFIABLE_EVENTS)[number]> extends never ? true : never = true
void everyEventNotifiable

const venueName = z.string().regex(/^[a-z0-9_-]+$/, 'a venue name of lower-case letters, digits, "_" or "-"')

/**
 * How `dust backtest` models the venues of the past: a Uniswap-style DEX whose pools sit at each
 * hour's close, and a CEX whose books are laid around it. Every figure has a default, so the
 * section is optional; the depths are assumptions the data files do not give.
 */
export const backtestSchema = z.strictObject({
  /** The rewards venue the position's EIGEN and ETHFI are claimable from (a claim is the first step of a conversion). */
  rewards_venue: venueName.default('etherfi'),
  /** Which of the two venues routes are quoted on. */
  venues: z
    .array(z.enum(['dex', 'cex']))
    .min(1)
    .default(['dex', 'cex']),
  dex: z
    .strictObject({
      name: venueName.default('uniswap'),
      /** WETH on each side of the EIGEN/WETH, ETHFI/WETH and WETH/USDT pools: the depth price impact comes from. */
      depth_weth: z
        .strictObject({ EIGEN: decimalString.default('500'), ETHFI: decimalString.default('200'), USDT: decimalString.default('10000') })
        .default({ EIGEN: '500', ETHFI: '200', USDT: '10000' }),
    })
    .default({ name: 'uniswap', depth_weth: { EIGEN: '500', ETHFI: '200', USDT: '10000' } }),
  cex: z
    .strictObject({
      name: venueName.default('binance'),
      taker_fee_bps: decimalString.default('10'),
      /** Least order value, in USDT. */
      min_notional: decimalString.default('5'),
      /** Base amount step of the EIGEN and ETHFI markets, in whole tokens. */
      amount_step: decimalString.default('0.01'),
      /** Base amount step of the ETH/USDT market (the second hop to an ETH share class). */
      eth_amount_step: decimalString.default('0.0001'),
      /** Best bid under the hour's close, in bps. */
      half_spread_bps: decimalString.default('5'),
      /** Each further bid level this many bps lower. */
      level_step_bps: decimalString.default('10'),
      /** USDT on each bid level. */
      level_value: decimalString.default('25000'),
      levels: wholeNumber(1, 100).default(5),
    })
    .default({
      name: 'binance',
      taker_fee_bps: '10',
      min_notional: '5',
      amount_step: '0.01',
      eth_amount_step: '0.0001',
      half_spread_bps: '5',
      level_step_bps: '10',
      level_value: '25000',
      levels: 5,
    }),
  /** The cost-aware policy: sell a token when the risk of holding it for `horizon_hours` exceeds what selling it now costs. */
  cost_aware: z
    .strictObject({
      /** Hours the dust would otherwise be held: about the time to the next reward. */
      horizon_hours: wholeNumber(1, 8_760).default(168),
      /** Trailing hours of returns the volatility is measured over. */
      volatility_hours: wholeNumber(24, 8_760).default(720),
      /** Standard deviations of the horizon's move counted as the cost of holding. */
      risk_multiplier: decimalString.default('1'),
    })
    .default({ horizon_hours: 168, volatility_hours: 720, risk_multiplier: '1' }),
})

/** A fraction from 0 to 1, both included, written as a decimal (`cheap_share: 0.5`). */
const shareFraction = decimalString.refine((value) => !DECIMAL.test(value) || !Fraction.fromDecimalString(value).greaterThan(Fraction.ONE), {
  message: 'a decimal from 0 to 1',
})

/** `dust_policy`: the conversion policy the monitor and the backtest share; `threshold` (the seed's rule on `dust_delta`) when absent. */
export const dustPolicySchema = z
  .strictObject({
    name: z.enum(CONVERSION_POLICIES),
    /** Dust value tolerated, in bps of equity; `dust_delta` in bps when absent. Not for `threshold`, whose budget is `dust_delta`. */
    risk_budget_bps: wholeNumber(1, 10_000).optional(),
    /** Percentile of the trailing hourly gas prices at or under which gas counts as cheap. */
    gas_percentile: wholeNumber(0, 100).default(50),
    /** Hours of gas prices the percentile is taken over. */
    gas_window_hours: wholeNumber(2, 8_760).default(168),
    /** Hours of prices the volatility `riskiest_first` ranks by is measured over (live: prices the monitor recorded hourly). */
    volatility_hours: wholeNumber(2, 8_760).default(720),
    /** `gas_aware`: share of the budget the dust must reach before cheap gas converts it. */
    cheap_share: shareFraction.default('0.5'),
    /** `claim_batching`: most a claim's gas may cost, in bps of the value it claims, to be made under the budget. */
    claim_cost_max_bps: wholeNumber(1, 10_000).default(50),
    /** `venue_size`: least value of a sale sent to a CEX, in whole share-class tokens. */
    cex_min_value: decimalString.default('1'),
    /** `riskiest_first`: share of the budget the dust is brought down to. */
    target_share: shareFraction.default('0.5'),
  })
  .superRefine((policy, context) => {
    if (policy.name === 'threshold' && policy.risk_budget_bps !== undefined) {
      context.addIssue({ code: 'custom', path: ['risk_budget_bps'], message: 'no risk_budget_bps for the threshold policy: its budget is dust_delta' })
    }
  })

export const strategyConfigSchema = z.strictObject({
  // At most 64 characters: the HTTP API takes a mode in its paths and queries up to that length.
  mode: z.string().regex(/^[a-z0-9_]{1,64}$/, 'a strategy mode name of 1 to 64 lower-case letters, digits and "_"'),
  share_class: symbol,
  asset: symbol,
  lst_type: z.string().min(1).optional(),
  staking_enabled: z.boolean().default(false),
  dust_delta: unitFraction,
  /** Relative band below `dust_delta` the ratio must fall under before the threshold re-arms. */
  dust_hysteresis: unitFraction.default('0.1'),
  /** Which policy decides when dust is converted (`threshold` when absent). */
  dust_policy: dustPolicySchema.optional(),
  dust_monitoring_interval: wholeNumber(1, 86_400).default(300),
  dust_conversion_venue: z.string().min(1).optional(),
  dust_conversion_path: z.array(symbol).min(2).optional(),
  /** Further tokens that are never dust (LSTs besides `lst_type`). */
  lst_tokens: z.array(symbol).default(() => [...DEFAULT_LST_TOKENS]),
  /** Tokens that count as another (WETH as ETH). */
  equivalents: z.record(symbol, symbol).default(() => ({ ...DEFAULT_EQUIVALENTS })),
  /** Tokens never reported nor converted (spam airdrops). */
  ignore_tokens: z.array(symbol).default([]),
  dust_tokens: z.record(symbol, dustTokenSettingsSchema).default({}),
  /** Margin over a venue minimum an order must clear, against price moves before it fills. */
  min_notional_buffer_bps: wholeNumber(0, 10_000).default(100),
  /** Most hops a conversion path may take. */
  max_hops: wholeNumber(1, 3).default(2),
  gas_units: gasUnitsSchema.default({
    claim: 90_000n,
    approve: 55_000n,
    swap: 180_000n,
    swap_extra_hop: 70_000n,
    transfer: 65_000n,
    role_execution: ROLE_EXECUTION_GAS,
  }),
  tokens: z.array(tokenSchema).min(1),
  chains: z.record(z.string().min(1), chainSchema).default({}),
  venues: z.record(z.string().regex(/^[a-z0-9_-]+$/, 'a venue name of lower-case letters, digits, "_" or "-"'), venueSchema),
  prices: z.array(priceSourceSchema).default([]),
  equity: equitySchema.default({ type: 'holdings' }),
  gas_price: z.record(z.string().min(1), gasPriceSchema).default({}),
  execution: executionSchema.default({ mode: 'dry-run', max_slippage_bps: 50 }),
  /** The durable event log: SQLite at `sqlite_file` (relative to the config file), or PostgreSQL when DATABASE_URL is set. */
  event_store: z.strictObject({ sqlite_file: fileRef.default('var/dust-events.db') }).optional(),
  /** `dust serve`: where the HTTP API listens, and the bearer token of its scan and convert routes (off without one). */
  api: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: wholeNumber(0, 65_535).default(8080),
      token: z.string().min(16, 'a token of at least 16 characters').optional(),
    })
    .optional(),
  /** A Slack-compatible webhook told of the chosen events. */
  notifications: z
    .strictObject({
      webhook_url: z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
      events: z.array(z.enum(NOTIFIABLE_EVENTS)).min(1).default(['dust_conversion_failed', 'dust_cycle_failed']),
    })
    .optional(),
  /** Seconds after which a price is too old to use: the token is unpriced until a fresh one comes. */
  max_price_age: wholeNumber(1, 86_400 * 7).default(600),
  /** Seconds a price may be stamped ahead of this clock (the source's clock running fast); further ahead, it is not used. */
  max_price_clock_skew: wholeNumber(0, 3_600).default(30),
  /** Largest disagreement, in bps, between two sources' prices of a token before its conversion is refused. */
  max_price_deviation_bps: wholeNumber(0, 10_000).default(200),
  /** `dust backtest`: how the venues of the past are modelled and the cost-aware policy tuned. */
  backtest: backtestSchema.optional(),
})

/** A validated strategy configuration as the schema returns it. */
export type StrategyConfig = z.output<typeof strategyConfigSchema>
export type VenueConfig = z.output<typeof venueSchema>
export type StaticCexVenueConfig = z.output<typeof staticCexVenueSchema>
export type StaticAmmVenueConfig = z.output<typeof staticAmmVenueSchema>
export type StaticVenueConfig = z.output<typeof staticVenueSchema>
export type CcxtVenueConfig = z.output<typeof ccxtVenueSchema>
export type PriceSourceConfig = z.output<typeof priceSourceSchema>
export type EquityConfig = z.output<typeof equitySchema>
export type HoldingSourceName = z.output<typeof holdingSourceSchema>
export type ChainConfig = z.output<typeof chainSchema>
export type SignerConfig = z.output<typeof signerSchema>
export type RolesSignerConfig = z.output<typeof rolesSignerSchema>

/** Tells whether a signer is a keeper acting through a Safe's Roles modifier (`type: roles`). */
export function isRolesSigner(signer: SignerConfig | undefined): signer is RolesSignerConfig {
  return signer !== undefined && 'type' in signer && signer.type === 'roles'
}

/** Where a signer's key comes from: an environment variable, or a keystore file and its password's variable. */
export type SignerKeySource =
  | { private_key_env: string; keystore_file?: undefined; keystore_password_env?: undefined }
  | { keystore_file: string; keystore_password_env: string; private_key_env?: undefined }

/** The key source of a signer's settings, whichever its type (the schema has checked that it gives exactly one). */
export function signerKeySource(signer: SignerConfig): SignerKeySource {
  if ('private_key_env' in signer && signer.private_key_env !== undefined) return { private_key_env: signer.private_key_env }
  const keystore = 'keystore_file' in signer ? signer.keystore_file : undefined
  const password = 'keystore_password_env' in signer ? signer.keystore_password_env : undefined
  return { keystore_file: keystore ?? '', keystore_password_env: password ?? '' }
}
export type BacktestConfig = z.output<typeof backtestSchema>
export type DustPolicyConfig = z.output<typeof dustPolicySchema>
