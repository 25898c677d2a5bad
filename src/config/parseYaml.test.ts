import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError } from '../errors/index.js'
import { describeFound, formatPath, hideSecrets, issuesFromZod, parseYaml } from './parseYaml.js'

describe('formatPath', () => {
  it.each([
    [['venues', 'wallet', 'balances', 'EIGEN'], 'venues.wallet.balances.EIGEN'],
    [['tokens', 2, 'decimals'], 'tokens[2].decimals'],
    [['venues', 'binance', 'markets', 'EIGEN/USDT', 'bids', 0, 1], 'venues.binance.markets.EIGEN/USDT.bids[0][1]'],
    [[0, 'a'], '[0].a'],
    [[], ''],
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
  ])('describes %j as %s', (value, expected) => {
    expect(describeFound(value)).toBe(expected)
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

  it('reports a YAML syntax error with its line', () => {
    expect(() => parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml', {})).toThrow(ConfigError)
    try {
      parseYaml('a: 1\nb: 2\na: 3\n', 'bad.yaml', {})
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([{ path: '', line: 3, expected: 'valid YAML', found: 'Map keys must be unique' }])
    }
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
    expect(hideSecrets(issues, new Set(['rpc']))).toEqual([
      { path: 'rpc', expected: 'a URL', found: 'a value from the environment (not shown)' },
      { path: 'dust_delta', expected: 'a decimal', found: '"abc"' },
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
