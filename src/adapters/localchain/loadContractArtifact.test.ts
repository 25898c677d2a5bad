import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BaseError } from '../../errors/index.js'
import { loadContractArtifact } from './loadContractArtifact.js'

const folder = mkdtempSync(join(tmpdir(), 'dust-artifact-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** Writes `text` as an artifact file and returns its path. */
function artifact(name: string, text: string): string {
  const file = join(folder, name)
  writeFileSync(file, text)
  return file
}

/** The error loading `file` throws. */
function refusal(file: string): BaseError {
  try {
    loadContractArtifact('DemoToken', { file })
  } catch (error) {
    if (error instanceof BaseError) return error
    throw error
  }
  throw new Error(`${file} loaded`)
}

describe('loadContractArtifact', () => {
  it('reads the kept artifact: an ABI with mint and a constructor taking the decimals, and creation bytecode', () => {
    const { abi, bytecode } = loadContractArtifact('DemoToken')
    expect(abi.some((item) => item.type === 'function' && item.name === 'mint')).toBe(true)
    expect(abi.find((item) => item.type === 'constructor')).toMatchObject({ inputs: [{ name: 'name_' }, { name: 'symbol_' }, { name: 'decimals_' }] })
    expect(bytecode).toMatch(/^0x(?:[0-9a-f]{2})+$/)
  })

  it('says how to make the artifact when there is none', () => {
    const error = refusal(join(folder, 'missing.json'))
    expect(error.code).toBe('missing_artifact')
    expect(error.details).toBe(`Expected a JSON artifact at ${join(folder, 'missing.json')} (run \`npx tsx scripts/compileContracts.ts\`), found no such file.`)
  })

  it('refuses a file that is not JSON, one without an ABI list, and one without hex bytecode', () => {
    expect(refusal(artifact('garbled.json', '{ "abi": [')).details).toMatch(/found a file that is not JSON\.$/)
    expect(refusal(artifact('no-abi.json', JSON.stringify({ bytecode: '0x6080' }))).details).toMatch(/found no abi list\.$/)
    expect(refusal(artifact('odd-hex.json', JSON.stringify({ abi: [], bytecode: '0x608' }))).details).toMatch(/found no hex bytecode\.$/)
    expect(refusal(artifact('not-hex.json', JSON.stringify({ abi: [], bytecode: 'PUSH1 0x80' }))).code).toBe('missing_artifact')
  })
})
