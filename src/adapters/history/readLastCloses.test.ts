import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HISTORY_FILES, defaultDataDir, readLastCloses } from './readLastCloses.js'

describe('readLastCloses', () => {
  it('reads the last real closes of shared/data exactly as written', async () => {
    const closes = await readLastCloses(defaultDataDir({}))
    expect(closes.ethUsdt.value.toDecimalString(14)).toBe('3992.48717569654')
    expect(closes.ethUsdt.time).toBe('2025-09-27T18:00:00+00:00Z')
    expect(closes.eigenWeth.value.toDecimalString(20)).toBe('0.000464563092621895')
    expect(closes.ethfiWeth.value.toDecimalString(20)).toBe('0.0003985965356081')
    expect(closes.weethEth.value.toDecimalString(20)).toBe('1.0778675663760975')
    expect(closes.weethEth.time).toBe('2025-09-29 00:00:00+00:00')
    expect(closes.gasGwei.value.toDecimalString(4)).toBe('0.15')
  })

  it('names the missing file and how to point at the data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dust-history-'))
    await expect(readLastCloses(dir)).rejects.toMatchObject({ name: 'SourceError', details: expect.stringContaining('DUST_DATA_DIR') })
    await expect(readLastCloses(dir)).rejects.toThrow(
      `5 history files are missing from ${dir}: gas/ethereum_gas_prices_1h_2024-01-01_2025-09-26.csv, oracle/aave_weETH_ETH_oracle_2024-01-01_2025-09-18.csv, ` +
        'prices/uniswapv3_EIGENWETH_1h_2024-10-05_2025-09-27.csv, prices/uniswapv3_ETHFIWETH_1h_2024-04-01_2025-09-27.csv and prices/uniswapv3_WETHUSDT_1h_2024-01-01_2025-09-27.csv.',
    )
  })

  it('refuses a last line without the column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dust-history-'))
    for (const file of Object.values(HISTORY_FILES)) {
      await mkdir(join(dir, file, '..'), { recursive: true })
      await writeFile(join(dir, file), 'timestamp,date_utc,close,oracle_price_eth,gas_price_gwei\n1,2025,abc,1,1\n')
    }
    await expect(readLastCloses(dir)).rejects.toThrow('has no decimal "close"')
  })

  it('reads the data folder from DUST_DATA_DIR when set, resolved from the working folder', () => {
    expect(defaultDataDir({ DUST_DATA_DIR: join('relative', 'data') })).toBe(join(process.cwd(), 'relative', 'data'))
  })

  it('reads a value whose line has no time column, with an empty time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dust-history-'))
    for (const file of Object.values(HISTORY_FILES)) {
      await mkdir(join(dir, file, '..'), { recursive: true })
      await writeFile(join(dir, file), '# no time column\nclose,oracle_price_eth,gas_price_gwei\n2418.5,1.0778,0.15\n')
    }
    const closes = await readLastCloses(dir)
    expect([closes.ethUsdt.value.toDecimalString(2), closes.ethUsdt.time]).toEqual(['2418.5', ''])
    expect([closes.gasGwei.value.toDecimalString(2), closes.gasGwei.time]).toEqual(['0.15', ''])
  })

  it('refuses an empty file, saying it is empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dust-history-'))
    for (const file of Object.values(HISTORY_FILES)) {
      await mkdir(join(dir, file, '..'), { recursive: true })
      await writeFile(join(dir, file), file === HISTORY_FILES.gas ? '' : 'timestamp,date_utc,close,oracle_price_eth\n1,2025,2418.5,1.0778\n')
    }
    await expect(readLastCloses(dir)).rejects.toMatchObject({
      name: 'SourceError',
      shortMessage: `The last line of ${join(dir, HISTORY_FILES.gas)} has no decimal "gas_price_gwei".`,
      details: 'Expected a column "gas_price_gwei" with a decimal number, found an empty file.',
    })
  })
})
