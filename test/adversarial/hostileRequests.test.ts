import { closeSync, openSync, readFileSync } from 'node:fs'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvmChains } from '../../src/adapters/evm/createEvmChains.js'
import { loadSigner } from '../../src/adapters/evm/loadSigner.js'
import { defaultDataDir, readLastCloses } from '../../src/adapters/history/readLastCloses.js'
import { type LocalDeployer, createLocalDeployer } from '../../src/adapters/localchain/createLocalDeployer.js'
import { type LocalChain, startLocalChain } from '../../src/adapters/localchain/startLocalChain.js'
import { createMetrics } from '../../src/adapters/prometheus/createMetrics.js'
import { createSqliteEventStore } from '../../src/adapters/sqlite/createSqliteEventStore.js'
import { createLogger } from '../../src/adapters/system/createLogger.js'
import { loadConfig } from '../../src/app/loadConfig.js'
import { type LoadedConfig, signerKeySource } from '../../src/config/index.js'
import { type DustManager, createDustManager } from '../../src/engine/createDustManager.js'
import type { Strategy } from '../../src/engine/Strategy.js'
import { collectSecrets } from '../../src/interfaces/cli/collectSecrets.js'
import { type DemoWorld, createDemoWorld, demoConfig } from '../../src/app/createDemoWorld.js'
import { createStrategy } from '../../src/app/createStrategy.js'
import { loadVenueBuilders } from '../../src/app/venues/loadVenueBuilders.js'
import { type HttpServer, createHttpServer } from '../../src/interfaces/http/createHttpServer.js'
import type { EventStore } from '../../src/ports/index.js'
import { cliTempDir } from '../cliIo.js'
import { freePort } from '../freePort.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../fixtureConfig.js'
import { fixtureClock } from '../fixtureMoney.js'

// Secrets planted where a real deployment keeps them; none may come out of the API, its log,
// its event store or its metrics, whatever is sent to it.
const TOKEN = 'CANARY-api-token-7f3a9c1e5b2d'
const RPC_PASSWORD = 'CANARY-rpc-password-2d8e4b'
const KEY_ENV = 'DUST_SIGNER_KEY'
const LATER = 'Try again later; the server log has the cause.'
const bearer = { authorization: `Bearer ${TOKEN}` }

type Served = { server: HttpServer; manager: DustManager; store: EventStore }

let chain: LocalChain
let world: DemoWorld
let temp: Awaited<ReturnType<typeof cliTempDir>>
let logFile: string
let logFd: number
let deadPort: number
let canaries: string[]
let main: Served
let noLive: HttpServer
let storeDown: Served
let storeDownFile: string
let reader: LocalDeployer

/** The demo world's strategy as a user would write it (JSON is YAML), its node's URL from the environment variable `rpcUrlEnv`. */
function chainConfig(mode: string, execution: 'paper' | 'live', rpcUrlEnv: string): string {
  const config = demoConfig(world, KEY_ENV)
  config.mode = mode
  config.execution = { mode: execution, max_slippage_bps: 50, signer: { private_key_env: KEY_ENV } }
  const { local } = config.chains as { local: Record<string, unknown> }
  config.chains = { local: { ...local, rpc_url: `\${${rpcUrlEnv}}` } }
  // Only real venues: the paper Binance goes, and its mid price with it.
  delete (config.venues as Record<string, unknown>).binance
  config.prices = (config.prices as Array<{ type: string }>).filter((source) => source.type !== 'cex_mid')
  return JSON.stringify(config, null, 2)
}

beforeAll(async () => {
  chain = await startLocalChain()
  world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
  reader = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` })
  temp = await cliTempDir()
  deadPort = await freePort()
  const rpc = new URL(chain.rpcUrl)
  const env = {
    DUST_API_TOKEN: TOKEN,
    [KEY_ENV]: world.walletKey,
    // The node does not check them; they travel as every RPC provider's do, in the URL.
    DUST_RPC_URL: `http://rpcuser:${RPC_PASSWORD}@${rpc.host}/`,
    DUST_DEAD_RPC_URL: `http://rpcuser:${RPC_PASSWORD}@127.0.0.1:${deadPort}/`,
  }
  const files = {
    paper: await temp.write('paper.yaml', `${FIXTURE_CONFIG_YAML}execution: { mode: paper }\napi: { token: "\${DUST_API_TOKEN}" }\n`),
    dry: await temp.write('dry.yaml', fixtureConfigWith('mode: usdt_test', 'mode: usdt_dry')),
    live: await temp.write('live.yaml', chainConfig('usdt_live_local', 'live', 'DUST_RPC_URL')),
    down: await temp.write('down.yaml', chainConfig('usdt_rpc_down', 'paper', 'DUST_DEAD_RPC_URL')),
  }
  // As `dust serve` wires them: configurations loaded from files, one chain registry, the signer from the environment.
  const loaded: LoadedConfig[] = []
  for (const file of Object.values(files)) loaded.push(await loadConfig({ file, env }))
  const chains = createEvmChains()
  const clock = fixtureClock(Date.now())
  const strategies: Strategy[] = []
  for (const { config } of loaded) {
    const settings = config.execution.signer
    const keyEnv = settings && signerKeySource(settings).private_key_env
    const signer = config.execution.mode !== 'dry-run' && keyEnv !== undefined ? await loadSigner({ private_key_env: keyEnv, env }) : undefined
    strategies.push(createStrategy({ config, clock, chains, signer, venueBuilders: await loadVenueBuilders([config]) }))
  }
  const secrets = collectSecrets({ loaded, env })
  canaries = [TOKEN, RPC_PASSWORD, world.walletKey, world.walletKey.slice(2)]
  // The planted secrets are what serve collects, and the test looks for every one of them.
  expect(canaries.every((canary) => secrets.includes(canary))).toBe(true)

  logFile = `${temp.dir}/server.log`
  logFd = openSync(logFile, 'w')
  const logger = createLogger({ level: 'debug', destination: logFd })
  const serve = (store: EventStore, served: Strategy[], executeLive: boolean): Served => {
    const metrics = createMetrics({ strategies: served })
    // `dust serve` builds its manager with execute: true, for its monitor loops.
    const manager = createDustManager({ strategies: served, clock, logger, execute: true, store, observeScanDuration: metrics.observeScanDuration })
    manager.subscribe('*', metrics.observe)
    return { manager, store, server: createHttpServer({ manager, strategies: served, eventStore: store, metrics, token: TOKEN, executeLive, secrets, logger }) }
  }
  main = serve(await createSqliteEventStore({ file: `${temp.dir}/events.db`, clock }), strategies, true)
  noLive = serve(main.store, strategies, false).server
  storeDownFile = `${temp.dir}/down.db`
  storeDown = serve(await createSqliteEventStore({ file: storeDownFile, clock }), strategies.slice(0, 1), true)
  await storeDown.store.close()
}, 240_000)

afterAll(async () => {
  await main?.server.close()
  await noLive?.close()
  await storeDown?.server.close()
  await main?.store.close()
  if (logFd !== undefined) closeSync(logFd)
  await chain?.stop()
  await temp?.cleanup()
})

/** Says where a canary was found, if anywhere. */
function leaks(where: string, text: string): string[] {
  const lower = text.toLowerCase()
  return canaries.filter((canary) => lower.includes(canary.toLowerCase())).map((canary) => `${where} holds ${canary.slice(0, 12)}…`)
}

async function everyLeak(response: LightMyRequestResponse): Promise<string[]> {
  const metrics = await main.server.inject({ method: 'GET', url: '/metrics' })
  return [
    ...leaks('the body', response.body),
    ...leaks('the headers', JSON.stringify(response.headers)),
    ...leaks('the log', readFileSync(logFile, 'utf8')),
    ...leaks('the events', JSON.stringify(await main.store.read())),
    ...leaks('the conversions', JSON.stringify(await main.store.conversions())),
    ...leaks('the metrics', metrics.body),
  ]
}

async function lastSeq(): Promise<number> {
  return (await main.store.read()).at(-1)?.seq ?? 0
}

async function nonce(): Promise<number> {
  return reader.client.getTransactionCount({ address: world.wallet })
}

async function walletEigen(): Promise<bigint> {
  return reader.client.readContract({ address: world.environment.tokens.EIGEN, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })
}

type Row = {
  name: string
  request: InjectOptions
  /** Which server: the main one (live execution allowed), one without --execute, or one whose store is closed. */
  on?: 'main' | 'noLive' | 'storeDown'
  status: number
  code?: string
  /** What the message must name: the offending parameter, header or strategy. */
  names?: string[]
  /** The exact message, where the message must say nothing more (dependencies down). */
  message?: string
  check?: (response: LightMyRequestResponse) => Promise<void> | void
}

const prototypeIsClean = () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
}

const rows: Row[] = [
  // Authentication.
  { name: 'scan without Authorization', request: { method: 'POST', url: '/strategies/usdt_test/scan' }, status: 401, code: 'unauthorized', names: ['Authorization'] },
  { name: 'convert without Authorization', request: { method: 'POST', url: '/strategies/usdt_test/convert' }, status: 401, code: 'unauthorized', names: ['Authorization'] },
  {
    name: 'a lowercase scheme with a wrong token',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: 'bearer wrong-token-0000000000' } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization'],
  },
  {
    name: 'the token under the Basic scheme',
    request: { method: 'POST', url: '/strategies/usdt_test/convert', headers: { authorization: `Basic ${TOKEN}` } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization', 'bearer'],
  },
  {
    name: 'the token without a scheme',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: TOKEN } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization'],
  },
  {
    name: 'the token with one more character',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: `Bearer ${TOKEN}x` } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization'],
  },
  {
    name: 'the token less its last character',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization'],
  },
  { name: 'the scheme alone', request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: 'Bearer' } }, status: 401, code: 'unauthorized', names: ['Authorization'] },
  {
    name: 'an 8 KiB Authorization header',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: `Bearer ${'A'.repeat(8192)}` } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization'],
  },
  { name: 'the token in the query string', request: { method: 'POST', url: `/strategies/usdt_test/scan?access_token=${TOKEN}` }, status: 401, code: 'unauthorized', names: ['Authorization'] },
  {
    name: 'the token in the query string as well as the header',
    request: { method: 'POST', url: `/strategies/usdt_test/scan?token=${TOKEN}`, headers: bearer },
    status: 400,
    code: 'invalid_query',
    names: ['token', 'no query parameter'],
  },
  {
    name: 'a token for an unknown strategy: the token is checked first',
    request: { method: 'POST', url: '/strategies/nope/convert', headers: { authorization: 'Bearer x' } },
    status: 401,
    code: 'unauthorized',
    names: ['Authorization'],
  },

  // Scan never executes; convert only where execution is allowed.
  {
    name: 'scan of a live strategy (allowed to execute live) executes nothing',
    request: { method: 'POST', url: '/strategies/usdt_live_local/scan', headers: { authorization: `BEARER ${TOKEN}` } },
    status: 200,
    check: async (response) => {
      const plan = response.json()
      // There was something to execute: the plan has instructions, and none was carried out.
      expect(plan).toMatchObject({ strategy_mode: 'usdt_live_local', exceeds_threshold: true })
      expect(plan.instructions.length).toBeGreaterThan(0)
      const events = (await main.store.read({ strategyMode: 'usdt_live_local' })).map((stored) => stored.event.event_type)
      expect(events.filter((type) => type === 'conversion_state_changed' || type === 'dust_converted' || type === 'dust_conversion_failed')).toEqual([])
      expect(await main.store.conversions({ strategyMode: 'usdt_live_local' })).toEqual([])
    },
  },
  {
    name: 'scan of a paper strategy executes nothing',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { authorization: `bearer ${TOKEN}` }, payload: {} },
    status: 200,
    check: async (response) => {
      expect(response.json()).toMatchObject({ strategy_mode: 'usdt_test', exceeds_threshold: true, total_dust_value: '2660' })
      expect(await main.store.conversions({ strategyMode: 'usdt_test' })).toEqual([])
    },
  },
  { name: 'convert of a dry-run strategy', request: { method: 'POST', url: '/strategies/usdt_dry/convert', headers: bearer }, status: 409, code: 'execution_disabled', names: ['usdt_dry', 'dry-run'] },
  {
    name: 'convert of a live strategy without --execute',
    request: { method: 'POST', url: '/strategies/usdt_live_local/convert', headers: bearer },
    on: 'noLive',
    status: 409,
    code: 'execution_disabled',
    names: ['usdt_live_local', '--execute'],
  },
  {
    name: 'a scan body asking to execute',
    request: { method: 'POST', url: '/strategies/usdt_live_local/scan', headers: bearer, payload: { execute: true } },
    status: 400,
    code: 'invalid_request',
    names: ['execute'],
  },

  // Path parameters.
  { name: 'an unknown strategy', request: { method: 'GET', url: '/strategies/nope/snapshot' }, status: 404, code: 'unknown_strategy', names: ['"nope"', 'usdt_test'] },
  { name: 'path traversal in :mode', request: { method: 'GET', url: '/strategies/..%2F..%2Fetc%2Fpasswd/snapshot' }, status: 400, code: 'invalid_params', names: ['mode', '../../etc/passwd'] },
  { name: 'path traversal in :mode of scan', request: { method: 'POST', url: '/strategies/..%2Fusdt_test/scan', headers: bearer }, status: 400, code: 'invalid_params', names: ['mode'] },
  { name: 'dot segments in the path', request: { method: 'GET', url: '/strategies/../../etc/passwd' }, status: 404, code: 'not_found', names: ['/etc/passwd'] },
  { name: 'the token as :mode', request: { method: 'GET', url: `/strategies/${TOKEN}/snapshot` }, status: 400, code: 'invalid_params', names: ['mode', '[redacted]'] },
  { name: 'a :mode of 65 characters', request: { method: 'GET', url: `/strategies/${'a'.repeat(65)}/snapshot` }, status: 400, code: 'invalid_params', names: ['mode', '1 to 64'] },
  {
    name: "a :mode over fastify's parameter limit",
    request: { method: 'POST', url: `/strategies/${'a'.repeat(300)}/scan`, headers: bearer },
    status: 400,
    code: 'invalid_params',
    names: [':mode', '100 characters'],
  },
  { name: 'a NUL byte in :mode', request: { method: 'GET', url: '/strategies/usdt_test%00/snapshot' }, status: 400, code: 'invalid_params', names: ['mode'] },
  { name: 'a malformed percent-encoding', request: { method: 'GET', url: '/strategies/%E0%A4%A/snapshot' }, status: 400, code: 'invalid_request', names: ['URL'] },
  { name: '__proto__ as :mode', request: { method: 'GET', url: '/strategies/__proto__/snapshot' }, status: 404, code: 'unknown_strategy', names: ['__proto__'], check: prototypeIsClean },

  // Query strings.
  { name: 'a huge limit', request: { method: 'GET', url: '/events?limit=1000000' }, status: 400, code: 'invalid_query', names: ['limit', 'from 1 to 1000'] },
  { name: 'a zero limit', request: { method: 'GET', url: '/events?limit=0' }, status: 400, code: 'invalid_query', names: ['limit', 'from 1 to 1000'] },
  { name: 'a negative since', request: { method: 'GET', url: '/events?since=-5' }, status: 400, code: 'invalid_query', names: ['since', 'from 0 to 9007199254740991'] },
  { name: 'a non-numeric since', request: { method: 'GET', url: '/events?since=abc' }, status: 400, code: 'invalid_query', names: ['since', '"abc"'] },
  { name: 'a since in exponent notation', request: { method: 'GET', url: '/events?since=1e3' }, status: 400, code: 'invalid_query', names: ['since'] },
  {
    name: 'a since past the largest safe integer',
    request: { method: 'GET', url: '/events?since=99999999999999999999' },
    status: 400,
    code: 'invalid_query',
    names: ['since', 'from 0 to 9007199254740991'],
  },
  { name: 'a repeated limit', request: { method: 'GET', url: '/events?limit=5&limit=6' }, status: 400, code: 'invalid_query', names: ['limit', 'a list of 2'] },
  {
    name: 'an SQL injection in the strategy filter of /events',
    request: { method: 'GET', url: `/events?strategy=${encodeURIComponent("usdt_test' OR '1'='1")}` },
    status: 400,
    code: 'invalid_query',
    names: ['strategy'],
    check: async () => {
      // The log is whole: a filter that is a strategy mode reads it as before.
      expect((await main.server.inject({ method: 'GET', url: '/events?strategy=usdt_test' })).json().events.length).toBeGreaterThan(0)
    },
  },
  {
    name: 'a statement in the strategy filter of /events',
    request: { method: 'GET', url: `/events?strategy=${encodeURIComponent('usdt_test; DROP TABLE events; --')}` },
    status: 400,
    code: 'invalid_query',
    names: ['strategy'],
  },
  {
    name: 'a UNION in the strategy filter of /conversions',
    request: { method: 'GET', url: `/conversions?strategy=${encodeURIComponent("x' UNION SELECT * FROM events --")}` },
    status: 400,
    code: 'invalid_query',
    names: ['strategy'],
  },
  {
    name: '__proto__ in the query string',
    request: { method: 'GET', url: '/events?__proto__[polluted]=1&constructor=x' },
    status: 400,
    code: 'invalid_query',
    names: ['__proto__', 'one of since, before, limit, last, strategy'],
    check: prototypeIsClean,
  },
  { name: 'a parameter /health does not take', request: { method: 'GET', url: '/health?verbose=1' }, status: 400, code: 'invalid_query', names: ['verbose'] },
  { name: 'open=1 on /conversions', request: { method: 'GET', url: '/conversions?open=1' }, status: 400, code: 'invalid_query', names: ['open', '"true" or "false"'] },

  // Bodies.
  {
    name: 'an oversized body',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { ...bearer, 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(20_000) }) },
    status: 413,
    code: 'payload_too_large',
    names: ['16384 bytes'],
  },
  {
    name: 'a Content-Length over the limit',
    request: { method: 'POST', url: '/strategies/usdt_test/convert', headers: { ...bearer, 'content-type': 'application/json', 'content-length': '10000000' }, payload: '{}' },
    status: 413,
    code: 'payload_too_large',
    names: ['16384 bytes'],
  },
  {
    name: 'a text/plain body',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { ...bearer, 'content-type': 'text/plain' }, payload: 'scan please' },
    status: 415,
    code: 'unsupported_media_type',
    names: ['Content-Type'],
  },
  {
    name: 'a form body',
    request: { method: 'POST', url: '/strategies/usdt_test/convert', headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'execute=true' },
    status: 415,
    code: 'unsupported_media_type',
    names: ['Content-Type'],
  },
  {
    name: 'a body that is not JSON',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{"execute":' },
    status: 400,
    code: 'invalid_request',
    names: ['JSON'],
  },
  {
    name: 'a __proto__ key in the body',
    request: { method: 'POST', url: '/strategies/usdt_test/convert', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{"__proto__":{"polluted":true}}' },
    status: 400,
    code: 'invalid_request',
    names: ['__proto__'],
    check: prototypeIsClean,
  },
  {
    name: 'a constructor.prototype key in the body',
    request: { method: 'POST', url: '/strategies/usdt_test/convert', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{"constructor":{"prototype":{"polluted":true}}}' },
    status: 400,
    code: 'invalid_request',
    names: ['constructor.prototype'],
    check: prototypeIsClean,
  },
  {
    name: 'a list as the body',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: { ...bearer, 'content-type': 'application/json' }, payload: '[]' },
    status: 400,
    code: 'invalid_request',
    names: ['an empty JSON object'],
  },

  // Routes and methods.
  {
    name: 'DELETE /events',
    request: { method: 'DELETE', url: '/events' },
    status: 405,
    code: 'method_not_allowed',
    names: ['DELETE', 'GET, HEAD'],
    check: (response) => expect(response.headers.allow).toBe('GET, HEAD'),
  },
  { name: 'POST /events', request: { method: 'POST', url: '/events', headers: bearer }, status: 405, code: 'method_not_allowed', names: ['POST'] },
  {
    name: 'GET on scan',
    request: { method: 'GET', url: '/strategies/usdt_test/scan', headers: bearer },
    status: 405,
    code: 'method_not_allowed',
    names: ['GET', 'POST'],
    check: (response) => expect(response.headers.allow).toBe('POST'),
  },
  { name: 'PUT on convert', request: { method: 'PUT', url: '/strategies/usdt_test/convert', headers: bearer }, status: 405, code: 'method_not_allowed', names: ['PUT'] },
  { name: 'an unknown route', request: { method: 'GET', url: '/admin' }, status: 404, code: 'not_found', names: ['/admin'] },
  { name: 'a probe for /.env', request: { method: 'GET', url: '/.env' }, status: 404, code: 'not_found', names: ['/.env'] },

  // What the API depends on is down.
  {
    name: 'a scan whose RPC node is down',
    request: { method: 'POST', url: '/strategies/usdt_rpc_down/scan', headers: bearer },
    status: 503,
    code: 'source_unavailable',
    message: `No balance source answered (wallet, etherfi_eigen, etherfi_ethfi). ${LATER}`,
  },
  {
    name: 'a convert whose RPC node is down',
    request: { method: 'POST', url: '/strategies/usdt_rpc_down/convert', headers: bearer },
    status: 503,
    code: 'source_unavailable',
    message: `No balance source answered (wallet, etherfi_eigen, etherfi_ethfi). ${LATER}`,
    check: async () => expect(await main.store.conversions({ strategyMode: 'usdt_rpc_down' })).toEqual([]),
  },
  {
    name: '/events with the store closed',
    request: { method: 'GET', url: '/events' },
    on: 'storeDown',
    status: 503,
    code: 'event_store_unavailable',
    message: `The event store is unavailable. ${LATER}`,
  },
  {
    name: '/conversions with the store closed',
    request: { method: 'GET', url: '/conversions?open=true' },
    on: 'storeDown',
    status: 503,
    code: 'event_store_unavailable',
    message: `The event store is unavailable. ${LATER}`,
  },
  {
    name: '/health with the store closed',
    request: { method: 'GET', url: '/health' },
    on: 'storeDown',
    status: 503,
    code: 'event_store_unavailable',
    message: `The sqlite event store cannot be read. ${LATER}`,
  },
  {
    name: 'a scan with the store closed',
    request: { method: 'POST', url: '/strategies/usdt_test/scan', headers: bearer },
    on: 'storeDown',
    status: 503,
    code: 'event_store_unavailable',
    message: `The event store is unavailable. ${LATER}`,
  },
]

describe('hostile requests against the API of dust serve (real fastify, SQLite, Hardhat node, pino log)', () => {
  it('has at least 40 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40)
  })

  for (const row of rows) it(`${row.name}: ${row.status}${row.code ? ` ${row.code}` : ''}`, () => runRow(row))

  async function runRow(row: Row): Promise<void> {
    const server = row.on === 'noLive' ? noLive : row.on === 'storeDown' ? storeDown.server : main.server
    const [seqBefore, nonceBefore, eigenBefore] = [await lastSeq(), await nonce(), await walletEigen()]
    const response = await server.inject(row.request)
    expect(response.statusCode).toBe(row.status)
    if (row.status >= 400) {
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      const { error } = response.json() as { error: { code: string; message: string } }
      expect(error.code).toBe(row.code)
      for (const name of row.names ?? []) expect(error.message).toContain(name)
      if (row.message !== undefined) expect(error.message).toBe(row.message)
      // A refused request runs nothing: no event is recorded. A cycle that ran and failed records its failure.
      if (row.status < 500) expect(await lastSeq()).toBe(seqBefore)
    }
    await row.check?.(response)
    // Whatever was asked, nothing was sent to the chain.
    expect([await nonce(), await walletEigen()]).toEqual([nonceBefore, eigenBefore])
    expect(await everyLeak(response)).toEqual([])
  }

  it("wrote the failures of dependencies to its log in full, with no secret, and none of the closed store's events holds one", async () => {
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { level: number; msg: string; code?: string; error?: { type: string; message: string } })
    const failed = lines.filter((line) => line.msg === 'HTTP request failed')
    expect(failed.map((line) => line.code).sort()).toEqual([
      'event_store_unavailable',
      'event_store_unavailable',
      'event_store_unavailable',
      'event_store_unavailable',
      'source_unavailable',
      'source_unavailable',
    ])
    expect(failed.find((line) => line.code === 'source_unavailable')?.error).toMatchObject({ type: 'SourceError', code: 'all_sources_failed' })
    expect(leaks('the log', lines.map((line) => JSON.stringify(line)).join('\n'))).toEqual([])
    const reopened = await createSqliteEventStore({ file: storeDownFile })
    try {
      expect(leaks('the closed store', JSON.stringify(await reopened.read()))).toEqual([])
    } finally {
      await reopened.close()
    }
  })
})
