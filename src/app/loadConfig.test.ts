import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/index.js'
import { loadConfig } from './loadConfig.js'

/** A small valid configuration; tests replace one line or append keys to break it in one way. */
const VALID = `# what-if portfolio for tests
mode: usdt_eth_staking_hedged_simple
share_class: USDT
asset: ETH
lst_type: weeth
staking_enabled: true
dust_delta: 0.002
dust_monitoring_interval: 300
dust_conversion_venue: binance
dust_conversion_path: [EIGEN, USDT]
tokens:
  - { symbol: USDT, address: "0xdAC17F958D2ee523a2206206994597C13D831ec7", decimals: 6 }
  - { symbol: ETH, decimals: 18 }
  - { symbol: EIGEN, address: "0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83", decimals: 18 }
  - { symbol: ETHFI, address: "0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB", decimals: 18 }
venues:
  etherfi: { type: static, source: claimable_rewards, balances: { EIGEN: "1500" } }
  wallet:
    type: static
    source: wallet_balance
    balances:
      EIGEN: "20"
      ETHFI: "800"
  binance:
    type: static_cex
    markets:
      EIGEN/USDT: { min_notional: "5", amount_step: "0.01", bids: [["1.249", "1000"], ["1.248", "5000"]], asks: [["1.251", "1000"]] }
prices:
  - { type: static, quote: USDT, prices: { EIGEN: "1.25", ETHFI: "0.95", ETH: "2500" } }
equity: { type: static, value: "1000000" }
`

/** 1-based line of the first line of `text` that contains `needle`. */
function lineContaining(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle))
  if (index < 0) throw new Error(`test setup: "${needle}" is not in the text`)
  return index + 1
}

let dir: string
let count = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dust-config-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(text: string, name = `config-${(count += 1)}.yaml`): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, text)
  return file
}

/** Loads `text` from a temporary file and returns the ConfigError it must raise. */
async function configError(text: string, env: Record<string, string> = {}): Promise<ConfigError> {
  const file = await write(text)
  const error = await loadConfig({ file, env }).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('loadConfig', () => {
  it('loads a valid configuration with dust_delta as the exact string "0.002"', async () => {
    const file = await write(VALID)
    const { config, file: loadedFrom, secretPaths } = await loadConfig({ file, env: {} })
    expect(loadedFrom).toBe(file)
    expect(secretPaths.size).toBe(0)
    expect(config.dust_delta).toBe('0.002')
    expect(config.mode).toBe('usdt_eth_staking_hedged_simple')
    expect(config.share_class).toBe('USDT')
    expect(config.staking_enabled).toBe(true)
    expect(config.dust_monitoring_interval).toBe(300)
    expect(config.dust_conversion_path).toEqual(['EIGEN', 'USDT'])
    expect(config.tokens[0]).toEqual({ symbol: 'USDT', chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 })
    expect(config.venues.wallet).toMatchObject({ type: 'static', source: 'wallet_balance', balances: { EIGEN: '20', ETHFI: '800' } })
    expect(config.venues.binance).toMatchObject({
      type: 'static_cex',
      taker_fee_bps: '10',
      markets: {
        'EIGEN/USDT': {
          min_notional: '5',
          amount_step: '0.01',
          bids: [
            ['1.249', '1000'],
            ['1.248', '5000'],
          ],
        },
      },
    })
    expect(config.prices[0]).toMatchObject({ type: 'static' })
    expect((config.prices[0] as { prices?: unknown }).prices).toEqual({ EIGEN: '1.25', ETHFI: '0.95', ETH: '2500' })
    expect(config.equity).toEqual({ type: 'static', value: '1000000' })
    // Defaults of the keys the file leaves out.
    expect(config.execution).toEqual({ mode: 'dry-run', max_slippage_bps: 50 })
    expect(config.equivalents).toEqual({ WETH: 'ETH' })
    expect(config.gas_units.swap).toBe(180_000n)
    expect(config.dust_hysteresis).toBe('0.1')
  })

  it('substitutes ${ENV_VAR} from the environment given and remembers the secret key paths', async () => {
    const text = VALID.replace('      EIGEN: "20"', '      EIGEN: "${WALLET_EIGEN}"').replace('value: "1000000"', 'value: "${EQUITY_PREFIX}000"')
    const file = await write(text)
    const { config, secretPaths } = await loadConfig({ file, env: { WALLET_EIGEN: '20.5', EQUITY_PREFIX: '1000' } })
    expect(config.venues.wallet).toMatchObject({ balances: { EIGEN: '20.5' } })
    expect(config.equity).toEqual({ type: 'static', value: '1000000' })
    expect([...secretPaths].sort()).toEqual(['equity.value', 'venues.wallet.balances.EIGEN'])
  })

  it('reads process.env when no environment is given', async () => {
    const file = await write(VALID.replace('mode: usdt_eth_staking_hedged_simple', 'mode: "${DUST_TEST_MODE_NAME}"'))
    process.env.DUST_TEST_MODE_NAME = 'from_process_env'
    try {
      expect((await loadConfig({ file })).config.mode).toBe('from_process_env')
    } finally {
      delete process.env.DUST_TEST_MODE_NAME
    }
  })

  it('names a missing environment variable, its key path and line', async () => {
    const text = VALID.replace('      ETHFI: "800"', '      ETHFI: "${WALLET_ETHFI}"')
    const error = await configError(text)
    expect(error.issues).toEqual([
      {
        path: 'venues.wallet.balances.ETHFI',
        line: lineContaining(text, 'WALLET_ETHFI'),
        expected: 'the environment variable WALLET_ETHFI to be set',
        found: 'it unset',
      },
    ])
    expect(error.message).toContain('WALLET_ETHFI')
    // An empty variable is as good as unset.
    expect((await configError(text, { WALLET_ETHFI: '' })).issues[0]?.found).toBe('it unset')
  })

  it('never prints the value of a secret that fails validation', async () => {
    const text = VALID.replace('dust_delta: 0.002', 'dust_delta: "${DUST_DELTA}"')
    const error = await configError(text, { DUST_DELTA: 'hunter2' })
    expect(error.issues[0]).toMatchObject({ path: 'dust_delta', line: 7, found: 'a value from ${DUST_DELTA} (not shown)' })
    expect(error.message).not.toContain('hunter2')
    const venue = await configError(VALID.replace('dust_conversion_venue: binance', 'dust_conversion_venue: "${VENUE}"'), { VENUE: 'secret-venue' })
    expect(venue.issues[0]?.path).toBe('dust_conversion_venue')
    expect(venue.message).not.toContain('secret-venue')
  })

  it.each([
    ['abc', 'a non-negative decimal number such as "1.25"', '"abc"'],
    ['2', 'a decimal from 0 (inclusive) to 1 (exclusive)', '"2"'],
    ['-0.002', 'a non-negative decimal number such as "1.25"', '"-0.002"'],
    ['2e-3', 'a non-negative decimal number such as "1.25"', '"2e-3"'],
  ])('rejects dust_delta: %s with its key path, line, expected and found', async (value, expected, found) => {
    const error = await configError(VALID.replace('dust_delta: 0.002', `dust_delta: ${value}`))
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]).toEqual({ path: 'dust_delta', line: 7, expected, found })
    expect(error.message).toContain('Invalid configuration in')
    expect(error.details).toBe(`  ${error.file}:7 dust_delta: expected ${expected}, found ${found}`)
    expect(error.code).toBe('invalid_config')
  })

  it('reports a missing required key where its parent mapping starts', async () => {
    const error = await configError(VALID.replace('share_class: USDT\n', ''))
    expect(error.issues).toEqual([{ path: 'share_class', line: 2, expected: 'string', found: 'nothing (the key is missing)' }])
  })

  it('rejects unknown keys at the top level and inside a section, on their line', async () => {
    const text = `${VALID}dust_delat: 0.002\nexecution: { mode: dry-run, slippage: 50 }\n`
    const error = await configError(text)
    expect(error.issues).toHaveLength(2)
    expect(error.issues).toEqual([
      { path: 'execution', line: lineContaining(text, 'slippage'), expected: 'only known keys', found: 'unknown key "slippage"' },
      { path: '', line: lineContaining(text, 'dust_delat'), expected: 'only known keys', found: 'unknown key "dust_delat"' },
    ])
  })

  it('rejects a value outside an enumeration and a venue of unknown type', async () => {
    const text = `${VALID}execution: { mode: fast }\n`.replace('type: static_cex', 'type: dex')
    const error = await configError(text)
    expect(error.issues).toContainEqual({ path: 'execution.mode', line: lineContaining(text, 'mode: fast'), expected: 'one of "dry-run", "paper", "live"', found: '"fast"' })
    expect(error.issues).toContainEqual({ path: 'venues.binance.type', line: lineContaining(text, 'type: dex'), expected: 'a known "type"', found: '"dex"' })
  })

  it('rejects a balance symbol missing from the token registry', async () => {
    const text = VALID.replace('      ETHFI: "800"', '      ETHFI: "800"\n      FOO: "1"')
    const error = await configError(text)
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'venues.wallet.balances.FOO',
        line: lineContaining(text, 'FOO'),
        expected: 'a symbol from the token registry (USDT, ETH, EIGEN, ETHFI)',
        found: '"FOO"',
      }),
    ])
  })

  it('rejects an amount with more decimals than its token has', async () => {
    const text = VALID.replace('      ETHFI: "800"', '      ETHFI: "800"\n      USDT: "1.1234567"')
    const error = await configError(text)
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'venues.wallet.balances.USDT', line: lineContaining(text, '1.1234567'), expected: 'at most 6 decimals for USDT', found: '"1.1234567"' }),
    ])
    // Trailing zeros are not extra precision.
    await expect(loadConfig({ file: await write(VALID.replace('ETHFI: "800"', 'ETHFI: "800"\n      USDT: "1.1234560000"')), env: {} })).resolves.toBeDefined()
  })

  it.each(['binancex', 'constructor'])('rejects dust_conversion_venue naming no venue (%s)', async (name) => {
    const error = await configError(VALID.replace('dust_conversion_venue: binance', `dust_conversion_venue: ${name}`))
    expect(error.issues).toEqual([expect.objectContaining({ path: 'dust_conversion_venue', line: 9, expected: 'the name of a configured venue (etherfi, wallet, binance)', found: `"${name}"` })])
  })

  it('reports every problem at once', async () => {
    const text = VALID.replace('      ETHFI: "800"', '      ETHFI: "800"\n      FOO: "1"').replace('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: [EIGEN, DAI]')
    const error = await configError(text)
    expect(error.issues.map((issue) => issue.path)).toEqual(['dust_conversion_path[1]', 'venues.wallet.balances.FOO'])
    expect(error.shortMessage).toBe(`Invalid configuration in ${error.file} (2 problems).`)
  })

  it('loads static balances, prices and equity from files relative to the configuration file', async () => {
    const sub = join(dir, 'what-if')
    await mkdir(join(sub, 'data'), { recursive: true })
    await writeFile(join(sub, 'data', 'claimable.yaml'), 'balances:\n  EIGEN: 1500\n')
    await writeFile(join(sub, 'data', 'prices.yaml'), 'prices:\n  EIGEN: 1.25\n  ETHFI: "0.95"\n  ETH: 2500\n')
    await writeFile(join(sub, 'data', 'equity.yaml'), 'value: 1000000.5\n')
    const text = VALID.replace('etherfi: { type: static, source: claimable_rewards, balances: { EIGEN: "1500" } }', 'etherfi: { type: static, source: claimable_rewards, file: data/claimable.yaml }')
      .replace('{ type: static, quote: USDT, prices: { EIGEN: "1.25", ETHFI: "0.95", ETH: "2500" } }', '{ type: static, quote: USDT, file: ./data/prices.yaml }')
      .replace('equity: { type: static, value: "1000000" }', 'equity: { type: static, file: data/equity.yaml }')
    const file = await write(text, 'what-if/config.yaml')
    const { config } = await loadConfig({ file, env: {} })
    expect(config.venues.etherfi).toMatchObject({ file: 'data/claimable.yaml', balances: { EIGEN: '1500' } })
    expect(config.prices[0]).toMatchObject({ file: './data/prices.yaml', prices: { EIGEN: '1.25', ETHFI: '0.95', ETH: '2500' } })
    expect(config.equity).toMatchObject({ type: 'static', value: '1000000.5' })
  })

  it('names a missing referenced file and the key that references it', async () => {
    const text = VALID.replace('equity: { type: static, value: "1000000" }', 'equity: { type: static, file: no-such-equity.yaml }')
    const error = await configError(text)
    expect(error.file).toMatch(/config-\d+\.yaml$/)
    expect(error.issues).toEqual([
      {
        path: 'equity.file',
        line: lineContaining(text, 'no-such-equity'),
        expected: "a regular text file of at most 16 MiB inside the configuration's folder (or DUST_SECRETS_DIR, when set)",
        found: `${join(dir, 'no-such-equity.yaml')}: no such file`,
      },
    ])
    const venue = await configError(VALID.replace('balances: { EIGEN: "1500" }', 'file: missing/claimable.yaml'))
    expect(venue.issues[0]).toMatchObject({ path: 'venues.etherfi.file', line: 17 })
    expect(venue.message).toContain(join(dir, 'missing', 'claimable.yaml'))
    const prices = await configError(VALID.replace('prices: { EIGEN: "1.25", ETHFI: "0.95", ETH: "2500" }', 'file: prices.yaml'))
    expect(prices.issues[0]).toMatchObject({ path: 'prices[0].file', line: 29 })
  })

  it('reports an invalid referenced file in that file, with its own key path and line, describing its values without showing them', async () => {
    await writeFile(join(dir, 'bad-balances.yaml'), 'balances:\n  EIGEN: 1500\n  ETHFI: lots\n')
    const error = await configError(VALID.replace('balances: { EIGEN: "1500" }', 'file: bad-balances.yaml'))
    expect(error.file).toBe(join(dir, 'bad-balances.yaml'))
    expect(error.issues).toEqual([{ path: 'balances.ETHFI', line: 3, expected: 'a non-negative decimal number such as "1.25"', found: 'a text of 4 characters' }])
    expect(error.message).not.toContain('lots')
  })

  it('reports a symbol of a referenced balances file that the registry lacks, without its amount', async () => {
    await writeFile(join(dir, 'foo-balances.yaml'), 'balances:\n  FOO: "1"\n  EIGEN: "0.1234567890123456789"\n')
    const error = await configError(VALID.replace('balances: { EIGEN: "1500" }', 'file: foo-balances.yaml'))
    expect(error.issues).toEqual([
      { path: 'venues.etherfi.balances.FOO', line: 17, expected: 'a symbol from the token registry (USDT, ETH, EIGEN, ETHFI)', found: 'a value read from the referenced file (not shown)' },
      { path: 'venues.etherfi.balances.EIGEN', line: 17, expected: 'at most 18 decimals for EIGEN', found: 'a value read from the referenced file (not shown)' },
    ])
    expect(error.message).not.toContain('0.1234567890123456789')
  })

  it('reports invalid YAML with its line', async () => {
    const text = VALID.replace('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: [EIGEN, USDT')
    const error = await configError(text)
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]).toMatchObject({ path: 'tokens', expected: 'valid YAML', column: 1 })
    expect(error.issues[0]?.line).toBe(lineContaining(text, 'tokens:'))
    const duplicate = await configError(`${VALID}dust_delta: 0.003\n`)
    expect(duplicate.issues[0]).toMatchObject({ line: lineContaining(`${VALID}dust_delta: 0.003\n`, '0.003'), found: 'Map keys must be unique' })
    const indented = await configError('mode: x\nfoo:\n  - a\n bar: 1\n')
    expect(indented.issues[0]).toMatchObject({ line: 4, found: 'All mapping items must start at the same column' })
  })

  it.each([
    ['- 1\n- 2\n', 'a list of 2'],
    ['', 'an empty value'],
    ['just text\n', 'a text of 9 characters'],
  ])('rejects a file that is not a mapping (%j)', async (text, found) => {
    const error = await configError(text)
    expect(error.issues).toEqual([{ path: '', expected: 'a mapping of configuration keys', found }])
  })

  it('rejects a configuration file that does not exist, naming it', async () => {
    const file = join(dir, 'nope.yaml')
    const error = await loadConfig({ file, env: {} }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toMatchObject({ file, issues: [{ path: '', expected: 'a readable configuration file', found: 'no such file' }] })
    const directory = await loadConfig({ file: dir, env: {} }).catch((caught: unknown) => caught)
    expect(directory).toMatchObject({ issues: [{ found: 'a folder, not a regular file' }] })
  })
})

describe('loadConfig with the text at hand', () => {
  it('validates text as if read from a file, resolving references beside it', async () => {
    await writeFile(join(dir, 'equity-beside.yaml'), 'value: "42"\n')
    const text = VALID.replace('equity: { type: static, value: "1000000" }', 'equity: { type: static, file: equity-beside.yaml }')
    const { config } = await loadConfig({ text, file: join(dir, 'virtual.yaml'), env: {} })
    expect(config.equity).toMatchObject({ value: '42' })
  })

  it('checks the exchange id of a ccxt venue against the exchanges ccxt knows, among the other problems', async () => {
    const { default: ccxt } = await import('ccxt')
    const venue = '  kraken: { type: ccxt, exchange: binanse, markets: [EIGEN/DAI] }\nprices:'
    const error = await loadConfig({ text: VALID.replace('prices:', venue), file: join(dir, 'ccxt.yaml'), env: {} }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toMatchObject({
      issues: [
        {
          path: 'venues.kraken.exchange',
          expected: `an exchange id ccxt knows (one of the ${ccxt.exchanges.length} of ccxt.exchanges, such as binance, coinbase, kraken or okx)`,
          found: '"binanse"',
        },
        { path: 'venues.kraken.markets[0]', found: '"DAI"' },
      ],
    })
    const known = await loadConfig({ text: VALID.replace('prices:', venue.replace('binanse', 'kraken').replace('DAI', 'USDT')), file: join(dir, 'ccxt.yaml'), env: {} })
    expect(known.config.venues.kraken).toMatchObject({ type: 'ccxt', exchange: 'kraken' })
  })
})
