import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { npmArtifact } from './npmArtifact.js'

const abi = [{ type: 'function', name: 'ping', stateMutability: 'view', inputs: [], outputs: [] }]
const code = '6080604052348015600f57600080fd5b50'

describe('npmArtifact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-artifact-'))
  let files = 0
  /** Writes an artifact to a file of its own (require caches by path) and returns the path. */
  const written = (artifact: unknown): string => {
    files += 1
    const path = join(dir, `artifact${files}.json`)
    writeFileSync(path, JSON.stringify(artifact))
    return path
  }

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads a Truffle build (bytecode without 0x), a solc bytecode object and an evm.bytecode.object', () => {
    expect(npmArtifact(written({ abi, bytecode: code }))).toEqual({ abi, bytecode: `0x${code}` })
    expect(npmArtifact(written({ abi, bytecode: { object: `0x${code}` } }))).toEqual({ abi, bytecode: `0x${code}` })
    expect(npmArtifact(written({ abi, evm: { bytecode: { object: code } } }))).toEqual({ abi, bytecode: `0x${code}` })
  })

  it('refuses an artifact without an ABI list', () => {
    const path = written({ abi: { ping: true }, bytecode: code })
    expect(() => npmArtifact(path)).toThrow(`The npm artifact ${path} has no ABI list.`)
  })

  it('refuses bytecode that is not text', () => {
    const path = written({ abi, bytecode: { object: 6080 } })
    expect(() => npmArtifact(path)).toThrow(`The npm artifact ${path} has bytecode that is not text.`)
  })

  it('refuses an artifact with no bytecode, and one with an unlinked library', () => {
    const empty = written({ abi })
    expect(() => npmArtifact(empty)).toThrow(`The npm artifact ${empty} has no deployable bytecode (empty or with unlinked libraries).`)
    const unlinked = written({ abi, bytecode: `0x${code}73__$d1ec7d1dd4a5e7a2d1ab1c1a0e0c4e5f0b$__63` })
    expect(() => npmArtifact(unlinked)).toThrow(`The npm artifact ${unlinked} has no deployable bytecode (empty or with unlinked libraries).`)
  })
})
