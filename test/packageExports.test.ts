import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../', import.meta.url))
const CONFIG = join(ROOT, 'configs/modes/usdt_eth_staking_hedged_simple.yaml')

// A consumer project next to nothing of ours: `dust-manager` is reached only through its
// node_modules link, so Node and TypeScript resolve it by package.json "exports", as after `npm install`.
let consumer: string

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'dist/index.d.ts'))) {
    throw new Error('dist/index.js and dist/index.d.ts are missing: `npm run build` first (`npm test` does).')
  }
  consumer = await mkdtemp(join(tmpdir(), 'dust-consumer-'))
  await mkdir(join(consumer, 'node_modules'))
  await symlink(ROOT, join(consumer, 'node_modules/dust-manager'), 'dir')
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
})

afterAll(async () => {
  await rm(consumer, { recursive: true, force: true })
})

/** Runs an ES module in the consumer project and returns what it printed as JSON. */
async function runConsumer(name: string, source: string): Promise<unknown> {
  await writeFile(join(consumer, name), source)
  const { stdout } = await run(process.execPath, [join(consumer, name)], { cwd: consumer })
  return JSON.parse(stdout)
}

// Each test starts Node (and one the TypeScript compiler) in the consumer project: seconds on a loaded machine.
describe('the dust-manager package, as a consumer imports it', { timeout: 120_000 }, () => {
  it('exports the public API from its main entry', async () => {
    const result = await runConsumer(
      'main.mjs',
      `
import * as dust from 'dust-manager'
const usdc = dust.createCurrency({ symbol: 'USDC', decimals: 6 })
const amount = dust.Amount.parse(usdc, '12.5')
const { config } = await dust.loadConfig({ file: ${JSON.stringify(CONFIG)}, env: {} })
const event = { event_type: 'dust_cycle_failed', strategy_mode: config.mode, timestamp: 0, error: 'SourceError', code: 'source_failed', message: 'The wallet did not answer.' }
// The whole path a consumer takes: configuration, strategies, a manager, one cycle that scans and plans only.
const loaded = await dust.loadConfig({ file: ${JSON.stringify(CONFIG)}, env: {} })
const clock = dust.createSystemClock()
const strategies = await dust.loadStrategies({ loaded: [loaded], clock, env: {}, withSigner: false })
const logger = { debug() {}, info() {}, warn() {}, error() {} }
const recorded = []
const manager = dust.createDustManager({ strategies, clock, logger, eventSink: { append: async (e) => void recorded.push(e) } })
const cycle = await manager.runCycle(config.mode, { execute: false })
const checked = recorded.find((e) => e.event_type === 'dust_checked')
console.log(JSON.stringify({
  functions: ['createDustManager', 'loadConfig', 'loadStrategies', 'parseConfigText', 'createCurrency'].map((name) => typeof dust[name]),
  cycle: { ok: cycle.ok, instructions: cycle.ok ? cycle.plan.instructions.map((i) => i.token) : [] },
  dustRatio: checked?.snapshot.dust_ratio,
  recordedParse: recorded.every((e) => dust.dustEventSchema.safeParse(e).success),
  baseClass: typeof dust.StrategyManager === 'function' && dust.StrategyManager.prototype.constructor === dust.StrategyManager,
  amount: [amount.raw.toString(), amount.toString()],
  mode: config.mode,
  eventParsed: dust.dustEventSchema.safeParse(event).success,
  malformedEventParsed: dust.dustEventSchema.safeParse({ ...event, timestamp: 'yesterday' }).success,
}))
`,
    )
    expect(result).toEqual({
      functions: ['function', 'function', 'function', 'function', 'function'],
      cycle: { ok: true, instructions: ['EIGEN', 'ETHFI'] },
      dustRatio: '0.00266',
      recordedParse: true,
      baseClass: true,
      amount: ['12500000', '12.5 USDC'],
      mode: 'usdt_eth_staking_hedged_simple',
      eventParsed: true,
      malformedEventParsed: false,
    })
  })

  it('refuses a deep import of what it does not export', async () => {
    const result = await runConsumer(
      'deep.mjs',
      `
const outcome = await import('dust-manager/dist/engine/createDustManager.js').then(() => 'imported', (error) => error.code)
console.log(JSON.stringify(outcome))
`,
    )
    expect(result).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED')
  })

  it('ships the JSON Schema of its events as dust-manager/event-schema', async () => {
    expect(existsSync(join(ROOT, 'schema/dust-event.schema.json')), 'schema/dust-event.schema.json, which "./event-schema" exports, does not exist').toBe(true)
    const result = await runConsumer(
      'schema.mjs',
      `
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('dust-manager/event-schema'), 'utf8'))
console.log(JSON.stringify({ type: typeof schema, hasSchemaKeyword: typeof schema.$schema === 'string' }))
`,
    )
    expect(result).toEqual({ type: 'object', hasSchemaKeyword: true })
  })

  it('gives a TypeScript consumer the types of its public API', async () => {
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: true,
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    )
    await writeFile(
      join(consumer, 'consumer.ts'),
      `
import { Amount, type DustEvent, type DustManager, type LoadedConfig, type Strategy, StrategyManager, createCurrency, dustEventSchema, loadConfig } from 'dust-manager'

const usdc = createCurrency({ symbol: 'USDC', decimals: 6 })
const raw: bigint = Amount.parse(usdc, '1').raw
// @ts-expect-error an Amount is not a number: the types are the package's, not \`any\`
const wrong: number = Amount.parse(usdc, '1')
const loaded: Promise<LoadedConfig> = loadConfig({ file: 'strategy.yaml' })
const parsed = dustEventSchema.parse({})
const type: DustEvent['event_type'] = parsed.event_type
export abstract class MyStrategyManager extends StrategyManager<'rebalanced'> {}
export type Parts = [Strategy, DustManager, typeof raw, typeof wrong, typeof loaded, typeof type]
`,
    )
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    const result = await run(process.execPath, [tsc, '-p', consumer], { cwd: consumer }).then(
      () => 'no errors',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    )
    expect(result).toBe('no errors')
  })
})
