import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError } from '../errors/index.js'
import { MAX_ALIAS_COUNT, describeFound, describeKind, formatPath, hideSecrets, issuesFromZod, parseYaml } from './parseYaml.js'
import { quoteText } from './quoteText.js'

/** Runs `parseYaml` on `text`, which must fail, and returns the issues of its ConfigError. */
function issuesOf(text: string, env: Record<string, string> = {}) {
  let error: unknown
  try {
    parseYaml(text, 'hostile.yaml', env)
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as ConfigError).file).toBe('hostile.yaml')
  return (error as ConfigError).issues
}

describe('formatPath', () => {
  it.each([
    [['venues', 'wallet', 'balances', 'EIGEN'], 'venues.wallet.balances.EIGEN'],
    [['tokens', 2, 'decimals'], 'tokens[2].decimals'],
    [['venues', 'binance', 'markets', 'EIGEN/USDT', 'bids', 0, 1], 'venues.binance.markets.EIGEN/USDT.bids[0][1]'],
    [[0, 'a'], '[0].a'],
    [[], ''],
    [['balances', '\u0415IGEN'], 'balances["\\u0415IGEN"]'],
    [['a key', 'x'], '["a key"].x'],
    [['tokens', '\u001b[31m'], 'tokens["\\u001b[31m"]'],
  ])('writes %j as "%s"', (path, expected) => {
    expect(formatPath(path)).toBe(expected)
  })
})

describe('describeFound', () => {
  it.each([
    [undefined, 'nothing (the key is missing)'],
    [null, 'an empty value'],
    ['abc', '"abc"'],
    [[1, 2, 3], 'a list of 3'],
    [{ a: 1 }, 'a mapping'],
    [2, '2'],
    [true, 'true'],
    ['\u0415IGEN', '"\\u0415IGEN"'],
    ['x'.repeat(100), `"${'x'.repeat(60)}…" (100 characters)`],
  ])('describes %j as %s', (value, expected) => {
    expect(describeFound(value)).toBe(expected)
  })

  it('describes values that must not be shown by their kind alone', () => {
    expect(describeKind('hunter2')).toBe('a text of 7 characters')
    expect(describeKind('x')).toBe('a text of 1 character')
    expect(describeKind({ a: 1 })).toBe('a mapping')
    expect(describeKind([1])).toBe('a list of 1')
    expect(describeKind(null)).toBe('an empty value')
  })

  it('quotes control characters and lookalikes as escapes', () => {
    expect(quoteText('ETH\u200b')).toBe('"ETH\\u200b"')
    expect(quoteText('a\nb')).toBe('"a\\nb"')
  })
})

describe('parseYaml', () => {
  it('keeps the source text of plain numbers, so no value goes through a float', () => {
    const { value } = parseYaml('a: 0.002\nb: 1e3\nc: "0.10"\nd: 0x10\ne: true\nf: 0.10\ng: 123456789012345678901234567890\nh: ~\n', 'x.yaml', {})
    expect(value).toEqual({ a: '0.002', b: '1e3', c: '0.10', d: '0x10', e: true, f: '0.10', g: '123456789012345678901234567890', h: null })
  })

  it('substitutes ${VAR} anywhere in a string and records where secrets went', () => {
    const text = 'rpc: "https://rpc.example/${RPC_KEY}/v1"\nlist:\n  - "${A}"\n  - plain\nnested: { deep: { key: "${A}${B}" } }\n'
    const { value, secretPaths } = parseYaml(text, 'x.yaml', { RPC_KEY: 'abc123', A: 'x', B: 'y' })
    expect(value).toEqual({ rpc: 'https://rpc.example/abc123/v1', list: ['x', 'plain'], nested: { deep: { key: 'xy' } } })
    expect([...secretPaths].sort()).toEqual(['list[0]', 'nested.deep.key', 'rpc'])
  })

  it('leaves text without a ${VAR} reference alone', () => {
    const { value, secretPaths } = parseYaml('price: "$5"\nother: "${not a var}"\n', 'x.yaml', {})
    expect(value).toEqual({ price: '$5', other: '${not a var}' })
    expect(secretPaths.size).toBe(0)
  })

  it('reports every missing variable with its key path and line', () => {
    let error: unknown
    try {
      parseYaml('a: 1\nb: "${ONE}"\nc:\n  - "${TWO}"\n', 'vars.yaml', {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).file).toBe('vars.yaml')
    expect((error as ConfigError).issues).toEqual([
      { path: 'b', line: 2, expected: 'the environment variable ONE to be set', found: 'it unset' },
      { path: 'c[0]', line: 4, expected: 'the environment variable TWO to be set', found: 'it unset' },
    ])
  })

  it('reports a YAML syntax error with its line, column and key, never the offending text', () => {
    expect(issuesOf('a: 1\nb: 2\na: 3\n')).toEqual([{ path: 'a', line: 3, column: 1, expected: 'valid YAML', found: 'Map keys must be unique' }])
    const unclosed = issuesOf('a: 1\nb: "SECRET_CANARY_1\n')
    expect(unclosed).toEqual([{ path: 'b', line: 3, column: 1, expected: 'valid YAML', found: 'Missing closing "quote' }])
    expect(JSON.stringify(issuesOf('key: [SECRET_CANARY_2, 2\n'))).not.toContain('SECRET_CANARY')
    expect(issuesOf('a: 1\n---\nb: 2\n')[0]).toMatchObject({ expected: 'valid YAML', found: 'Source contains multiple documents; please use YAML.parseAllDocuments()' })
  })

  it.each([
    ['__proto__: { polluted: true }\n', '__proto__', 1],
    ['venues:\n  wallet:\n    balances:\n      __proto__: "5"\n', 'venues.wallet.balances.__proto__', 4],
    ['tokens:\n  - constructor: x\n', 'tokens[0].constructor', 2],
    ['a: { b: { prototype: 1 } }\n', 'a.b.prototype', 1],
  ])('refuses a reserved key anywhere (%j)', (text, path, line) => {
    expect(issuesOf(text)).toEqual([
      {
        path,
        line,
        expected: 'a key other than __proto__, constructor or prototype (they reach JavaScript object internals)',
        found: `"${path
          .split('.')
          .at(-1)
          ?.replace(/^tokens\[0\]/, '')}"`,
      },
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses keys that are not plain text, and ${VAR} in a key', () => {
    expect(issuesOf('? [a, b]\n: 1\n')).toEqual([{ path: '', line: 1, expected: 'keys that are plain text', found: 'a list as a key' }])
    expect(issuesOf('x: &k a\n*k : 1\n')[0]).toMatchObject({ expected: 'keys that are plain text', found: 'an alias as a key' })
    expect(issuesOf('balances:\n  "${TOKEN}": 1\n', { TOKEN: 'SECRET_CANARY_3' })).toEqual([
      { path: 'balances.${TOKEN}', line: 2, expected: 'no ${VAR} in a key (keys are printed in messages; secrets go in values)', found: 'a ${VAR} reference in a key' },
    ])
  })

  it('refuses tags outside the core schema', () => {
    expect(issuesOf('a: !!binary aGVsbG8=\nb: !!str kept\n')).toEqual([{ path: 'a', line: 1, expected: 'plain YAML values, without tags', found: '"!!binary"'.replace(/^/, 'the tag ') }])
    expect(issuesOf('a: !custom x\n')[0]).toMatchObject({ path: 'a', line: 1, expected: 'valid YAML', found: 'Unresolved tag: !custom' })
  })

  it('refuses an alias bomb, naming the file and the first alias', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdef'[index]}`).join(', ')}]`)].join('\n')
    expect(issuesOf(`${bomb}\n`)).toEqual([{ path: '', line: 2, expected: `at most ${MAX_ALIAS_COUNT} alias expansions`, found: 'aliases that expand further (an alias bomb)' }])
  })

  it('refuses nesting deeper than 32 levels, and nesting too deep to parse', () => {
    const deep = issuesOf(`a: ${'['.repeat(40)}${']'.repeat(40)}\n`)
    expect(deep).toEqual([{ path: 'a[0][0][0][0][0][0][0]…', line: 1, expected: 'at most 32 levels of nesting', found: 'deeper nesting' }])
    const block = Array.from({ length: 40 }, (_, depth) => `${'  '.repeat(depth)}k:`).join('\n')
    expect(issuesOf(`${block} 1\n`)[0]).toMatchObject({ expected: 'at most 32 levels of nesting', found: 'deeper nesting' })
    expect(issuesOf(`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)[0]).toMatchObject({ expected: 'at most 32 levels of nesting', found: 'nesting too deep to parse' })
  })

  it('knows a secret reached through an alias as a secret at every path it lands on', () => {
    const { value, secretPaths, secrets } = parseYaml('a: &s "${TOKEN}"\nb: *s\nc: &m { url: "https://x/${TOKEN}" }\nd: *m\n', 'x.yaml', { TOKEN: 'SECRET_CANARY_4' })
    expect(value).toEqual({ a: 'SECRET_CANARY_4', b: 'SECRET_CANARY_4', c: { url: 'https://x/SECRET_CANARY_4' }, d: { url: 'https://x/SECRET_CANARY_4' } })
    expect([...secretPaths].sort()).toEqual(['a', 'b', 'c.url', 'd.url'])
    expect(secrets.paths.get('d.url')).toEqual(['TOKEN'])
    expect(secrets.values.get('SECRET_CANARY_4')).toBe('TOKEN')
  })

  it('finds the line of a key path, or of its closest existing parent', () => {
    const { lineOf } = parseYaml('# comment\nvenues:\n  wallet:\n    balances:\n      EIGEN: "20"\ntokens:\n  - symbol: USDT\n  - symbol: ETH\n', 'x.yaml', {})
    expect(lineOf(['venues', 'wallet', 'balances', 'EIGEN'])).toBe(5)
    expect(lineOf(['venues', 'wallet'])).toBe(4)
    expect(lineOf(['tokens', 1, 'symbol'])).toBe(8)
    expect(lineOf(['venues', 'wallet', 'balances', 'FOO'])).toBe(5)
    expect(lineOf(['venues', 'etherfi', 'balances'])).toBe(3)
    expect(lineOf(['missing'])).toBe(2)
  })
})

describe('hideSecrets', () => {
  it('replaces what was found at a secret key path and leaves other issues as they are', () => {
    const issues = [
      { path: 'rpc', expected: 'a URL', found: '"https://rpc.example/abc123"' },
      { path: 'dust_delta', expected: 'a decimal', found: '"abc"' },
    ]
    expect(hideSecrets(issues, { paths: new Map([['rpc', ['RPC_KEY']]]), values: new Map([['abc123', 'RPC_KEY']]) })).toEqual([
      { path: 'rpc', expected: 'a URL', found: 'a value from ${RPC_KEY} (not shown)' },
      { path: 'dust_delta', expected: 'a decimal', found: '"abc"' },
    ])
  })

  it('replaces a secret value met anywhere else in an issue, short ones only as whole words', () => {
    const issues = [
      { path: 'pools[0].tokens', expected: 'two different tokens', found: '"SECRETX" twice' },
      { path: 'share_class', expected: 'a symbol from the token registry (USDT, ETH, EIGEN)', found: '"ETHX"' },
    ]
    const secrets = {
      paths: new Map(),
      values: new Map([
        ['SECRETX', 'SYM'],
        ['ETH', 'CLASS'],
      ]),
    }
    expect(hideSecrets(issues, secrets)).toEqual([
      { path: 'pools[0].tokens', expected: 'two different tokens', found: '"[the value of ${SYM}, not shown]" twice' },
      { path: 'share_class', expected: 'a symbol from the token registry (USDT, [the value of ${CLASS}, not shown], EIGEN)', found: '"ETHX"' },
    ])
  })
})

describe('issuesFromZod', () => {
  it('writes what was expected in words and what was found', () => {
    const schema = z.strictObject({ list: z.array(z.string()).min(2), map: z.object({}), items: z.array(z.string()), mode: z.enum(['a', 'b']) })
    const root = { list: ['x'], map: 3, items: 'one', mode: 'c' }
    const result = schema.safeParse(root)
    expect(result.success).toBe(false)
    if (result.success) return
    const issues = issuesFromZod(result.error, root, (path) => path.length)
    expect(issues).toEqual([
      { path: 'list', line: 1, expected: 'a list of at least 2 item(s)', found: 'a list of 1' },
      { path: 'map', line: 1, expected: 'a mapping', found: '3' },
      { path: 'items', line: 1, expected: 'a list', found: '"one"' },
      { path: 'mode', line: 1, expected: 'one of "a", "b"', found: '"c"' },
    ])
  })

  it('names every unknown key of a mapping', () => {
    const root = { a: 1, b: 2, c: 3 }
    const result = z.strictObject({ a: z.number() }).safeParse(root)
    if (result.success) throw new Error('test setup: expected a failure')
    expect(issuesFromZod(result.error, root, () => 7)).toEqual([{ path: '', line: 7, expected: 'only known keys', found: 'unknown keys "b", "c"' }])
  })
})
