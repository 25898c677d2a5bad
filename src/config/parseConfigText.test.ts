import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/index.js'
import type { ConfigFiles } from './ConfigFiles.js'
import { parseConfigText } from './parseConfigText.js'

const FILE = '/configs/strategy.yaml'
const EXAMPLE = readFileSync(new URL('../../configs/modes/usdt_eth_staking_hedged_simple.yaml', import.meta.url), 'utf8')

/** Files no test here reads: the example configuration references none. */
const files: ConfigFiles = {
  read: async ({ file }) => Promise.reject(new Error(`No file is read in this test, asked for ${file}.`)),
  resolve: async ({ file }) => Promise.reject(new Error(`No file is resolved in this test, asked for ${file}.`)),
}
const deps = { files, ccxtExchanges: async () => ['binance'] }

/** The ConfigError of `text`, or undefined when it parses. */
async function configErrorOf(text: string): Promise<ConfigError | undefined> {
  return parseConfigText(deps, { text, file: FILE, env: {} }).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof ConfigError) return error
      throw error
    },
  )
}

describe('parseConfigText', () => {
  it("accepts the example's checksummed addresses, and the same addresses in lower case", async () => {
    const loaded = await parseConfigText(deps, { text: EXAMPLE, file: FILE, env: {} })
    expect(loaded.config.tokens.find((token) => token.symbol === 'WETH')?.address).toBe('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2')
    expect(await configErrorOf(EXAMPLE.replace('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2'))).toBeUndefined()
  })

  it('refuses a mixed-case address whose EIP-55 checksum does not match, naming its key and line', async () => {
    // One letter of WETH's address in the wrong case: the kind of typo the checksum exists to catch.
    const typo = EXAMPLE.replace('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756CC2')
    const error = await configErrorOf(typo)
    const line = EXAMPLE.split('\n').findIndex((text) => text.includes('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2')) + 1
    expect(error?.issues).toEqual([
      expect.objectContaining({
        path: 'tokens[2].address',
        line,
        expected: 'an address whose mixed case matches its EIP-55 checksum (or written in one case)',
        found: '"0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756CC2"',
      }),
    ])
  })

  it('takes a mode of up to 64 characters, as the HTTP API does, and refuses a longer one', async () => {
    const withMode = (mode: string) => EXAMPLE.replace(/^mode: .*$/m, `mode: ${mode}`)
    expect(await configErrorOf(withMode('a'.repeat(64)))).toBeUndefined()
    const error = await configErrorOf(withMode('a'.repeat(65)))
    expect(error?.issues).toEqual([
      expect.objectContaining({
        path: 'mode',
        line: EXAMPLE.split('\n').findIndex((text) => text.startsWith('mode: ')) + 1,
        expected: 'a strategy mode name of 1 to 64 lower-case letters, digits and "_"',
        found: `"${'a'.repeat(60)}…" (65 characters)`,
      }),
    ])
  })
})
