import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { artifacts } from '../localchain/npmArtifact.js'
import { moduleProxyFactoryAbi, multiSendCallOnlyAbi, rolesModifierAbi, safeAbi, safeProxyFactoryAbi } from './zodiacAbis.js'

const require = createRequire(import.meta.url)

/** An ABI list that `@gnosis.pm/zodiac` publishes in `dist/cjs/abi/` (its `exports` map opens only the root, so the file is read by path). */
function zodiacAbi(name: string): unknown[] {
  const root = dirname(require.resolve('@gnosis.pm/zodiac'))
  const parsed: unknown = JSON.parse(readFileSync(join(root, 'abi', `${name}.json`), 'utf8'))
  if (!Array.isArray(parsed)) throw new Error(`@gnosis.pm/zodiac's ${name}.json is not an ABI list.`)
  return parsed
}

/** An ABI item without solc's `internalType` annotations, which the hand-written fragments leave out. */
function withoutInternalTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInternalTypes)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (key === 'internalType' ? [] : [[key, withoutInternalTypes(item)]])))
}

const FRAGMENTS: ReadonlyArray<readonly [name: string, fragment: Abi, published: () => readonly unknown[]]> = [
  ['rolesModifierAbi (RolesV2.json)', rolesModifierAbi, () => zodiacAbi('RolesV2')],
  ['moduleProxyFactoryAbi (ModuleProxyFactory.json)', moduleProxyFactoryAbi, () => zodiacAbi('ModuleProxyFactory')],
  ['safeAbi (Safe.json)', safeAbi, () => artifacts.safe().abi],
  ['safeProxyFactoryAbi (SafeProxyFactory.json)', safeProxyFactoryAbi, () => artifacts.safeProxyFactory().abi],
  ['multiSendCallOnlyAbi (MultiSendCallOnly.json)', multiSendCallOnlyAbi, () => artifacts.multiSendCallOnly().abi],
]

describe('the Safe and Zodiac `as const` ABIs', () => {
  it.each(FRAGMENTS)('%s: every fragment is in the npm artifact as written', (_name, fragment, published) => {
    const compiled = published().map(withoutInternalTypes)
    const missing = fragment.filter((item) => !compiled.some((entry) => isDeepStrictEqual(entry, item)))
    expect(fragment.length).toBeGreaterThan(0)
    expect(missing).toEqual([])
  })

  it('declares every custom error of RolesV2.json, so that any revert of the modifier decodes', () => {
    const published = zodiacAbi('RolesV2').filter((item) => typeof item === 'object' && item !== null && 'type' in item && item.type === 'error')
    const declared = rolesModifierAbi.filter((item) => item.type === 'error')
    expect(published.length).toBeGreaterThan(10)
    expect(declared).toHaveLength(published.length)
  })

  it('declares a function once per name: a fragment of several overloads would be ambiguous for viem', () => {
    for (const [, fragment] of FRAGMENTS) {
      const names = fragment.flatMap((item) => (item.type === 'function' ? [item.name] : []))
      expect(new Set(names).size).toBe(names.length)
    }
  })
})
