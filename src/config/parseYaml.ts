import { randomBytes } from 'node:crypto'
import { type Document, LineCounter, type Node, Scalar, isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument } from 'yaml'
import type { z } from 'zod'
import { ConfigError, type ConfigIssue } from '../errors/index.js'
import { quoteText } from './quoteText.js'

export { quoteText } from './quoteText.js'

/** Where the values that came from `${VAR}` went, so that no message and no output shows them. */
export type SecretIndex = {
  /** Key path (as `formatPath` writes it) → the variables whose values are in it. */
  readonly paths: ReadonlyMap<string, readonly string[]>
  /** Each substituted value → the variable it came from. */
  readonly values: ReadonlyMap<string, string>
}

/** YAML parsed for validation: plain values, and how to find the line of a key path. */
export type ParsedYaml = {
  value: unknown
  lineOf: (path: readonly PropertyKey[]) => number | undefined
  /** Key paths whose value came from a `${VAR}`. */
  secretPaths: Set<string>
  secrets: SecretIndex
}

/** Most alias expansions in one document (yaml's `maxAliasCount`): enough for sharing, not for an alias bomb. */
export const MAX_ALIAS_COUNT = 100

/** Deepest nesting of mappings and lists accepted; the deepest key of a real configuration is 7 levels down. */
export const MAX_NESTING = 32

/** Most values (scalars, mappings, lists) one document may expand to, aliases included. */
export const MAX_NODES = 2_000_000

/** Keys that reach JavaScript object internals; refused anywhere so that none is silently dropped or obeyed. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** The tags of YAML's core schema; any other (`!!binary`, `!!set`, `!foo`) is refused. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((tag) => `tag:yaml.org,2002:${tag}`))

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** Formats a key path the way the messages show it (`venues.wallet.balances.EIGEN`, `tokens[2].decimals`). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`
      const text = String(key)
      // Keys with spaces, quotes, brackets or anything outside printable ASCII are quoted and escaped,
      // so that a lookalike or an escape sequence shows as what it is.
      if (text.length > 0 && text.length <= 60 && /^[\x21-\x7e]+$/.test(text) && !/["[\]]/.test(text)) return index === 0 ? text : `.${text}`
      return `[${quoteText(text)}]`
    })
    .join('')
}

/** Describes a value found in a configuration for a message. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)'
  if (value === null) return 'an empty value'
  if (typeof value === 'string') return quoteText(value)
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'object') return 'a mapping'
  return String(value)
}

/** Describes a value by its kind alone, for values that must not be shown (those of files a configuration references). */
export function describeKind(value: unknown): string {
  if (typeof value === 'string') return `a text of ${value.length} character${value.length === 1 ? '' : 's'}`
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return 'a mapping'
  return describeFound(value)
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
    node = Object.getOwnPropertyDescriptor(node, key)?.value
  }
  return node
}

/**
 * Parses YAML text that nobody vouches for, so that every plain number keeps its source text
 * (`0.002` stays `"0.002"`) and `${VAR}` is replaced from the environment, remembering where
 * secrets went, aliases included.
 *
 * Refused with a `ConfigError` naming the file, the key path and the line: invalid YAML (line
 * and column, never the offending text), several documents, tags outside the core schema, keys
 * that are not plain scalars, the keys `__proto__`, `constructor` and `prototype`, a `${VAR}` in
 * a key, nesting deeper than `MAX_NESTING`, and aliases expanding more than `MAX_ALIAS_COUNT`
 * times or to more than `MAX_NODES` values.
 */
export function parseYaml(text: string, file: string, env: Readonly<Record<string, string | undefined>>): ParsedYaml {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  // A resource exhaustion (nesting the parser's stack cannot hold) is reported once; other errors up to ten.
  const syntax = [...doc.errors, ...doc.warnings].filter((error, index, all) => error.code !== 'RESOURCE_EXHAUSTION' || all.findIndex((other) => other.code === error.code) === index).slice(0, 10)
  if (syntax.length > 0) {
    throw new ConfigError(
      file,
      syntax.map((error) => {
        // `linePos` is only filled in with `prettyErrors`, which also quotes the source: the position is looked up from the offset.
        const { line, col } = lineCounter.linePos(error.pos[0])
        const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '')
        const tooDeep = error.code === 'RESOURCE_EXHAUSTION'
        const path = error.code === 'MULTIPLE_DOCS' ? [] : pathAtOffset(doc, error.pos[0])
        return {
          path: path.length > 8 ? `${formatPath(path.slice(0, 8))}…` : formatPath(path),
          line,
          column: col,
          expected: tooDeep ? `at most ${MAX_NESTING} levels of nesting` : 'valid YAML',
          found: tooDeep ? 'nesting too deep to parse' : message,
        }
      }),
    )
  }

  const issues: ConfigIssue[] = []
  const lineAt = (node: { range?: readonly number[] | null | undefined } | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0] ?? 0).line : undefined)
  // Secrets are put in as markers first and their values only after aliases are expanded, so that
  // a secret reached through an alias is known as one at every path it lands on.
  const nonce = randomBytes(8).toString('hex')
  const markers: Array<{ name: string; value: string }> = []
  const marker = new RegExp(`\\u0000${nonce}:(\\d+)\\u0000`, 'g')

  const walk = (node: unknown, path: PropertyKey[], depth: number): void => {
    if (!isNode(node) || isAlias(node)) return
    if (depth > MAX_NESTING) {
      issues.push({ path: `${formatPath(path.slice(0, 8))}…`, line: lineAt(node), expected: `at most ${MAX_NESTING} levels of nesting`, found: 'deeper nesting' })
      return
    }
    const tag = node.tag
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      issues.push({ path: formatPath(path), line: lineAt(node), expected: 'plain YAML values, without tags', found: `the tag ${quoteText(tag.replace('tag:yaml.org,2002:', '!!'))}` })
    }
    if (isScalar(node)) {
      keepNumberText(node)
      if (typeof node.value === 'string' && node.value.includes('${')) {
        node.value = node.value.replace(ENV_REF, (_match, name: string) => {
          const found = env[name]
          if (found === undefined || found === '') {
            issues.push({ path: formatPath(path), line: lineAt(node), expected: `the environment variable ${name} to be set`, found: 'it unset' })
            return ''
          }
          markers.push({ name, value: found })
          return `\u0000${nonce}:${markers.length - 1}\u0000`
        })
      }
      return
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key
        if (!isScalar(key) || key.value === null || typeof key.value === 'object') {
          const kind = isAlias(key) ? 'an alias as a key' : isMap(key) ? 'a mapping as a key' : isSeq(key) ? 'a list as a key' : 'an empty key'
          issues.push({ path: formatPath(path), line: lineAt(isNode(key) ? key : undefined) ?? lineAt(node), expected: 'keys that are plain text', found: kind })
          continue
        }
        if (key.tag !== undefined && !CORE_TAGS.has(key.tag)) {
          issues.push({ path: formatPath(path), line: lineAt(key), expected: 'plain YAML keys, without tags', found: `the tag ${quoteText(key.tag)}` })
        }
        keepNumberText(key)
        const name = String(key.value)
        if (RESERVED_KEYS.has(name)) {
          issues.push({
            path: formatPath([...path, name]),
            line: lineAt(key),
            expected: 'a key other than __proto__, constructor or prototype (they reach JavaScript object internals)',
            found: quoteText(name),
          })
          continue
        }
        if (name.includes('${')) {
          issues.push({
            path: formatPath([...path, name]),
            line: lineAt(key),
            expected: 'no ${VAR} in a key (keys are printed in messages; secrets go in values)',
            found: 'a ${VAR} reference in a key',
          })
          continue
        }
        walk(pair.value, [...path, name], depth + 1)
      }
      return
    }
    if (isSeq(node)) for (const [index, item] of node.items.entries()) walk(item, [...path, index], depth + 1)
  }
  walk(doc.contents, [], 0)
  if (issues.length > 0) throw new ConfigError(file, issues)

  let expanded: unknown
  try {
    expanded = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (cause) {
    if (!(cause instanceof ReferenceError || cause instanceof RangeError)) throw cause
    // Read before the test below narrows: ReferenceError and RangeError have the same shape, and
    // TypeScript may narrow `cause` to never on the right of `instanceof RangeError ||`.
    const message: string = cause.message
    const bomb = cause instanceof RangeError || /excessive alias/i.test(message)
    throw new ConfigError(file, [
      {
        path: '',
        line: lineAt(firstAlias(doc)),
        expected: bomb ? `at most ${MAX_ALIAS_COUNT} alias expansions` : 'every alias after its anchor',
        found: cause instanceof RangeError ? 'aliases nested too deep to expand' : bomb ? 'aliases that expand further (an alias bomb)' : 'an alias whose anchor is not set before it',
      },
    ])
  }

  const paths = new Map<string, string[]>()
  const values = new Map<string, string>()
  for (const { name, value } of markers) values.set(value, name)
  let nodes = 0
  const reveal = (value: unknown, path: PropertyKey[], depth: number): unknown => {
    nodes += 1
    if (nodes > MAX_NODES) throw new ConfigError(file, [{ path: formatPath(path), expected: `at most ${MAX_NODES} values once aliases are expanded`, found: 'more' }])
    if (depth > MAX_NESTING)
      throw new ConfigError(file, [{ path: `${formatPath(path.slice(0, 8))}…`, expected: `at most ${MAX_NESTING} levels of nesting once aliases are expanded`, found: 'deeper nesting' }])
    if (typeof value === 'string') {
      if (!value.includes('\u0000')) return value
      const names: string[] = []
      const revealed = value.replace(marker, (_match, index: string) => {
        const entry = markers[Number(index)]
        // Only this walk writes markers, with the index of an entry it pushed.
        if (entry === undefined) return _match
        names.push(entry.name)
        return entry.value
      })
      if (names.length > 0) paths.set(formatPath(path), [...new Set([...(paths.get(formatPath(path)) ?? []), ...names])])
      return revealed
    }
    // A copy, not the parsed object: yaml shares one object between an anchor and its aliases.
    if (Array.isArray(value)) return value.map((item, index) => reveal(item, [...path, index], depth + 1))
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reveal(item, [...path, key], depth + 1)]))
    }
    return value
  }
  const value = reveal(expanded, [], 0)

  return {
    value,
    lineOf: (keyPath) => {
      const node = doc.getIn(keyPath, true)
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line
      // A missing key: point at the closest existing parent.
      for (let depth = keyPath.length - 1; depth >= 0; depth -= 1) {
        const parent = doc.getIn(keyPath.slice(0, depth), true)
        if (isNode(parent) && parent.range) return lineCounter.linePos(parent.range[0]).line
      }
      return undefined
    },
    secretPaths: new Set(paths.keys()),
    secrets: { paths, values },
  }
}

/** Plain numbers keep their source text, so that no value goes through a float. */
function keepNumberText(node: Scalar): void {
  if (typeof node.value === 'number' && node.type === Scalar.PLAIN && typeof node.source === 'string') node.value = node.source
}

/** Key path of the deepest key at or before `offset`, to name where a syntax error is. */
function pathAtOffset(doc: Document, offset: number): PropertyKey[] {
  const path: PropertyKey[] = []
  let node: unknown = doc.contents
  const startOf = (item: unknown) => (isNode(item) ? (item.range?.[0] ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY)
  const lastIndex = (items: readonly unknown[], starts: (item: unknown) => number) => {
    for (let index = items.length - 1; index >= 0; index -= 1) if (starts(items[index]) <= offset) return index
    return -1
  }
  for (let depth = 0; depth <= MAX_NESTING; depth += 1) {
    if (isMap(node)) {
      const pair = node.items[lastIndex(node.items, (item) => (isPair(item) && isScalar(item.key) ? startOf(item.key) : Number.POSITIVE_INFINITY))]
      if (!pair || !isScalar(pair.key)) break
      path.push(String(pair.key.value))
      node = pair.value
    } else if (isSeq(node)) {
      const index = lastIndex(node.items, startOf)
      if (index < 0) break
      path.push(index)
      node = node.items[index]
    } else break
  }
  return path
}

function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined
  const find = (node: unknown, depth: number): void => {
    if (found || depth > MAX_NESTING || node === null || node === undefined) return
    if (isAlias(node)) found = node
    else if (isMap(node)) for (const pair of node.items) find(pair.value, depth + 1)
    else if (isSeq(node)) for (const item of node.items) find(item, depth + 1)
  }
  find(doc.contents, 0)
  return found
}

/**
 * Hides secrets in issues: what was found at a key path that holds a `${VAR}` is replaced with
 * the variable's name, and any substituted value met elsewhere in an issue's text (an issue on a
 * list that holds one, a registry listed in `expected`) is replaced as well.
 */
export function hideSecrets<T extends ConfigIssue>(issues: readonly T[], secrets: SecretIndex): T[] {
  const scrub = (text: string) => {
    let clean = text
    // Longest first, so that a value inside another is not half-replaced.
    for (const [value, name] of [...secrets.values].sort(([a], [b]) => b.length - a.length)) {
      const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      // A short value is replaced only as a whole word: "1" must not eat every digit of a message.
      const pattern = value.length < 4 ? new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g') : new RegExp(escaped, 'g')
      clean = clean.replace(pattern, `[the value of \${${name}}, not shown]`)
    }
    return clean
  }
  return issues.map((issue) => {
    const names = secrets.paths.get(issue.path)
    const found = names ? `a value from ${names.map((name) => `\${${name}}`).join(' and ')} (not shown)` : scrub(issue.found)
    return { ...issue, expected: scrub(issue.expected), found }
  })
}

/**
 * The issues of the one branch of a failed union that the value was meant for, at their full
 * paths: the only branch that neither has keys the value lacks (`unrecognized_keys` in a strict
 * branch) nor names another `type`. Without exactly one such branch, the union's own issue.
 */
function unionBranchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || !('errors' in issue) || !Array.isArray(issue.errors)) return [issue]
  const meant = issue.errors.filter(
    (branch) => branch.length > 0 && branch.every((inner) => inner.code !== 'unrecognized_keys' && !(inner.code === 'invalid_value' && inner.path.length === 1 && inner.path[0] === 'type')),
  )
  const [only] = meant
  if (meant.length !== 1 || only === undefined) return [issue]
  return only.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })).flatMap(unionBranchIssues)
}

/** Turns schema issues into messages that name the key path, its line, what was expected and what was found. */
export function issuesFromZod(
  error: z.ZodError,
  root: unknown,
  lineAt: (path: readonly PropertyKey[]) => number | undefined,
  describe: (value: unknown, path: readonly PropertyKey[]) => string = describeFound,
): ConfigIssue[] {
  return error.issues.flatMap(unionBranchIssues).map((issue) => {
    const { path } = issue
    const found = valueAt(root, path)
    let expected = issue.message
    if (issue.code === 'invalid_type') expected = `${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : issue.expected}`
    if (issue.code === 'unrecognized_keys') {
      return {
        path: formatPath(path),
        line: lineAt([...path, issue.keys[0] ?? '']),
        expected: 'only known keys',
        found: `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => quoteText(key)).join(', ')}`,
      }
    }
    if (issue.code === 'invalid_value') expected = `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      expected = 'a known "type"'
    }
    if (expected.startsWith('Invalid input: expected ')) expected = expected.slice('Invalid input: expected '.length).replace(/, received .*/, '')
    if (expected.startsWith('Too small: expected array to have >=')) expected = `a list of at least ${expected.replace(/\D+/g, '')} item(s)`
    return { path: formatPath(path), line: lineAt(path), expected, found: describe(found, path) }
  })
}
