import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type ICruiseOptions, type IForbiddenRuleType, type IViolation, cruise } from 'dependency-cruiser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
// The very rules `npm run check:layers` applies to src/.
const config: { forbidden: IForbiddenRuleType[]; options: ICruiseOptions } = require('../.dependency-cruiser.cjs')

/** A small src/ tree with one planted violation per rule, beside imports each rule allows. */
const PLANTED: Record<string, string> = {
  'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '4.0.0', type: 'module', main: 'index.js' }),
  'node_modules/zod/index.js': 'export const z = {}\n',
  'src/errors/BaseError.ts': 'export class BaseError extends Error {}\n',
  'src/errors/describe.ts': "import { money } from '../domain/money.js'\nexport const describe = money\n",
  'src/domain/money.ts': "import { z } from 'zod'\nimport { BaseError } from '../errors/BaseError.js'\nexport const money = [z, BaseError]\n",
  'src/domain/dust.ts': "import { readFileSync } from 'node:fs'\nimport { money } from './money.js'\nexport const dust = [readFileSync, money]\n",
  'src/ports/Clock.ts': "import type { money } from '../domain/money.js'\nimport type { loop } from '../engine/loop.js'\nexport type Clock = [typeof money, typeof loop]\n",
  'src/adapters/store.ts': "import { money } from '../domain/money.js'\nexport const store = [money]\n",
  'src/adapters/metrics.ts': "import { loop } from '../engine/loop.js'\nexport const metrics = loop\n",
  'src/adapters/cycle/first.ts': "import { second } from './second.js'\nexport const first = () => second\n",
  'src/adapters/cycle/second.ts': "import { first } from './first.js'\nexport const second = () => first\n",
  'src/engine/loop.ts': "import { money } from '../domain/money.js'\nimport { store } from '../adapters/store.js'\nexport const loop = [money, store]\n",
  'src/engine/loop.test.ts': "import { store } from '../adapters/store.js'\nimport { loop } from './loop.js'\nexport const wired = [store, loop]\n",
  'src/config/schema.ts': "import { join } from 'node:path'\nimport { readFile } from 'node:fs/promises'\nimport { money } from '../domain/money.js'\nexport const schema = [join, readFile, money]\n",
  'src/app/openStore.ts': "import { store } from '../adapters/store.js'\nimport { schema } from '../config/schema.js'\nexport const openStore = [store, schema]\n",
  'src/interfaces/cli.ts': "import { openStore } from '../app/openStore.js'\nimport { metrics } from '../adapters/metrics.js'\nexport const cli = [openStore, metrics]\n",
}

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dust-architecture-'))
  for (const [path, text] of Object.entries(PLANTED)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function violationsOf(tree: string): Promise<Array<{ rule: string; from: string; to: string }>> {
  const result = await cruise([tree], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir: root })
  if (typeof result.output === 'string') throw new Error(`Expected dependency-cruiser's result object, found text: ${result.output}`)
  // A cycle is reported once, by one of its imports: which one is the cruiser's business.
  const edge = (violation: IViolation) => (violation.rule.name === 'no-circular' ? [violation.from, violation.to].sort() : [violation.from, violation.to])
  return result.output.summary.violations
    .map((violation: IViolation) => ({ rule: violation.rule.name, from: edge(violation)[0] ?? '', to: edge(violation)[1] ?? '' }))
    .sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`))
}

// dependency-cruiser loads TypeScript's compiler to read the tree: seconds on a loaded machine.
describe('the layer rules of .dependency-cruiser.cjs', { timeout: 60_000 }, () => {
  it('report each planted violation, exactly once, and none of the allowed imports', async () => {
    expect(await violationsOf('src')).toEqual([
      { rule: 'adapters-not-to-inner-wiring', from: 'src/adapters/metrics.ts', to: 'src/engine/loop.ts' },
      { rule: 'config-does-no-io', from: 'src/config/schema.ts', to: 'fs/promises' },
      { rule: 'domain-is-pure', from: 'src/domain/dust.ts', to: 'fs' },
      { rule: 'engine-not-to-outer-layers', from: 'src/engine/loop.ts', to: 'src/adapters/store.ts' },
      { rule: 'errors-is-the-base-layer', from: 'src/errors/describe.ts', to: 'src/domain/money.ts' },
      { rule: 'interfaces-through-app', from: 'src/interfaces/cli.ts', to: 'src/adapters/metrics.ts' },
      { rule: 'no-circular', from: 'src/adapters/cycle/first.ts', to: 'src/adapters/cycle/second.ts' },
      { rule: 'ports-name-domain-types-only', from: 'src/ports/Clock.ts', to: 'src/engine/loop.ts' },
    ])
  })

  it('pass a tree that keeps them', async () => {
    expect(await violationsOf('src/domain')).toEqual([{ rule: 'domain-is-pure', from: 'src/domain/dust.ts', to: 'fs' }])
    await rm(join(root, 'src/domain/dust.ts'))
    expect(await violationsOf('src/domain')).toEqual([])
  })
})
