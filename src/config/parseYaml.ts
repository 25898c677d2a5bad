import { Document, LineCounter, type Node, type ParsedNode, Scalar, isScalar, parseDocument, visit } from 'yaml'
import type { z } from 'zod'
import { ConfigError, type ConfigIssue } from '../errors/index.js'

/** YAML parsed for validation: plain values, and how to find the line of a key path. */
export type ParsedYaml = { value: unknown; lineOf: (path: readonly PropertyKey[]) => number | undefined; secretPaths: Set<string> }

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** Formats a key path the way the messages show it (`venues.wallet.balances.EIGEN`, `tokens[2].decimals`). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join('')
}

export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)'
  if (value === null) return 'an empty value'
  if (typeof value === 'string') return `"${value}"`
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'object') return 'a mapping'
  return String(value)
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<PropertyKey, unknown>)[key]
  }
  return node
}

/**
 * Parses YAML text so that every plain number keeps its source text (`0.002` stays `"0.002"`),
 * and `${VAR}` is replaced from the environment, remembering where secrets went.
 */
export function parseYaml(text: string, file: string, env: Readonly<Record<string, string | undefined>>): ParsedYaml {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => ({
        path: '',
        // `linePos` is only filled in with `prettyErrors`, so the line is looked up from the offset.
        line: lineCounter.linePos(error.pos[0]).line,
        expected: 'valid YAML',
        found: error.message.split('\n')[0] ?? error.message,
      })),
    )
  }
  const issues: ConfigIssue[] = []
  const secretPaths = new Set<string>()
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value === 'number' && node.type === Scalar.PLAIN && typeof node.source === 'string') {
        node.value = node.source
      }
      if (typeof node.value === 'string' && node.value.includes('${')) {
        const keyPath = keyPathOf(path, node)
        node.value = node.value.replace(ENV_REF, (_match, name: string) => {
          const found = env[name]
          if (found === undefined || found === '') {
            issues.push({
              path: formatPath(keyPath),
              line: lineOf(lineCounter, node),
              expected: `the environment variable ${name} to be set`,
              found: 'it unset',
            })
            return ''
          }
          secretPaths.add(formatPath(keyPath))
          return found
        })
      }
    },
  })
  if (issues.length > 0) throw new ConfigError(file, issues)
  return {
    value: doc.toJS({ maxAliasCount: 100 }),
    lineOf: (keyPath) => {
      const node = doc.getIn(keyPath as unknown[], true) as Node | undefined
      if (node && 'range' in node && node.range) return lineCounter.linePos(node.range[0]).line
      // A missing key: point at the closest existing parent.
      for (let depth = keyPath.length - 1; depth >= 0; depth -= 1) {
        const parent = doc.getIn(keyPath.slice(0, depth) as unknown[], true) as Node | undefined
        if (parent && 'range' in parent && parent.range) return lineCounter.linePos(parent.range[0]).line
      }
      return undefined
    },
    secretPaths,
  }
}

/** Hides what a `${VAR}` put at an issue's key path, so that a secret never reaches a message. */
export function hideSecrets<T extends ConfigIssue>(issues: readonly T[], secretPaths: ReadonlySet<string>): T[] {
  return issues.map((issue) => (secretPaths.has(issue.path) ? { ...issue, found: 'a value from the environment (not shown)' } : issue))
}

function lineOf(lineCounter: LineCounter, node: ParsedNode | Scalar): number | undefined {
  return node.range ? lineCounter.linePos(node.range[0]).line : undefined
}

function keyPathOf(ancestors: readonly unknown[], node: unknown): PropertyKey[] {
  // `visit` hands us the chain of Document, collections and pairs above the node.
  const keys: PropertyKey[] = []
  let child: unknown = node
  for (let index = ancestors.length - 1; index >= 0; index -= 1) {
    const parent = ancestors[index] as { items?: unknown[]; key?: unknown; value?: unknown }
    if (parent && 'key' in parent && 'value' in parent && parent.value === child) {
      const key = parent.key
      keys.unshift(isScalar(key) ? String(key.value) : String(key))
    } else if (parent && Array.isArray(parent.items) && !(parent instanceof Document)) {
      const position = parent.items.indexOf(child)
      if (position >= 0 && !(parent.items[position] && typeof parent.items[position] === 'object' && 'key' in (parent.items[position] as object))) {
        keys.unshift(position)
      }
    }
    child = parent
  }
  return keys
}

/** Turns schema issues into messages that name the key path, its line, what was expected and what was found. */
export function issuesFromZod(error: z.ZodError, root: unknown, lineAt: (path: readonly PropertyKey[]) => number | undefined): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path as PropertyKey[]
    const found = valueAt(root, path)
    let expected = issue.message
    if (issue.code === 'invalid_type') expected = `${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : issue.expected}`
    if (issue.code === 'unrecognized_keys') {
      return {
        path: formatPath(path),
        line: lineAt([...path, issue.keys[0] ?? '']),
        expected: 'only known keys',
        found: `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')}`,
      }
    }
    if (issue.code === 'invalid_value') expected = `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      expected = 'a known "type"'
    }
    if (expected.startsWith('Invalid input: expected ')) expected = expected.slice('Invalid input: expected '.length).replace(/, received .*/, '')
    if (expected.startsWith('Too small: expected array to have >=')) expected = `a list of at least ${expected.replace(/\D+/g, '')} item(s)`
    return { path: formatPath(path), line: lineAt(path), expected, found: describeFound(found) }
  })
}

