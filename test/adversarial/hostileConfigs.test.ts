import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { type Server, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, http } from 'viem'
import { createDemoWorld, demoConfig } from '../../src/app/createDemoWorld.js'
import { defaultDataDir, readLastCloses } from '../../src/app/readLastCloses.js'
import { startLocalChain } from '../../src/app/startLocalChain.js'
import { EXIT, runCli } from '../../src/interfaces/cli/runCli.js'
import { cliIo, cliJsonLines } from '../cliIo.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../fixtureConfig.js'
import { freePort } from '../freePort.js'

/**
 * Hostile configurations, each run through the real CLI entry (in-process `runCli`, or the built
 * `./dust` for what only a process shows: a FIFO, a multi-GB file, signals). Every run asserts
 * its exit code, that the message names the file and the key path, and that no canary planted in
 * a secret place (environment values, secret files, api.token, RPC credentials, DATABASE_URL, a
 * webhook URL) appears in stdout, stderr or a log line; the runs that execute also look at the
 * events they recorded and the metrics they served.
 */

const CANARY = 'CANARY7f3a'
const SECRET_ENV = {
  SECRET_VALUE: `${CANARY}-env-value`,
  SECRET_SYMBOL: `${CANARY}ENV`,
  DATABASE_URL: `postgres://dust:${CANARY}-db-password@127.0.0.1:1/dust`,
  DUST_TOKEN: `${CANARY}-token-0123456789`,
}
const root = fileURLToPath(new URL('../..', import.meta.url))

let dir: string
let configs: string
let outside: string
let secrets: string
let count = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dust-hostile-'))
  configs = join(dir, 'configs')
  outside = join(dir, 'outside')
  secrets = join(dir, 'secrets')
  await mkdir(join(configs, 'data', 'folder'), { recursive: true })
  await mkdir(outside, { recursive: true })
  await mkdir(secrets, { recursive: true })
  // A valid balances file outside the folder: were a traversal followed, the configuration would load.
  await writeFile(join(outside, 'secret.yaml'), `balances:\n  EIGEN: "1"\n# ${CANARY}-file-outside\n`)
  await writeFile(join(outside, 'keystore.json'), `{"version": 3, "note": "${CANARY}-keystore"}\n`)
  await writeFile(join(outside, 'id_ed25519'), `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${CANARY}BG5vbmUAAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----\n`)
  await writeFile(join(configs, 'data', 'balances.yaml'), 'balances:\n  EIGEN: "1500"\n')
  await writeFile(join(configs, 'data', 'secret.env'), `API_KEY=${CANARY}-file-env\nOTHER=x\n`)
  await writeFile(join(configs, 'data', 'bad-value.yaml'), `balances:\n  EIGEN: ${CANARY}-file-value\n`)
  await writeFile(join(configs, 'data', 'syntax.yaml'), `balances:\n  EIGEN: [${CANARY}-file-syntax\n`)
  await writeFile(join(configs, 'data', 'binary.yaml'), Buffer.concat([Buffer.from('balances:\n  EIGEN: "1'), Buffer.from([0, 1, 2]), Buffer.from(`${CANARY}-file-binary"\n`)]))
  await writeFile(join(configs, 'data', 'proto.yaml'), 'balances:\n  __proto__: "1"\n')
  await writeFile(join(configs, 'data', 'bomb.yaml'), billionLaughs('balances'))
  await writeFile(join(configs, 'data', 'extra-key.yaml'), `balances: { EIGEN: "1" }\ntoken: ${CANARY}-file-extra\n`)
  await writeFile(join(secrets, 'balances.yaml'), 'balances:\n  EIGEN: "1500"\n')
  await symlink(join(outside, 'secret.yaml'), join(configs, 'data', 'link-out.yaml'))
  await symlink(join(outside, 'secret.yaml'), join(secrets, 'escape.yaml'))
  await symlink(outside, join(configs, 'data', 'dir-link'))
  execFileSync('mkfifo', [join(configs, 'data', 'fifo.yaml')])
  execFileSync('mkfifo', [join(configs, 'fifo-config.yaml')])
  // Sparse: their size is real, their blocks are not written.
  await writeFile(join(configs, 'data', 'huge.yaml'), '')
  await truncate(join(configs, 'data', 'huge.yaml'), 17 * 1024 * 1024)
  await writeFile(join(configs, 'huge-config.yaml'), '')
  await truncate(join(configs, 'huge-config.yaml'), 3 * 1024 * 1024 * 1024)
  await writeFile(join(configs, 'two-mib.yaml'), `${FIXTURE_CONFIG_YAML}${`# ${'x'.repeat(1021)}\n`.repeat(2048)}`)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** An alias bomb: each level lists the previous ten times. */
function billionLaughs(key: string): string {
  const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
  for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) levels.push(`${name}: &${name} [${Array(10).fill(`*${'abcdef'[index]}`).join(', ')}]`)
  return `${levels.join('\n')}\n${key}: *g\n`
}

/** The fixture with its last line (gas_price) kept and `extra` appended. */
const withKeys = (extra: string) => `${FIXTURE_CONFIG_YAML}${extra}\n`
const replace = (from: string, to: string) => fixtureConfigWith(from, to)
const WALLET = 'wallet:  { type: static, source: wallet_balance, balances: { EIGEN: "20", ETHFI: "800" } }'
const ETHERFI_BALANCES = 'etherfi: { type: static, source: claimable_rewards, balances: { EIGEN: "1500" } }'
const etherfiFile = (file: string) => replace(ETHERFI_BALANCES, `etherfi: { type: static, source: claimable_rewards, file: "${file}" }`)
const REGISTRY = 'a symbol from the token registry (USDT, ETH, WETH, EIGEN, ETHFI, weETH)'

type HostileCase = {
  name: string
  /** The configuration's text, written to a fresh file in `configs/`. */
  text?: string
  /** A path to give `-c` instead (for files that are not text). */
  config?: () => string
  env?: Record<string, string>
  /** Arguments before `-c <file>`; `config check` by default. */
  command?: string[]
  /** The key path the message must name ('' for the top level). */
  path: string
  /** The file the message must name: the configuration by default. */
  names?: () => string
  /** Texts the message must contain besides the file and the key path. */
  says?: string[]
  /** Whether the message gives a line (false for files that are refused before they are parsed). */
  line?: boolean
}

const CASES: HostileCase[] = [
  // File references that leave the configuration's folder, or are not regular files.
  { name: 'a balances file reached through ../', text: etherfiFile('../outside/secret.yaml'), path: 'venues.etherfi.file', says: ["a path that leads outside the configuration's folder"] },
  { name: 'a balances file given as an absolute path outside', text: '', path: 'venues.etherfi.file', says: ['leads outside'] },
  { name: 'a symbolic link inside that points outside', text: etherfiFile('data/link-out.yaml'), path: 'venues.etherfi.file', says: ['leads outside'] },
  { name: 'a folder link inside that points outside', text: etherfiFile('data/dir-link/secret.yaml'), path: 'venues.etherfi.file', says: ['leads outside'] },
  {
    name: '/proc/self/environ as a prices file',
    text: replace('prices: { EIGEN: "1.25", ETHFI: "0.95", ETH: "2500" }', 'file: /proc/self/environ'),
    path: 'prices[0].file',
    says: ["the kernel's /proc pseudo-filesystem"],
  },
  { name: '/dev/zero as the equity file', text: replace('equity: { type: static, value: "1000000" }', 'equity: { type: static, file: /dev/zero }'), path: 'equity.file', says: ['leads outside'] },
  { name: 'a FIFO as a balances file', text: etherfiFile('data/fifo.yaml'), path: 'venues.etherfi.file', says: ['a FIFO (named pipe), not a regular file'] },
  { name: 'a folder as a balances file', text: etherfiFile('data/folder'), path: 'venues.etherfi.file', says: ['a folder, not a regular file'] },
  { name: 'a 17 MiB balances file', text: etherfiFile('data/huge.yaml'), path: 'venues.etherfi.file', says: ['a file of 17825792 bytes, over the cap of 16 MiB'] },
  { name: 'a binary balances file', text: etherfiFile('data/binary.yaml'), path: 'venues.etherfi.file', says: ['binary content, not text (a NUL byte at line 2, column 12)'] },
  { name: 'a balances file inside DUST_SECRETS_DIR that links outside', text: '', env: {}, path: 'venues.etherfi.file', says: ['DUST_SECRETS_DIR'] },
  {
    name: 'a keystore outside the folder',
    text: withKeys('execution: { mode: paper, signer: { keystore_file: ../outside/keystore.json, keystore_password_env: PW } }'),
    path: 'execution.signer.keystore_file',
    says: ['leads outside'],
  },
  { name: 'an event log outside the folder', text: withKeys('event_store: { sqlite_file: ../../elsewhere/events.db }'), path: 'event_store.sqlite_file', says: ['leads outside'] },
  { name: 'an event log under /proc', text: withKeys('event_store: { sqlite_file: /proc/self/environ }'), path: 'event_store.sqlite_file', says: ['/proc'] },
  { name: 'an event log that is a FIFO', text: withKeys('event_store: { sqlite_file: data/fifo.yaml }'), path: 'event_store.sqlite_file', says: ['a FIFO'] },
  // Referenced files whose content must not be shown.
  {
    name: 'a .env file as a balances file',
    text: etherfiFile('data/secret.env'),
    path: '(top level)',
    names: () => join(configs, 'data', 'secret.env'),
    says: ['expected a mapping, found a text of'],
  },
  {
    name: 'a secret value in a referenced file',
    text: etherfiFile('data/bad-value.yaml'),
    path: 'balances.EIGEN',
    names: () => join(configs, 'data', 'bad-value.yaml'),
    says: [`found a text of ${`${CANARY}-file-value`.length} characters`],
  },
  {
    name: 'a YAML syntax error in a referenced file',
    text: etherfiFile('data/syntax.yaml'),
    path: 'balances.EIGEN[0]',
    names: () => join(configs, 'data', 'syntax.yaml'),
    says: ['expected valid YAML'],
  },
  { name: 'an unknown key in a referenced file', text: etherfiFile('data/extra-key.yaml'), path: '(top level)', names: () => join(configs, 'data', 'extra-key.yaml'), says: ['unknown key "token"'] },
  { name: '__proto__ in a referenced file', text: etherfiFile('data/proto.yaml'), path: 'balances.__proto__', names: () => join(configs, 'data', 'proto.yaml') },
  { name: 'an alias bomb in a referenced file', text: etherfiFile('data/bomb.yaml'), path: '(top level)', names: () => join(configs, 'data', 'bomb.yaml'), says: ['at most 100 alias expansions'] },
  // The configuration file itself.
  { name: '/proc/self/environ as the configuration', config: () => '/proc/self/environ', path: '(top level)', names: () => '/proc/self/environ', line: false, says: ['/proc pseudo-filesystem'] },
  { name: '/dev/zero as the configuration', config: () => '/dev/zero', path: '(top level)', names: () => '/dev/zero', line: false, says: ['a character device, not a regular file'] },
  { name: 'a folder as the configuration', config: () => configs, path: '(top level)', names: () => configs, line: false, says: ['a folder, not a regular file'] },
  { name: 'a configuration over 1 MiB', config: () => join(configs, 'two-mib.yaml'), path: '(top level)', names: () => join(configs, 'two-mib.yaml'), line: false, says: ['over the cap of 1 MiB'] },
  {
    name: 'a private key given as the configuration',
    config: () => join(outside, 'id_ed25519'),
    path: '(top level)',
    names: () => join(outside, 'id_ed25519'),
    line: false,
    says: ['expected a mapping of configuration keys, found a text of'],
  },
  {
    name: 'a .env given as the configuration',
    config: () => join(configs, 'data', 'secret.env'),
    path: '(top level)',
    names: () => join(configs, 'data', 'secret.env'),
    line: false,
    says: ['found a text of'],
  },
  { name: 'an empty configuration', text: '', path: '(top level)', line: false, says: ['found an empty value'] },
  { name: 'a binary configuration', text: `mode: x\n\u0000${CANARY}\n`, path: '(top level)', line: false, says: ['binary content, not text (a NUL byte at line 2, column 1)'] },
  { name: 'a configuration that is not UTF-8', text: '', path: '(top level)', line: false, says: ['bytes that are not UTF-8 text'] },
  { name: 'a configuration that is a list', text: '- mode: x\n- mode: y\n', path: '(top level)', line: false, says: ['found a list of 2'] },
  { name: 'a byte order mark before invalid YAML', text: `\uFEFFmode: [usdt_test\n`, path: 'mode[0]', says: ['expected valid YAML'] },
  // YAML that attacks the parser.
  { name: 'an alias bomb', text: billionLaughs('ignore_tokens'), path: '(top level)', says: ['expected at most 100 alias expansions, found aliases that expand further (an alias bomb)'] },
  { name: 'an alias before its anchor', text: withKeys('ignore_tokens: *later\nlater: &later [EIGEN]'), path: '(top level)', says: ['expected every alias after its anchor'] },
  { name: 'nesting 40 levels deep', text: withKeys(`dust_tokens: ${'{ a: '.repeat(40)}1${' }'.repeat(40)}`), path: 'dust_tokens.a.a.a.a.a.a.a…', says: ['expected at most 32 levels of nesting'] },
  {
    name: 'nesting too deep to parse',
    text: withKeys(`ignore_tokens: ${'['.repeat(30_000)}${']'.repeat(30_000)}`),
    path: 'ignore_tokens[0][0][0][0][0][0][0]…',
    says: ['expected at most 32 levels of nesting, found nesting too deep to parse'],
  },
  { name: 'two YAML documents', text: `${FIXTURE_CONFIG_YAML}---\nmode: other\n`, path: '(top level)', says: ['Source contains multiple documents'] },
  {
    name: 'a !!binary tag',
    text: withKeys('api: { token: !!binary aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ= }'),
    path: 'api.token',
    says: ['expected plain YAML values, without tags, found the tag "!!binary"'],
  },
  { name: 'a custom tag', text: withKeys('ignore_tokens: !include secrets.yaml'), path: 'ignore_tokens', says: ['Unresolved tag: !include'] },
  { name: 'a tab for indentation', text: withKeys('api:\n\thost: 127.0.0.1'), path: 'api', says: ['expected valid YAML'] },
  { name: 'a list as a key', text: withKeys('dust_tokens:\n  ? [EIGEN, ETHFI]\n  : { convert: false }'), path: 'dust_tokens', says: ['expected keys that are plain text, found a list as a key'] },
  { name: 'an empty key', text: withKeys('dust_tokens:\n  : { convert: false }'), path: 'dust_tokens', says: ['found an empty key'] },
  { name: 'a ${VAR} in a key', text: withKeys('dust_tokens:\n  "${SECRET_SYMBOL}": { convert: false }'), path: 'dust_tokens.${SECRET_SYMBOL}', says: ['no ${VAR} in a key'] },
  { name: 'a key of 10 000 characters', text: withKeys(`dust_tokens:\n  ${'K'.repeat(10_000)}: { convert: false }`), path: `dust_tokens["${'K'.repeat(60)}…" (10000 characters)]` },
  // Keys that reach object internals.
  { name: '__proto__ at the top level', text: withKeys('__proto__: { polluted: true }'), path: '__proto__', says: ['a key other than __proto__, constructor or prototype'] },
  {
    name: '__proto__ as a balance (dust undercounted before)',
    text: replace('balances: { EIGEN: "20", ETHFI: "800" }', 'balances: { EIGEN: "20", ETHFI: "800", __proto__: "5000" }'),
    path: 'venues.wallet.balances.__proto__',
  },
  { name: 'constructor as a venue', text: replace(WALLET, `${WALLET}\n  constructor: { type: static, source: wallet_balance, balances: { EIGEN: "1" } }`), path: 'venues.constructor' },
  { name: 'prototype inside a token', text: replace('{ symbol: ETH, decimals: 18 }', '{ symbol: ETH, decimals: 18, prototype: x }'), path: 'tokens[1].prototype' },
  { name: '__proto__ in dust_tokens', text: withKeys('dust_tokens: { __proto__: { convert: false } }'), path: 'dust_tokens.__proto__' },
  { name: 'constructor in equivalents', text: withKeys('equivalents: { constructor: ETH }'), path: 'equivalents.constructor' },
  { name: '__proto__ deep in a market', text: replace('EIGEN/USDT: { min_notional: "5"', 'EIGEN/USDT: { __proto__: { x: 1 }, min_notional: "5"'), path: 'venues.binance.markets.EIGEN/USDT.__proto__' },
  // Cross-references to nothing.
  { name: 'an unknown token on the left of equivalents', text: withKeys('equivalents: { WETH: ETH, stETH: ETH }'), path: 'equivalents.stETH', says: [REGISTRY, 'found "stETH"'] },
  { name: 'an unknown token on the right of equivalents', text: withKeys('equivalents: { WETH: ETH, weETH: ETHH }'), path: 'equivalents.weETH', says: ['found "ETHH"'] },
  { name: 'a typo in ignore_tokens', text: withKeys('ignore_tokens: [EIGN]'), path: 'ignore_tokens[0]', says: [REGISTRY, 'found "EIGN"'] },
  { name: 'a typo in lst_tokens', text: withKeys('lst_tokens: [weETH, wstEHT]'), path: 'lst_tokens[1]', says: ['found "wstEHT"'] },
  { name: 'an unknown dust_tokens key', text: withKeys('dust_tokens: { EIGEN: { convert: false }, ZRO: { convert: false } }'), path: 'dust_tokens.ZRO', says: [REGISTRY] },
  {
    name: 'an unknown token in dust_conversion_path',
    text: replace('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: [EIGEN, DAI]'),
    path: 'dust_conversion_path[1]',
    says: ['found "DAI"'],
  },
  {
    name: 'a typo in a notification event',
    text: withKeys('notifications: { webhook_url: "https://hooks.example/x", events: [dust_conversion_failed, dust_converted_failed] }'),
    path: 'notifications.events[1]',
    says: ['"dust_checked"', '"conversion_state_changed"', 'found "dust_converted_failed"'],
  },
  {
    name: 'an unknown dust_conversion_venue',
    text: replace('dust_conversion_venue: binance', 'dust_conversion_venue: binanse'),
    path: 'dust_conversion_venue',
    says: ['the name of a configured venue (etherfi, wallet, binance, uniswap)'],
  },
  {
    name: 'an exchange that is no CEX venue',
    text: replace(WALLET, `${WALLET}\n  account: { type: static, source: exchange_balance, exchange: uniswap, balances: { EIGEN: "1" } }`),
    path: 'venues.account.exchange',
    says: ['the name of a CEX venue (binance)'],
  },
  {
    name: 'a price source on an unknown venue',
    text: replace('ETH: "2500" } }', 'ETH: "2500" } }\n  - { type: cex_mid, venue: kraken }'),
    path: 'prices[1].venue',
    says: ['the name of a CEX venue (binance)'],
  },
  {
    name: 'an unknown pool token',
    text: replace('{ tokens: [EIGEN, WETH], reserves: ["400000", "200"] }', '{ tokens: [EIGEN, WBTC], reserves: ["400000", "200"] }'),
    path: 'venues.uniswap.pools[0].tokens[1]',
    says: ['found "WBTC"'],
  },
  { name: 'an unknown market symbol', text: replace('ETH/USDT: { min_notional', 'ETH/USDC: { min_notional'), path: 'venues.binance.markets.ETH/USDC', says: ['found "USDC"'] },
  { name: 'an unknown balance token', text: replace('balances: { EIGEN: "20", ETHFI: "800" }', 'balances: { EIGEN: "20", ETHFI: "800", ARB: "1" }'), path: 'venues.wallet.balances.ARB' },
  { name: 'an unknown priced token', text: replace('ETH: "2500" } }', 'ETH: "2500", OP: "1" } }'), path: 'prices[0].prices.OP' },
  {
    name: 'a case near miss',
    text: replace('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: [Eigen, USDT]'),
    path: 'dust_conversion_path[0]',
    says: ['found "Eigen" (did you mean EIGEN?)'],
  },
  { name: 'a Cyrillic lookalike symbol', text: replace('balances: { EIGEN: "20", ETHFI: "800" }', 'balances: { \u0415IGEN: "20", ETHFI: "800" }'), path: 'venues.wallet.balances["\\u0415IGEN"]' },
  {
    name: 'a zero-width space in a symbol',
    text: replace('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: ["EIGEN\u200b", USDT]'),
    path: 'dust_conversion_path[0]',
    says: ['found "EIGEN\\u200b"'],
  },
  { name: 'the backtest modelling two venues under one name', text: withKeys('backtest: { dex: { name: binance } }'), path: 'backtest.cex.name' },
  // Secrets in the wrong place.
  {
    name: 'a secret as the conversion venue',
    text: replace('dust_conversion_venue: binance', 'dust_conversion_venue: "${SECRET_VALUE}"'),
    path: 'dust_conversion_venue',
    says: ['found a value from ${SECRET_VALUE} (not shown)'],
  },
  {
    name: 'a secret as a path symbol',
    text: replace('dust_conversion_path: [EIGEN, USDT]', 'dust_conversion_path: [EIGEN, "${SECRET_SYMBOL}"]'),
    path: 'dust_conversion_path[1]',
    says: ['${SECRET_SYMBOL}'],
  },
  { name: 'a secret as the share class', text: replace('share_class: USDT', 'share_class: "${SECRET_VALUE}"'), path: 'share_class', says: ['found a value from ${SECRET_VALUE} (not shown)'] },
  {
    name: 'a secret as a token address',
    text: replace('{ symbol: ETH, decimals: 18 }', '{ symbol: ETH, decimals: 18, address: "${SECRET_VALUE}" }'),
    path: 'tokens[1].address',
    says: ['${SECRET_VALUE}'],
  },
  { name: 'a secret as a balance', text: replace('ETHFI: "800" }', 'ETHFI: "${SECRET_VALUE}" }'), path: 'venues.wallet.balances.ETHFI', says: ['${SECRET_VALUE}'] },
  { name: 'a secret copied by an alias to a wrong place', text: withKeys('api: { token: &t "${DUST_TOKEN}" }\nignore_tokens: [*t]'), path: 'ignore_tokens[0]', says: ['${DUST_TOKEN}'] },
  {
    name: 'a secret used as a registry symbol, listed back',
    text: replace('{ symbol: weETH,', '{ symbol: "${SECRET_SYMBOL}",').replace('[EIGEN, USDT]', '[EIGEN, DAI]'),
    path: 'dust_conversion_path[1]',
    says: ['[the value of ${SECRET_SYMBOL}, not shown]'],
  },
  { name: 'a short api.token written in the file', text: withKeys(`api: { token: ${CANARY} }`), path: 'api.token', says: ['found a text of 10 characters (not shown: the key holds a secret)'] },
  {
    name: 'an RPC URL with credentials and a wrong scheme',
    text: withKeys(`chains: { ethereum: { rpc_url: "ftp://dust:${CANARY}@node.example/${CANARY}", chain_id: 1 } }`),
    path: 'chains.ethereum.rpc_url',
    says: ['(not shown: the key holds a secret)'],
  },
  {
    name: 'a private RPC URL with its key and a wrong scheme',
    text: withKeys(`chains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 1, private_rpc_url: "wss://relay.example/${CANARY}" } }`),
    path: 'chains.ethereum.private_rpc_url',
    says: ['(not shown: the key holds a secret)'],
  },
  {
    name: 'a private RPC fallback that is neither never nor public',
    text: withKeys('chains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 1, private_rpc_url: "https://relay.example", private_rpc_fallback: sometimes } }'),
    path: 'chains.ethereum.private_rpc_fallback',
    says: ['expected one of "never", "public", found "sometimes"'],
  },
  {
    name: 'a webhook URL with its token and a space',
    text: withKeys(`notifications: { webhook_url: "https://hooks.example/services/${CANARY} x" }`),
    path: 'notifications.webhook_url',
    says: ['(not shown: the key holds a secret)'],
  },
  {
    name: 'a private key pasted in place of its variable name',
    text: withKeys(`execution: { mode: paper, signer: { private_key_env: "0x${CANARY}ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8" } }`),
    path: 'execution.signer.private_key_env',
    says: ['found a text of 75 characters (not shown: the key holds a secret)'],
  },
  {
    name: 'a password pasted in place of its variable name',
    text: withKeys(`execution: { signer: { keystore_file: k.json, keystore_password_env: "${CANARY} pw" } }`),
    path: 'execution.signer.keystore_password_env',
    says: ['(not shown: the key holds a secret)'],
  },
  {
    name: 'an API key pasted in place of its variable name',
    text: replace(WALLET, `${WALLET}\n  kraken: { type: ccxt, exchange: kraken, api_key_env: "${CANARY}-api-key" }`),
    path: 'venues.kraken',
    says: ['the value itself is not shown'],
  },
  // Values of the wrong type or out of range.
  { name: 'a list for dust_delta', text: replace('dust_delta: 0.002', 'dust_delta: [0.002]'), path: 'dust_delta', says: ['found a list of 1'] },
  { name: 'a second venues key, as a list', text: withKeys('venues: [wallet]'), path: 'venues', says: ['Map keys must be unique'] },
  { name: 'a mapping for tokens', text: replace('tokens:', 'tokens: { USDT: 6 }\nregistry:'), path: 'tokens', says: ['expected a list'] },
  { name: 'words for decimals', text: replace('{ symbol: ETH, decimals: 18 }', '{ symbol: ETH, decimals: eighteen }'), path: 'tokens[1].decimals', says: ['a whole number from 0 to 36'] },
  { name: 'a string for a boolean', text: replace('staking_enabled: true', 'staking_enabled: "yes"'), path: 'staking_enabled', says: ['expected boolean'] },
  { name: 'YAML 1.1 "no" for a boolean', text: withKeys('dust_tokens: { EIGEN: { convert: no } }'), path: 'dust_tokens.EIGEN.convert', says: ['found "no"'] },
  { name: 'a mapping for a balance', text: replace('ETHFI: "800" }', 'ETHFI: { amount: 800 } }'), path: 'venues.wallet.balances.ETHFI', says: ['found a mapping'] },
  { name: 'a duplicate key', text: withKeys('dust_delta: 0.5'), path: 'dust_delta', says: ['Map keys must be unique'] },
  { name: 'a duplicate nested key', text: replace('{ symbol: ETH, decimals: 18 }', '{ symbol: ETH, decimals: 18, decimals: 6 }'), path: 'tokens[1].decimals', says: ['Map keys must be unique'] },
  {
    name: 'a symbol twice in the registry',
    text: replace('{ symbol: ETH, decimals: 18 }', '{ symbol: ETH, decimals: 18 }\n  - { symbol: ETH, decimals: 6 }'),
    path: 'tokens[2].symbol',
    says: ['each symbol once in the token registry'],
  },
  { name: 'a 101-digit balance', text: replace('ETHFI: "800" }', `ETHFI: "1${'0'.repeat(100)}" }`), path: 'venues.wallet.balances.ETHFI', says: ['at most 78 digits before the point and 36 after'] },
  { name: 'decimals of 1e400', text: replace('{ symbol: ETH, decimals: 18 }', '{ symbol: ETH, decimals: 1e400 }'), path: 'tokens[1].decimals', says: ['found "1e400"'] },
  { name: '.nan as dust_delta', text: replace('dust_delta: 0.002', 'dust_delta: .nan'), path: 'dust_delta', says: ['found ".nan"'] },
  { name: '.inf as a price', text: replace('EIGEN: "1.25"', 'EIGEN: .inf'), path: 'prices[0].prices.EIGEN', says: ['found ".inf"'] },
  { name: 'a negative dust_delta', text: replace('dust_delta: 0.002', 'dust_delta: -0.002'), path: 'dust_delta', says: ['found "-0.002"'] },
  { name: 'max_hops of 20 digits', text: withKeys('max_hops: 99999999999999999999'), path: 'max_hops', says: ['a whole number from 1 to 3'] },
  { name: 'a hexadecimal chain id', text: withKeys('chains: { ethereum: { rpc_url: "http://127.0.0.1:8545", chain_id: 0x7a69 } }'), path: 'chains.ethereum.chain_id', says: ['found "0x7a69"'] },
  { name: 'gas units of 30 digits', text: withKeys(`gas_units: { swap: ${'9'.repeat(30)} }`), path: 'gas_units.swap', says: ['a whole number of at most 18 digits'] },
  { name: 'a price in exponent notation', text: replace('EIGEN: "1.25"', 'EIGEN: 1.25e0'), path: 'prices[0].prices.EIGEN', says: ['found "1.25e0"'] },
  { name: 'an escape sequence in a value', text: replace('mode: usdt_test', 'mode: "usdt\u001b[2J\u001b[31mtest"'), path: 'mode', says: ['"usdt\\u001b[2J\\u001b[31mtest"'] },
]

/** The configuration file of a case: its text in a fresh file, or the path it names. */
async function configOf(entry: HostileCase, index: number): Promise<string> {
  if (entry.config) return entry.config()
  const file = join(configs, `case-${index}-${(count += 1)}.yaml`)
  if (entry.name === 'a balances file given as an absolute path outside') await writeFile(file, etherfiFile(join(outside, 'secret.yaml')))
  else if (entry.name === 'a balances file inside DUST_SECRETS_DIR that links outside') await writeFile(file, etherfiFile(join(secrets, 'escape.yaml')))
  else if (entry.name === 'a configuration that is not UTF-8') await writeFile(file, Buffer.from([0x6d, 0x6f, 0x64, 0x65, 0x3a, 0x20, 0xc3, 0x28, 0x0a]))
  else await writeFile(file, entry.text ?? '')
  return file
}

/** Asserts that no canary reached anything the run printed or logged. */
function expectNoCanary(...texts: string[]): void {
  for (const text of texts) expect(text).not.toContain(CANARY)
}

describe('hostile configurations', () => {
  it('has at least 60 of them', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
  })

  it.each(CASES.map((entry, index) => [entry.name, entry, index] as const))('refuses %s (exit 2), naming the file and the key path, showing no secret', async (_name, entry, index) => {
    const file = await configOf(entry, index)
    const io = cliIo({ env: { ...SECRET_ENV, DUST_SECRETS_DIR: secrets, ...entry.env } })
    const code = await runCli([...(entry.command ?? ['config', 'check']), '-c', file], io)
    const err = io.err()
    expect(err).toContain('error: Invalid configuration in ')
    expect(code).toBe(EXIT.usage)
    expect(io.out()).toBe('')
    const named = entry.names?.() ?? file
    const where = entry.line === false ? `  ${named} ` : `  ${named}:`
    expect(err).toContain(where)
    if (entry.line !== false) expect(err).toMatch(new RegExp(`  ${escapeRegExp(named)}:\\d+(:\\d+)? ${escapeRegExp(entry.path)}: expected `))
    else expect(err).toContain(` ${entry.path}: expected `)
    for (const text of entry.says ?? []) expect(err).toContain(text)
    expect(err).not.toMatch(/\n\s+at /)
    // Escapes are written as \u escapes: nothing a terminal would obey.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test asserts that no control character reaches the terminal
    expect(err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
    expectNoCanary(io.out(), err, JSON.stringify(io.logger.entries))
  })

  it('reads a balances file from DUST_SECRETS_DIR, and refuses it without the variable', async () => {
    const file = join(configs, `secrets-dir-${(count += 1)}.yaml`)
    await writeFile(file, etherfiFile(join(secrets, 'balances.yaml')))
    const allowed = cliIo({ env: { ...SECRET_ENV, DUST_SECRETS_DIR: secrets } })
    expect(await runCli(['config', 'check', '--json', '-c', file], allowed)).toBe(EXIT.ok)
    expect(cliJsonLines(allowed.out())[0]).toMatchObject({ venues: { etherfi: { balances: { EIGEN: '1500' } } } })
    const refused = cliIo({ env: SECRET_ENV })
    expect(await runCli(['config', 'check', '-c', file], refused)).toBe(EXIT.usage)
    expect(refused.err()).toContain(
      `venues.etherfi.file: expected a regular text file of at most 16 MiB inside the configuration's folder (or DUST_SECRETS_DIR, when set), found ${join(secrets, 'balances.yaml')}: a path that leads outside the configuration's folder (${configs}): to ${join(secrets, 'balances.yaml')}`,
    )
  })

  it('accepts a byte order mark before a valid configuration', async () => {
    const file = join(configs, `bom-${(count += 1)}.yaml`)
    await writeFile(file, `\uFEFF${FIXTURE_CONFIG_YAML}`)
    const io = cliIo()
    expect(await runCli(['config', 'check', '-c', file], io)).toBe(EXIT.ok)
    expect(io.out()).toContain(`${file}: valid`)
  })
})

describe('secrets in their right places', () => {
  const SECRET_CONFIG = `${FIXTURE_CONFIG_YAML}execution: { mode: paper }
chains:
  ethereum: { rpc_url: "https://dust:${CANARY}-rpc-password@rpc.example/v3/${CANARY}-rpc-key", chain_id: 31337, private_rpc_url: "https://${CANARY}-relay.example/${CANARY}-private" }
api: { token: "\${DUST_TOKEN}", port: 0 }
notifications: { webhook_url: "https://hooks.invalid/services/${CANARY}-webhook", events: [dust_cycle_failed] }
`

  it('config check prints none of them, as text or as JSON', async () => {
    const file = join(configs, `secret-places-${(count += 1)}.yaml`)
    await writeFile(file, SECRET_CONFIG)
    for (const json of [false, true]) {
      const io = cliIo({ env: SECRET_ENV })
      expect(await runCli(['config', 'check', ...(json ? ['--json'] : []), '-c', file], io)).toBe(EXIT.ok)
      expectNoCanary(io.out(), io.err(), JSON.stringify(io.logger.entries))
      if (json) {
        const [document] = cliJsonLines(io.out())
        expect(document?.api).toEqual({ host: '127.0.0.1', port: 0, token: '[redacted: from the environment]' })
        expect(document?.chains).toMatchObject({ ethereum: { rpc_url: 'https://rpc.example/[redacted]', private_rpc_url: '[redacted]' } })
        expect(document?.notifications).toMatchObject({ webhook_url: 'https://hooks.invalid/[redacted]' })
      } else expect(io.out()).toContain('secrets from the environment (not shown): api.token')
    }
  })

  it('a run records and prints none of them: not in its output, its logs, its events or its conversions', async () => {
    const file = join(configs, `secret-run-${(count += 1)}.yaml`)
    await writeFile(file, SECRET_CONFIG)
    const store = join(dir, `secret-run-${count}.db`)
    const env = { SECRET_VALUE: SECRET_ENV.SECRET_VALUE, DUST_TOKEN: SECRET_ENV.DUST_TOKEN }
    const run = cliIo({ env })
    expect(await runCli(['run', '--once', '--json', '--store', store, '-c', file], run)).toBe(EXIT.ok)
    expect(cliJsonLines(run.out())[0]).toMatchObject({ strategy_mode: 'usdt_test' })
    const events = cliIo({ env })
    expect(await runCli(['events', '--json', '--store', store, '-c', file], events)).toBe(EXIT.ok)
    expect(cliJsonLines(events.out()).map((event) => event.event_type)).toContain('dust_converted')
    const conversions = cliIo({ env })
    expect(await runCli(['conversions', '--json', '--store', store, '-c', file], conversions)).toBe(EXIT.ok)
    expect(cliJsonLines(conversions.out()).length).toBeGreaterThan(0)
    for (const io of [run, events, conversions]) expectNoCanary(io.out(), io.err(), JSON.stringify(io.logger.entries))
  })

  it('serve shows none of them in its metrics, strategies or events', async () => {
    const file = join(configs, `secret-serve-${(count += 1)}.yaml`)
    await writeFile(file, SECRET_CONFIG.replace('execution: { mode: paper }', 'execution: { mode: dry-run }'))
    const stop = new AbortController()
    const io = cliIo({ env: { DUST_TOKEN: SECRET_ENV.DUST_TOKEN }, stopSignal: stop.signal, clock: undefined })
    const running = runCli(['serve', '-c', file, '--store', join(dir, `serve-${count}.db`)], io)
    let address: string | undefined
    for (let tries = 0; !address && tries < 400; tries += 1) {
      address = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1]
      if (!address) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    let metrics = ''
    for (let tries = 0; !/^dust_ratio\{/m.test(metrics) && tries < 400; tries += 1) {
      metrics = await (await fetch(`${address}/metrics`)).text()
      if (!/^dust_ratio\{/m.test(metrics)) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(metrics).toMatch(/^dust_ratio\{strategy="usdt_test"\} 0\.00266$/m)
    const strategies = await (await fetch(`${address}/strategies`)).text()
    const events = await (await fetch(`${address}/events`)).text()
    stop.abort()
    await running
    expect(strategies).toContain('usdt_test')
    expectNoCanary(metrics, strategies, events, io.out(), io.err(), JSON.stringify(io.logger.entries))
  })
})

describe('a private RPC endpoint that fails', () => {
  it('a run whose swap finds its private endpoint down (fallback never) leaves it unsent, and shows the endpoint nowhere: not in its output, logs, events or conversions', async () => {
    const chain = await startLocalChain()
    try {
      const world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
      const config = demoConfig(world, 'DUST_HOSTILE_KEY')
      const chains = config.chains as Record<string, Record<string, unknown>>
      const port = await freePort()
      chains.local = { ...chains.local, private_rpc_url: `http://dust:${CANARY}-relay-password@127.0.0.1:${port}/${CANARY}-private-key`, private_rpc_fallback: 'never' }
      const file = join(configs, `private-rpc-${(count += 1)}.yaml`)
      // JSON is YAML.
      await writeFile(file, JSON.stringify(config, null, 2))
      const store = join(dir, `private-rpc-${count}.db`)
      const env = { DUST_HOSTILE_KEY: world.walletKey }
      const nonce = (blockTag: 'latest' | 'pending') => createPublicClient({ transport: http(chain.rpcUrl) }).getTransactionCount({ address: world.wallet, blockTag })
      const before = await nonce('latest')
      const run = cliIo({ env, clock: undefined })
      expect(await runCli(['run', '--once', '--json', '--store', store, '-c', file], run)).toBe(EXIT.failure)
      const outcomes = cliJsonLines(run.out())[0]?.outcomes as Array<{ token: string; status: string; reason?: string; retryable?: boolean; steps: Array<{ kind: string }> }>
      const swapped = outcomes.find((outcome) => outcome.token === 'ETHFI')
      expect(swapped).toMatchObject({ status: 'failed', reason: 'send_failed', retryable: true })
      expect(swapped?.steps.map((step) => step.kind)).toEqual(['claim', 'approve'])
      // Nothing of the swap reached the chain: the wallet sent its two claims, the transfer to the paper exchange and the approval, and nothing waits.
      expect(await nonce('latest')).toBe(before + 4)
      expect(await nonce('pending')).toBe(before + 4)
      const events = cliIo({ env })
      expect(await runCli(['events', '--json', '--store', store, '-c', file], events)).toBe(EXIT.ok)
      expect(cliJsonLines(events.out()).map((event) => event.event_type)).toContain('dust_conversion_failed')
      const conversions = cliIo({ env })
      expect(await runCli(['conversions', '--json', '--store', store, '-c', file], conversions)).toBe(EXIT.ok)
      for (const io of [run, events, conversions]) expectNoCanary(io.out(), io.err(), JSON.stringify(io.logger.entries))
    } finally {
      await chain.stop()
    }
  }, 120_000)
})

/** A TCP server that accepts connections and never answers: an RPC node that hangs. */
async function silentNode(): Promise<{ port: number; connected: Promise<void>; server: Server }> {
  let connected: () => void = () => {}
  const seen = new Promise<void>((resolve) => {
    connected = resolve
  })
  const sockets = new Set<import('node:net').Socket>()
  const server = createServer((socket) => {
    // A reset connection is what the client sees when the test ends; nothing to report here.
    socket.on('error', () => {})
    sockets.add(socket)
    connected()
  })
  server.on('close', () => {
    for (const socket of sockets) socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as { port: number }).port, connected: seen, server }
}

const silentRpcConfig = (port: number) => `mode: silent_rpc
share_class: USDT
asset: ETH
dust_delta: 0.002
tokens:
  - { symbol: USDT, address: "0xdAC17F958D2ee523a2206206994597C13D831ec7", decimals: 6 }
  - { symbol: ETH, decimals: 18 }
  - { symbol: EIGEN, address: "0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83", decimals: 18 }
chains:
  ethereum: { rpc_url: "http://dust:${CANARY}-rpc@127.0.0.1:${port}/${CANARY}-rpc-key", chain_id: 1 }
venues:
  wallet: { type: evm_wallet, chain: ethereum, address: "0x0000000000000000000000000000000000000001" }
prices:
  - { type: static, quote: USDT, prices: { EIGEN: "1.25", ETH: "2500" } }
equity: { type: static, value: "1000000" }
`

describe('the stop signal', () => {
  it('abandons a scan stuck on a silent RPC node at once (EXIT.stopped), showing no credential', async () => {
    const node = await silentNode()
    try {
      const file = join(configs, `silent-${(count += 1)}.yaml`)
      await writeFile(file, silentRpcConfig(node.port))
      const stop = new AbortController()
      const io = cliIo({ stopSignal: stop.signal, clock: undefined })
      const running = runCli(['scan', '-c', file], io)
      await node.connected
      stop.abort()
      expect(await running).toBe(EXIT.stopped)
      expectNoCanary(io.out(), io.err(), JSON.stringify(io.logger.entries))
    } finally {
      node.server.close()
    }
  })
})

/** Runs the built `./dust` with `args`; `onStart` gets the child once it runs. */
function dustProcess(
  args: string[],
  env: Record<string, string> = {},
  onStart?: (child: ChildProcess, out: () => string) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('./dust', args, { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    onStart?.(child, () => stdout)
  })
}

/** Resolves with true once `out()` matches `pattern`, or with false when the child ends first. */
async function waitFor(child: ChildProcess, out: () => string, pattern: RegExp): Promise<boolean> {
  while (!pattern.test(out())) {
    if (child.exitCode !== null || child.signalCode !== null) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}

describe('hostile configurations, as a process', () => {
  it('refuses a FIFO as the configuration at once (exit 2) instead of waiting for a writer', async () => {
    const fifo = join(configs, 'fifo-config.yaml')
    const { code, stdout, stderr } = await dustProcess(['config', 'check', '-c', fifo], SECRET_ENV)
    expect(stderr).toBe(`error: Invalid configuration in ${fifo} (1 problem).\n  ${fifo} (top level): expected a readable configuration file, found a FIFO (named pipe), not a regular file\n`)
    expect(code).toBe(2)
    expectNoCanary(stdout, stderr)
  }, 60_000)

  it('refuses a 3 GiB configuration before reading it (exit 2)', async () => {
    const huge = join(configs, 'huge-config.yaml')
    const { code, stderr } = await dustProcess(['scan', '-c', huge])
    expect(stderr).toContain(`  ${huge} (top level): expected a readable configuration file, found a file of 3221225472 bytes, over the cap of 1 MiB\n`)
    expect(code).toBe(2)
  }, 60_000)

  it.each([
    ['SIGTERM', 0],
    ['SIGINT', 0],
  ] as const)(
    'stops monitor on %s after the cycle in flight, a clean stop (exit %i)',
    async (signal, expected) => {
      const file = join(configs, `monitor-${signal}.yaml`)
      await writeFile(file, FIXTURE_CONFIG_YAML)
      const { code, stdout, stderr } = await dustProcess(['monitor', '--interval', '1', '-c', file], {}, (child, out) => {
        void waitFor(child, out, /Press Ctrl-C to stop\./).then((started) => started && child.kill(signal))
      })
      expect(stderr).toBe('')
      expect(stdout.trimEnd().split('\n').at(-1)).toBe('Stopped.')
      expect(code).toBe(expected)
    },
    60_000,
  )

  it('stops a scan stuck on a silent RPC node on SIGTERM (exit 143), showing no credential', async () => {
    const node = await silentNode()
    try {
      const file = join(configs, `silent-process-${(count += 1)}.yaml`)
      await writeFile(file, silentRpcConfig(node.port))
      const { code, stdout, stderr } = await dustProcess(['scan', '-c', file, '--log-level', 'debug'], SECRET_ENV, (child) => {
        void node.connected.then(() => child.kill('SIGTERM'))
      })
      expect(code).toBe(143)
      expectNoCanary(stdout, stderr)
    } finally {
      node.server.close()
    }
  }, 60_000)
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
