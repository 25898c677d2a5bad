import { resolve } from 'node:path'
import { z } from 'zod'
import { ConfigError, type ConfigIssue, FileRefusedError } from '../errors/index.js'
import { Fraction } from '../domain/money/index.js'
import { type ConfigFiles, type FileRoot, REFERENCED_FILE_MAX_BYTES } from './ConfigFiles.js'
import { formatBytes } from './formatBytes.js'
import { describeKind, formatPath, hideSecrets, issuesFromZod, parseYaml, quoteText } from './parseYaml.js'
import { DEFAULT_EQUIVALENTS, DEFAULT_LST_TOKENS, claimsFileSchema, decimalString, type StrategyConfig, isRolesSigner, signerKeySource } from './schema.js'

/** Venue types that hold an exchange account and quote from order books. */
const CEX_TYPES: readonly string[] = ['static_cex', 'ccxt']

/** A problem the schema cannot see (a symbol missing from the registry, a venue that does not exist). */
export type ConfigCheckIssue = ConfigIssue & { keyPath: PropertyKey[] }

const balancesFile = z.strictObject({ balances: z.record(z.string(), decimalString) })
const pricesFile = z.strictObject({ prices: z.record(z.string(), decimalString) })
const equityFile = z.strictObject({ value: decimalString })

export type InlineFileReferencesOptions = {
  /** Reads the referenced files. */
  files: ConfigFiles
  baseDir: string
  env: Readonly<Record<string, string | undefined>>
  /** The configuration file, named when a file it references cannot be read. */
  file?: string | undefined
  /** Line of a key path in the configuration file. */
  lineOf?: ((path: readonly PropertyKey[]) => number | undefined) | undefined
  /** Folders referenced files may lie in; `baseDir` alone when absent. */
  roots?: readonly FileRoot[] | undefined
  /** Receives the key paths (in the configuration) and names of the `${VAR}`s used in referenced files. */
  onSecret?: ((path: string, names: readonly string[], values: ReadonlyMap<string, string>) => void) | undefined
}

/** What a refused reference was expected to be, naming the folders it may lie in. */
export function expectedReference(roots: readonly FileRoot[], what = `a regular text file of at most ${formatBytes(REFERENCED_FILE_MAX_BYTES)}`): string {
  const names = roots.map((root) => root.name)
  const where = names.includes('DUST_SECRETS_DIR') ? names.join(' or ') : `${names.join(' or ')} (or DUST_SECRETS_DIR, when set)`
  return `${what} inside ${where}`
}

function rootsOf(options: InlineFileReferencesOptions): readonly FileRoot[] {
  return options.roots ?? [{ path: options.baseDir, name: "the configuration's folder" }]
}

async function readReferenced<T>(schema: z.ZodType<T>, options: InlineFileReferencesOptions, keyPath: PropertyKey[], reference: string, inlinedAt: PropertyKey[]): Promise<T> {
  const { baseDir, env } = options
  const path = resolve(baseDir, reference)
  const roots = rootsOf(options)
  let text: string
  try {
    text = await options.files.read({ file: path, maxBytes: REFERENCED_FILE_MAX_BYTES, roots })
  } catch (cause) {
    if (!(cause instanceof FileRefusedError)) throw cause
    throw new ConfigError(options.file ?? reference, [{ path: formatPath(keyPath), line: options.lineOf?.(keyPath), expected: expectedReference(roots), found: `${path}: ${cause.reason}` }])
  }
  const parsed = parseYaml(text, path, env)
  for (const [secretPath, names] of parsed.secrets.paths) {
    const prefix = formatPath(inlinedAt)
    options.onSecret?.(`${prefix}${secretPath.startsWith('[') ? '' : '.'}${secretPath}`, names, parsed.secrets.values)
  }
  const result = schema.safeParse(parsed.value)
  // A referenced file could be anything (a key, a .env): its values are described, never shown.
  if (!result.success) throw new ConfigError(path, hideSecrets(issuesFromZod(result.error, parsed.value, parsed.lineOf, describeKind), parsed.secrets))
  return result.data
}

/** Resolves a file a venue reads later to its real path, refused outside the roots or when it is not a regular file. */
async function resolveReferenced(options: InlineFileReferencesOptions, keyPath: PropertyKey[], reference: string): Promise<string> {
  const path = resolve(options.baseDir, reference)
  const roots = rootsOf(options)
  try {
    return await options.files.resolve({ file: path, roots })
  } catch (cause) {
    if (!(cause instanceof FileRefusedError)) throw cause
    throw new ConfigError(options.file ?? reference, [{ path: formatPath(keyPath), line: options.lineOf?.(keyPath), expected: expectedReference(roots), found: `${path}: ${cause.reason}` }])
  }
}

/**
 * Replaces every `file:` reference of static sources with the file's content, so that the
 * rest of the program sees inline values only. Paths are relative to the configuration file,
 * and must stay inside its folder (or DUST_SECRETS_DIR), which `options.files` enforces.
 */
export async function inlineFileReferences(config: StrategyConfig, options: InlineFileReferencesOptions): Promise<StrategyConfig> {
  const venues: StrategyConfig['venues'] = {}
  for (const [name, venue] of Object.entries(config.venues)) {
    if (venue.type === 'static' && venue.file !== undefined) {
      const { balances } = await readReferenced(balancesFile, options, ['venues', name, 'file'], venue.file, ['venues', name])
      venues[name] = { ...venue, balances }
    } else if (venue.type === 'merkle_rewards' && venue.claims_file !== undefined) {
      const claims = await readReferenced(claimsFileSchema, options, ['venues', name, 'claims_file'], venue.claims_file, ['venues', name, 'claims'])
      venues[name] = { ...venue, claims }
    } else if ((venue.type === 'merkl' || venue.type === 'morpho_urd' || venue.type === 'merkle_drop') && venue.proofs_file !== undefined) {
      // Proofs change every few hours: the file is read every cycle, so only its real path is checked and kept.
      venues[name] = { ...venue, proofs_file: await resolveReferenced(options, ['venues', name, 'proofs_file'], venue.proofs_file) }
    } else {
      venues[name] = venue
    }
  }
  const prices: StrategyConfig['prices'] = []
  for (const [index, source] of config.prices.entries()) {
    if (source.type === 'static' && source.file !== undefined) {
      const loaded = await readReferenced(pricesFile, options, ['prices', index, 'file'], source.file, ['prices', index])
      prices.push({ ...source, prices: loaded.prices })
    } else {
      prices.push(source)
    }
  }
  let equity = config.equity
  if (equity.type === 'static' && equity.file !== undefined) {
    const loaded = await readReferenced(equityFile, options, ['equity', 'file'], equity.file, ['equity'])
    equity = { ...equity, value: loaded.value }
  }
  return { ...config, venues, prices, equity }
}

/** Key paths whose values `inlineFileReferences` read from files: messages describe them, never show them. */
export function inlinedKeyPaths(config: StrategyConfig): string[] {
  const paths: string[] = []
  for (const [name, venue] of Object.entries(config.venues)) {
    if (venue.type === 'static' && venue.file !== undefined) paths.push(formatPath(['venues', name, 'balances']))
    if (venue.type === 'merkle_rewards' && venue.claims_file !== undefined) paths.push(formatPath(['venues', name, 'claims']))
  }
  config.prices.forEach((source, index) => {
    if (source.type === 'static' && source.file !== undefined) paths.push(formatPath(['prices', index, 'prices']))
  })
  if (config.equity.type === 'static' && config.equity.file !== undefined) paths.push(formatPath(['equity', 'value']))
  return paths
}

/**
 * Checks the file references that are not read when the configuration loads (the signer's
 * keystore, the SQLite event log): each must stay inside the roots once symbolic links are
 * resolved, and be a regular file when it exists.
 */
export async function checkFileReferences(config: StrategyConfig, options: { files: ConfigFiles; baseDir: string; roots: readonly FileRoot[] }): Promise<ConfigCheckIssue[]> {
  const references: Array<{ keyPath: PropertyKey[]; reference: string; what: string }> = []
  const keystore = config.execution.signer && signerKeySource(config.execution.signer).keystore_file
  if (keystore !== undefined)
    references.push({
      keyPath: ['execution', 'signer', 'keystore_file'],
      reference: keystore,
      what: `an Ethereum keystore: a regular file of at most ${formatBytes(REFERENCED_FILE_MAX_BYTES)}`,
    })
  if (config.event_store !== undefined) references.push({ keyPath: ['event_store', 'sqlite_file'], reference: config.event_store.sqlite_file, what: 'a SQLite file (a regular file, or none yet)' })
  const issues: ConfigCheckIssue[] = []
  for (const { keyPath, reference, what } of references) {
    const path = resolve(options.baseDir, reference)
    try {
      await options.files.resolve({ file: path, roots: options.roots, mayBeMissing: true })
    } catch (cause) {
      if (!(cause instanceof FileRefusedError)) throw cause
      issues.push({ keyPath, path: formatPath(keyPath), expected: expectedReference(options.roots, what), found: `${path}: ${cause.reason}` })
    }
  }
  return issues
}

/** What the configuration is checked against beyond itself. */
export type CheckStrategyConfigOptions = {
  /** The exchange ids ccxt knows (`ccxt.exchanges`); a ccxt venue's exchange is not checked without them. */
  ccxtExchanges?: readonly string[] | undefined
}

/**
 * Checks what the schema cannot: that every symbol is in the token registry, that amounts fit
 * their token's decimals, that named venues exist, that a ccxt venue names an exchange ccxt
 * knows (among `options.ccxtExchanges`) and, for real orders, its API key variables. Returns
 * every problem found.
 */
export function checkStrategyConfig(config: StrategyConfig, options: CheckStrategyConfigOptions = {}): ConfigCheckIssue[] {
  const { ccxtExchanges } = options
  const issues: ConfigCheckIssue[] = []
  const decimals = new Map<string, number>()
  const known = () => [...decimals.keys()].join(', ')
  const issue = (keyPath: PropertyKey[], expected: string, found: string) => issues.push({ keyPath, path: formatPath(keyPath), expected, found })

  config.tokens.forEach((token, index) => {
    if (decimals.has(token.symbol)) issue(['tokens', index, 'symbol'], 'each symbol once in the token registry', `${quoteText(token.symbol)} a second time`)
    decimals.set(token.symbol, token.decimals)
  })
  const symbol = (keyPath: PropertyKey[], value: string) => {
    if (decimals.has(value)) return
    // Symbols are case-sensitive (weETH is not WEETH): a near miss is named.
    const near = [...decimals.keys()].find((candidate) => candidate.toLowerCase() === value.toLowerCase())
    issue(keyPath, `a symbol from the token registry (${known()})`, `${quoteText(value)}${near === undefined ? '' : ` (did you mean ${near}?)`}`)
  }
  const venueOf = (name: string) => (Object.hasOwn(config.venues, name) ? config.venues[name] : undefined)
  const amount = (keyPath: PropertyKey[], token: string, value: string | undefined) => {
    if (value === undefined) return
    const places = decimals.get(token)
    const text = value.split('.')[1] ?? ''
    if (places !== undefined && text.replace(/0+$/, '').length > places) {
      issue(keyPath, `at most ${places} decimals for ${token}`, quoteText(value))
    }
  }

  symbol(['share_class'], config.share_class)
  symbol(['asset'], config.asset)
  for (const [index, step] of (config.dust_conversion_path ?? []).entries()) symbol(['dust_conversion_path', index], step)
  for (const [from, to] of Object.entries(config.equivalents)) {
    // The default pair (WETH: ETH) may name tokens the registry lacks; any other names registry tokens,
    // or it would silently do nothing.
    if (DEFAULT_EQUIVALENTS[from] !== to) {
      symbol(['equivalents', from], from)
      symbol(['equivalents', from], to)
    }
    if (decimals.has(from) && decimals.has(to) && decimals.get(from) !== decimals.get(to)) {
      issue(['equivalents', from], `${from} and ${to} to have the same decimals to count one as the other`, `${decimals.get(from)} and ${decimals.get(to)}`)
    }
  }
  for (const [index, token] of config.lst_tokens.entries()) {
    if (!DEFAULT_LST_TOKENS.includes(token)) symbol(['lst_tokens', index], token)
  }
  for (const [index, token] of config.ignore_tokens.entries()) symbol(['ignore_tokens', index], token)
  for (const [token, settings] of Object.entries(config.dust_tokens)) {
    symbol(['dust_tokens', token], token)
    amount(['dust_tokens', token, 'max_sell_per_run'], token, settings.max_sell_per_run)
  }

  const venueNames = (types: readonly string[]) =>
    Object.entries(config.venues)
      .filter(([, venue]) => types.includes(venue.type))
      .map(([venueName]) => venueName)
      .join(', ') || 'none configured'

  for (const [name, venue] of Object.entries(config.venues)) {
    const held = venue.type === 'static' || venue.type === 'static_cex' ? (venue.balances ?? {}) : {}
    for (const [token, value] of Object.entries(held)) {
      symbol(['venues', name, 'balances', token], token)
      amount(['venues', name, 'balances', token], token, value)
    }
    if (venue.type === 'static' && venue.source !== 'exchange_balance') {
      for (const token of Object.keys(venue.balances ?? {})) {
        const chain = config.tokens.find((candidate) => candidate.symbol === token)?.chain
        if (chain !== undefined && chain !== venue.chain) issue(['venues', name, 'balances', token], `a token on ${venue.chain}, the venue's chain`, `${token} on ${chain}`)
      }
    }
    if (venue.type === 'static' && venue.exchange !== undefined) {
      if (!CEX_TYPES.includes(venueOf(venue.exchange)?.type ?? '')) {
        issue(['venues', name, 'exchange'], `the name of a CEX venue (${venueNames(CEX_TYPES)})`, quoteText(venue.exchange))
      }
    }
    if (venue.type === 'ccxt') {
      if (ccxtExchanges !== undefined && !ccxtExchanges.includes(venue.exchange)) {
        issue(['venues', name, 'exchange'], `an exchange id ccxt knows (one of the ${ccxtExchanges.length} of ccxt.exchanges, such as binance, coinbase, kraken or okx)`, quoteText(venue.exchange))
      }
      venue.markets?.forEach((market, index) => {
        const [base = '', quote = ''] = market.split('/')
        symbol(['venues', name, 'markets', index], base)
        symbol(['venues', name, 'markets', index], quote)
        if (base === quote) issue(['venues', name, 'markets', index], 'a market of two different tokens', quoteText(market))
        if (venue.markets?.indexOf(market) !== index) issue(['venues', name, 'markets', index], 'each market once', `${quoteText(market)} a second time`)
      })
      for (const [key, what] of [
        ['api_key_env', 'API key'],
        ['secret_env', 'API secret'],
      ] as const) {
        if (venue[key] !== undefined) continue
        const other = key === 'api_key_env' ? venue.secret_env : venue.api_key_env
        if (!venue.paper) issue(['venues', name, key], `the name of the environment variable holding the ${what}: real orders (paper: false) need it`, 'none')
        else if (other !== undefined)
          issue(['venues', name, key], `the name of the environment variable holding the ${what}, since ${key === 'api_key_env' ? 'secret_env' : 'api_key_env'} is given (both or neither)`, 'none')
      }
    }
    if (venue.type === 'static_cex') {
      for (const [market, settings] of Object.entries(venue.markets)) {
        const [base = '', quote = ''] = market.split('/')
        symbol(['venues', name, 'markets', market], base)
        symbol(['venues', name, 'markets', market], quote)
        for (const side of ['bids', 'asks'] as const) {
          settings[side].forEach(([price, size], level) => {
            if (Fraction.fromDecimalString(price).isZero()) issue(['venues', name, 'markets', market, side, level, 0], 'a positive price', quoteText(price))
            amount(['venues', name, 'markets', market, side, level, 1], base, size)
          })
        }
        const sorted = (side: 'bids' | 'asks') =>
          settings[side].every(([price], level, levels) => {
            const previous = levels[level - 1]
            if (!previous) return true
            const order = Fraction.fromDecimalString(previous[0]).compare(Fraction.fromDecimalString(price))
            return side === 'bids' ? order > 0 : order < 0
          })
        if (!sorted('bids')) issue(['venues', name, 'markets', market, 'bids'], 'bids with strictly falling prices, best first', 'them out of order')
        if (!sorted('asks')) issue(['venues', name, 'markets', market, 'asks'], 'asks with strictly rising prices, best first', 'them out of order')
        if (settings.amount_step !== undefined && Fraction.fromDecimalString(settings.amount_step).isZero()) {
          issue(['venues', name, 'markets', market, 'amount_step'], 'a positive amount step', quoteText(settings.amount_step))
        }
        amount(['venues', name, 'markets', market, 'amount_step'], base, settings.amount_step)
      }
    }
    if (venue.type === 'static_amm') {
      venue.pools.forEach((pool, index) => {
        pool.tokens.forEach((token, side) => {
          const reserve = pool.reserves[side === 0 ? 0 : 1]
          symbol(['venues', name, 'pools', index, 'tokens', side], token)
          amount(['venues', name, 'pools', index, 'reserves', side], token, reserve)
          if (Fraction.fromDecimalString(reserve).isZero()) issue(['venues', name, 'pools', index, 'reserves', side], 'a positive reserve', quoteText(reserve))
        })
        if (pool.tokens[0] === pool.tokens[1]) issue(['venues', name, 'pools', index, 'tokens'], 'two different tokens', `${quoteText(pool.tokens[0])} twice`)
        if (Fraction.fromDecimalString(pool.fee_bps).compare(new Fraction(10_000n)) >= 0) issue(['venues', name, 'pools', index, 'fee_bps'], 'a fee under 10000 bps', quoteText(pool.fee_bps))
      })
    }
  }
  if (config.dust_conversion_venue !== undefined && !Object.hasOwn(config.venues, config.dust_conversion_venue)) {
    issue(['dust_conversion_venue'], `the name of a configured venue (${Object.keys(config.venues).join(', ')})`, quoteText(config.dust_conversion_venue))
  }
  config.prices.forEach((source, index) => {
    if (source.type === 'uniswap_spot' || source.type === 'cex_mid') {
      const types = source.type === 'uniswap_spot' ? ['uniswap_v2', 'uniswap_v3'] : CEX_TYPES
      if (!types.includes(venueOf(source.venue)?.type ?? ''))
        issue(['prices', index, 'venue'], `the name of a ${source.type === 'uniswap_spot' ? 'Uniswap' : 'CEX'} venue (${venueNames(types)})`, quoteText(source.venue))
      return
    }
    // Checked with the chains below.
    if (source.type === 'chainlink' || source.type === 'lst_rate') return
    if (source.type === 'fixed_rate') {
      symbol(['prices', index, 'base'], source.base)
      symbol(['prices', index, 'quote'], source.quote)
      if (Fraction.fromDecimalString(source.rate).isZero()) issue(['prices', index, 'rate'], 'a positive rate', quoteText(source.rate))
      return
    }
    symbol(['prices', index, 'quote'], source.quote)
    for (const [token, value] of Object.entries(source.prices ?? {})) {
      symbol(['prices', index, 'prices', token], token)
      if (Fraction.fromDecimalString(value).isZero()) issue(['prices', index, 'prices', token], 'a positive price', quoteText(value))
    }
  })
  const chainNames = Object.keys(config.chains)
  const needChain = (keyPath: PropertyKey[], chain: string) => {
    if (!Object.hasOwn(config.chains, chain)) issue(keyPath, `a chain configured under chains (${chainNames.join(', ') || 'none configured'})`, quoteText(chain))
  }
  const chainlinkNames = new Map<string, number>()
  config.prices.forEach((source, index) => {
    if (source.type === 'chainlink') {
      needChain(['prices', index, 'chain'], source.chain)
      // Its price sources are named `<name>:BASE/QUOTE`: two sources of one name would give pairs of one name.
      const name = source.name ?? 'chainlink'
      const first = chainlinkNames.get(name)
      if (first !== undefined) issue(['prices', index, 'name'], `a name other than that of prices[${first}] ("${name}")`, source.name === undefined ? 'none (so "chainlink")' : quoteText(name))
      else chainlinkNames.set(name, index)
      const pairs = new Set<string>()
      source.feeds.forEach((feed, feedIndex) => {
        const at = ['prices', index, 'feeds', feedIndex]
        symbol([...at, 'base'], feed.base)
        if (feed.base === feed.quote) issue([...at, 'quote'], 'a quote other than the base', `${quoteText(feed.quote)} twice`)
        // A quote that is no token prices nothing alone: it must join this feed's base to another feed's.
        const joins = source.feeds.some((other, otherIndex) => otherIndex !== feedIndex && other.quote === feed.quote && decimals.has(other.base))
        if (!decimals.has(feed.quote) && !joins) {
          issue([...at, 'quote'], `a symbol from the token registry (${known()}), or a unit (such as USD) that another feed of this source quotes in`, `${quoteText(feed.quote)} in no other feed`)
        }
        const pair = `${feed.base}/${feed.quote}`
        if (pairs.has(pair)) issue(at, 'each base/quote pair once in a chainlink source', `${pair} a second time`)
        pairs.add(pair)
      })
    }
    if (source.type === 'lst_rate') {
      needChain(['prices', index, 'chain'], source.chain)
      symbol(['prices', index, 'base'], source.base)
      symbol(['prices', index, 'quote'], source.quote)
      if (source.base === source.quote) issue(['prices', index, 'quote'], 'a quote other than the base', `${quoteText(source.quote)} twice`)
      const base = config.tokens.find((token) => token.symbol === source.base)
      if (source.contract === undefined && base !== undefined && (base.address === undefined || base.chain !== source.chain)) {
        issue(
          ['prices', index, 'contract'],
          `the address of the contract answering ${source.method}(), or a base token with an address on ${source.chain}`,
          base.address === undefined ? `none, and ${base.symbol} is a native coin` : `none, and ${base.symbol} is on ${base.chain}`,
        )
      }
      const quote = config.tokens.find((token) => token.symbol === source.quote)
      if (source.method === 'convertToAssets' && quote !== undefined && quote.address === undefined) {
        issue(['prices', index, 'quote'], "the vault's asset: an ERC-20 token with an address", `${quote.symbol}, a native coin`)
      }
    }
  })
  for (const [name, venue] of Object.entries(config.venues)) {
    if (venue.type === 'evm_wallet') {
      needChain(['venues', name, 'chain'], venue.chain)
      for (const [index, token] of (venue.tokens ?? []).entries()) symbol(['venues', name, 'tokens', index], token)
    }
    if (venue.type === 'merkle_rewards') {
      needChain(['venues', name, 'chain'], venue.chain)
      symbol(['venues', name, 'token'], venue.token)
    }
    if (venue.type === 'merkl' || venue.type === 'morpho_urd' || venue.type === 'merkle_drop') needChain(['venues', name, 'chain'], venue.chain)
    if (venue.type === 'merkle_drop') {
      symbol(['venues', name, 'token'], venue.token)
      const entry = config.tokens.find((candidate) => candidate.symbol === venue.token)
      if (entry && (entry.chain !== venue.chain || entry.address === undefined)) {
        issue(['venues', name, 'token'], `an ERC-20 token on ${venue.chain} (with an address)`, entry.address === undefined ? `${venue.token}, a native coin` : `${venue.token} on ${entry.chain}`)
      }
    }
    if (venue.type === 'uniswap_v2' || venue.type === 'uniswap_v3') {
      needChain(['venues', name, 'chain'], venue.chain)
      venue.pools.forEach((pool, index) => {
        pool.tokens.forEach((token, side) => {
          symbol(['venues', name, 'pools', index, 'tokens', side], token)
          const entry = config.tokens.find((candidate) => candidate.symbol === token)
          if (entry && (entry.chain !== venue.chain || entry.address === undefined)) {
            issue(
              ['venues', name, 'pools', index, 'tokens', side],
              `an ERC-20 token on ${venue.chain} (with an address)`,
              entry.address === undefined ? `${token}, a native coin` : `${token} on ${entry.chain}`,
            )
          }
        })
        if (pool.tokens[0] === pool.tokens[1]) issue(['venues', name, 'pools', index, 'tokens'], 'two different tokens', `${quoteText(pool.tokens[0])} twice`)
        if (venue.type === 'uniswap_v2' && pool.fee !== undefined && pool.fee !== 3000) issue(['venues', name, 'pools', index, 'fee'], 'no fee, or 3000: every V2 pool takes 0.3 %', `${pool.fee}`)
      })
    }
  }
  const onchainExecution = Object.values(config.venues).some((venue) => venue.type === 'evm_wallet')
  if (config.execution.mode !== 'dry-run' && onchainExecution) {
    if (config.execution.signer === undefined) {
      issue(['execution', 'signer'], `a signer (private_key_env, or keystore_file and keystore_password_env) to sign on-chain steps in ${config.execution.mode} mode`, 'none')
    }
    if (config.execution.mode === 'paper') {
      for (const [chainName, chain] of Object.entries(config.chains)) {
        if (chain.chain_id !== 31337 && chain.chain_id !== 1337) {
          issue(['chains', chainName, 'chain_id'], 'a development chain (31337 or 1337) in paper mode: paper runs send real transactions only to a local node', `${chain.chain_id}`)
        }
      }
    }
  }
  const signer = config.execution.signer
  if (isRolesSigner(signer)) {
    needChain(['execution', 'signer', 'chain'], signer.chain)
    const safe = signer.safe.toLowerCase()
    if (signer.keeper.toLowerCase() === safe) issue(['execution', 'signer', 'keeper'], 'a keeper account other than the Safe it acts for', signer.keeper)
    // The Safe holds the funds on its chain: a wallet or a reward claimed elsewhere there would not be the keeper's to convert.
    for (const [name, venue] of Object.entries(config.venues)) {
      if (venue.type === 'evm_wallet' && venue.chain === signer.chain && venue.address.toLowerCase() !== safe) {
        issue(['venues', name, 'address'], `the Safe ${signer.safe} (execution.signer.safe): with a roles signer the Safe holds the funds on ${signer.chain}`, venue.address)
      }
      if (
        (venue.type === 'merkle_rewards' || venue.type === 'merkl' || venue.type === 'morpho_urd' || venue.type === 'merkle_drop') &&
        venue.chain === signer.chain &&
        venue.account.toLowerCase() !== safe
      ) {
        issue(['venues', name, 'account'], `the Safe ${signer.safe} (execution.signer.safe): the role may claim rewards only to the Safe`, venue.account)
      }
    }
  }
  for (const [chain, gas] of Object.entries(config.gas_price)) {
    if (gas.type === 'rpc') needChain(['gas_price', chain], chain)
    if (gas.type === 'static' && (gas.gwei.split('.')[1] ?? '').replace(/0+$/, '').length > 9)
      issue(['gas_price', chain, 'gwei'], 'at most 9 decimals (one wei is 0.000000001 gwei)', quoteText(gas.gwei))
    if (!config.tokens.some((token) => token.chain === chain))
      issue(['gas_price', chain], `a chain of the token registry (${[...new Set(config.tokens.map((t) => t.chain))].join(', ')})`, quoteText(chain))
  }
  if (config.backtest !== undefined) {
    // The backtest models its venues under these names: two alike would be one venue to the planner.
    const { rewards_venue: rewards, dex, cex } = config.backtest
    if (dex.name === cex.name) issue(['backtest', 'cex', 'name'], `a name other than the DEX's ("${dex.name}")`, quoteText(cex.name))
    for (const [key, name] of [
      ['dex', dex.name],
      ['cex', cex.name],
    ] as const) {
      if (name === rewards) issue(['backtest', key, 'name'], `a name other than the rewards venue's ("${rewards}")`, quoteText(name))
    }
  }
  return issues
}
