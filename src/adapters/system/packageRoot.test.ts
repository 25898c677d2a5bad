import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { packageRoot } from './packageRoot.js'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

describe('packageRoot', () => {
  it('finds this package from a module of src/', () => {
    expect(packageRoot(import.meta.url)).toBe(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'))
  })

  it('skips the package.json of another package on the way up, at any depth', () => {
    const root = mkdtempSync(join(tmpdir(), 'dust-root-'))
    folders.push(root)
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'dust-manager' }))
    mkdirSync(join(root, 'dist', 'cli', 'nested'), { recursive: true })
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }))
    writeFileSync(join(root, 'dist', 'cli', 'package.json'), '{ not json')
    expect(packageRoot(pathToFileURL(join(root, 'dist', 'cli', 'nested', 'chunk.js')).href)).toBe(root)
  })

  it('says so when no package.json of this package is above the module', () => {
    const root = mkdtempSync(join(tmpdir(), 'dust-root-'))
    folders.push(root)
    expect(() => packageRoot(pathToFileURL(join(root, 'chunk.js')).href)).toThrow(/No package\.json of dust-manager above/)
  })
})
