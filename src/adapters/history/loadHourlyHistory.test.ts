import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Fraction } from '../../domain/money/index.js'
import { loadHourlyHistory } from './loadHourlyHistory.js'
import { HISTORY_FILES, defaultDataDir } from './readLastCloses.js'

const HOUR = 3_600_000
const POOL_HEADER = 'timestamp,date_utc,open,high,low,close,volume,pool_address,dex,fee_tier,base_token,quote_token,source'
const ORACLE_HEADER = [
  '# Source: aave_oracle_derived',
  '# Asset_pair: weETH_ETH',
  '# Quote_currency: ETH',
  '# Methodology: asset_usd / eth_usd',
  '# Processed: 2025-09-29T11:44:24.552826',
  '# Records: 3',
  'timestamp,oracle_price_eth,asset,source,quote_currency',
]
const GAS_HEADER =
  'timestamp,chain,block_number,block_timestamp,gas_price_gwei,gas_price_avg_gwei,gas_price_median_gwei,base_fee_gwei,priority_fee_p25_gwei,priority_fee_p50_gwei,priority_fee_p75_gwei,source,note'

const T0 = Date.UTC(2024, 9, 5, 0) / 1000 // 2024-10-05 00:00 UTC, in unix seconds

function pool(seconds: number, close: string): string {
  return `${seconds},x,${close},${close},${close},${close},1,0xpool,Uniswap v3,0.3%,EIGEN,WETH,geckoterminal_pro`
}

/** Writes the five files in a temp folder, each hour t0..t0+3 unless a file's lines are given. */
async function fixture(overrides: Partial<Record<keyof typeof HISTORY_FILES, string[]>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dust-hourly-'))
  const hours = [0, 1, 2, 3]
  const files: Record<keyof typeof HISTORY_FILES, string[]> = {
    eigenWeth: [POOL_HEADER, ...hours.map((h) => pool(T0 + h * 3600, `0.00148${h}`))],
    ethfiWeth: [POOL_HEADER, ...hours.map((h) => pool(T0 + h * 3600, `0.00060${h}`))],
    ethUsdt: [POOL_HEADER, ...hours.map((h) => pool(T0 + h * 3600, `2418.0${h}`))],
    weethEth: [...ORACLE_HEADER, ...hours.map((h) => `2024-10-05 0${h}:00:00+00:00,1.04955${h},weETH,aave_oracle_derived,ETH`)],
    gas: [GAS_HEADER, ...hours.map((h) => `2024-10-05T0${h}:00:00Z,ethereum,1,1,3.8${h},3.8,3.8,3.7,0.1,0.1,0.3,alchemy_rpc_fast,note`)],
    ...overrides,
  }
  for (const [key, lines] of Object.entries(files)) {
    const path = join(dir, HISTORY_FILES[key as keyof typeof HISTORY_FILES])
    await mkdir(join(path, '..'), { recursive: true })
    await writeFile(path, `${lines.join('\n')}\n`)
  }
  return dir
}

describe('loadHourlyHistory on the real files', () => {
  it('puts the five series on one grid from 2024-10-05 00:00 to 2025-09-26 23:00 UTC, exact and without gaps', async () => {
    const history = await loadHourlyHistory({ dataDir: defaultDataDir({}) })
    // EIGEN/WETH starts last (2024-10-05 00:00), the gas file ends first (2025-09-26 23:00): 357 days of hours.
    expect(history.hours.length).toBe(8568)
    expect(history.hours[0]).toBe(Date.UTC(2024, 9, 5, 0))
    expect(history.hours.at(-1)).toBe(Date.UTC(2025, 8, 26, 23))
    expect(history.hours.every((hour, index) => index === 0 || hour - (history.hours[index - 1] as number) === HOUR)).toBe(true)
    expect(history.filled).toEqual({ eigenWeth: 0, ethfiWeth: 0, ethUsdt: 0, weethEth: 0, gasGwei: 0 })
    // Every pool of shared/data is a 0.3% fee tier.
    expect(Object.fromEntries(Object.entries(history.feeBps).map(([series, bps]) => [series, bps.toDecimalString(4)]))).toEqual({ eigenWeth: '30', ethfiWeth: '30', ethUsdt: '30' })
    for (const values of Object.values(history.values)) expect(values.length).toBe(8568)

    const first = (series: keyof typeof history.values) => history.values[series][0]?.toDecimalString(30)
    const last = (series: keyof typeof history.values) => history.values[series].at(-1)?.toDecimalString(30)
    expect(first('eigenWeth')).toBe('0.0014866213275239')
    expect(first('ethfiWeth')).toBe('0.00060776710410069')
    expect(first('ethUsdt')).toBe('2418.04930086583')
    expect(first('weethEth')).toBe('1.0495550309471324')
    expect(first('gasGwei')).toBe('3.88')
    expect(last('eigenWeth')).toBe('0.000436793953237462')
    expect(last('ethfiWeth')).toBe('0.000394509486326472')
    expect(last('ethUsdt')).toBe('4027.67613412079')
    expect(last('weethEth')).toBe('1.077727824229591')
    expect(last('gasGwei')).toBe('0.15')
    expect(history.files.weethEth).toBe(HISTORY_FILES.weethEth)
  })

  it('cuts a window, rounding from up and to down to hour starts, both inclusive', async () => {
    const history = await loadHourlyHistory({
      dataDir: defaultDataDir({}),
      from: Date.UTC(2025, 0, 1, 0, 30),
      to: Date.UTC(2025, 0, 2, 0, 59),
    })
    expect(history.hours.length).toBe(24)
    expect(history.hours[0]).toBe(Date.UTC(2025, 0, 1, 1))
    expect(history.hours.at(-1)).toBe(Date.UTC(2025, 0, 2, 0))
    expect(history.values.eigenWeth[0]?.toDecimalString(30)).toBe('0.00108254279945837')
    expect(history.values.eigenWeth.at(-1)?.toDecimalString(30)).toBe('0.00108256971840773')
    expect(history.filled).toEqual({ eigenWeth: 0, ethfiWeth: 0, ethUsdt: 0, weethEth: 0, gasGwei: 0 })
  })
})

describe('loadHourlyHistory on fixtures', () => {
  it('carries a missing hour forward and counts it per series', async () => {
    const dir = await fixture({
      eigenWeth: [POOL_HEADER, pool(T0, '0.001'), pool(T0 + 3 * 3600, '0.004')],
      gas: [GAS_HEADER, `2024-10-05T00:00:00Z,ethereum,1,1,3.5,3,3,3,0,0,0,s,n`, `2024-10-05T01:00:00Z,ethereum,1,1,4,3,3,3,0,0,0,s,n`, `2024-10-05T03:00:00Z,ethereum,1,1,5,3,3,3,0,0,0,s,n`],
    })
    try {
      const history = await loadHourlyHistory({ dataDir: dir })
      expect(history.hours).toEqual([0, 1, 2, 3].map((h) => (T0 + h * 3600) * 1000))
      expect(history.values.eigenWeth.map((value) => value.toDecimalString(6))).toEqual(['0.001', '0.001', '0.001', '0.004'])
      expect(history.values.gasGwei.map((value) => value.toDecimalString(6))).toEqual(['3.5', '4', '4', '5'])
      expect(history.filled).toEqual({ eigenWeth: 2, ethfiWeth: 0, ethUsdt: 0, weethEth: 0, gasGwei: 1 })
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('starts where every series has a value and carries the last row before a window into it', async () => {
    const dir = await fixture({ ethfiWeth: [POOL_HEADER, pool(T0 + 3600, '0.0006'), pool(T0 + 3 * 3600, '0.0007')] })
    try {
      expect((await loadHourlyHistory({ dataDir: dir })).hours[0]).toBe((T0 + 3600) * 1000)
      const windowed = await loadHourlyHistory({ dataDir: dir, from: (T0 + 2 * 3600) * 1000 })
      expect(windowed.hours).toEqual([(T0 + 2 * 3600) * 1000, (T0 + 3 * 3600) * 1000])
      expect(windowed.values.ethfiWeth.map((value) => value.toDecimalString(6))).toEqual(['0.0006', '0.0007'])
      expect(windowed.filled.ethfiWeth).toBe(1)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('reads exponent notation exactly', async () => {
    const dir = await fixture({ eigenWeth: [POOL_HEADER, pool(T0, '1e-05'), pool(T0 + 3600, '3.7275160988569e-05'), pool(T0 + 7200, '2.5E+3'), pool(T0 + 10800, '0.1')] })
    try {
      const history = await loadHourlyHistory({ dataDir: dir })
      expect(history.values.eigenWeth[0]?.equals(new Fraction(1n, 100_000n))).toBe(true)
      expect(history.values.eigenWeth[1]?.equals(new Fraction(37_275_160_988_569n, 10n ** 18n))).toBe(true)
      expect(history.values.eigenWeth[2]?.equals(new Fraction(2500n))).toBe(true)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('names a missing file and says to set DUST_DATA_DIR', async () => {
    const dir = await fixture()
    try {
      await rm(join(dir, HISTORY_FILES.gas))
      const failure = loadHourlyHistory({ dataDir: dir })
      await expect(failure).rejects.toMatchObject({ name: 'SourceError', details: expect.stringContaining('set DUST_DATA_DIR') })
      await expect(loadHourlyHistory({ dataDir: dir })).rejects.toThrow(`The history file ${join(dir, HISTORY_FILES.gas)} is missing.`)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('names the file and line of a malformed value, with what was expected and found', async () => {
    const dir = await fixture({ ethUsdt: [POOL_HEADER, pool(T0, '2418'), pool(T0 + 3600, '2418.0.1'), pool(T0 + 7200, '2418')] })
    try {
      const failure = loadHourlyHistory({ dataDir: dir })
      await expect(failure).rejects.toMatchObject({ name: 'SourceError', shortMessage: `Line 3 of ${join(dir, HISTORY_FILES.ethUsdt)} is malformed.` })
      await expect(loadHourlyHistory({ dataDir: dir })).rejects.toThrow('Expected a decimal "close" such as 0.0014866, found "2418.0.1".')
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('refuses a price at or under zero, which would value dust at nothing and leave its volatility unknown', async () => {
    for (const close of ['-0.00065', '0', '0e5']) {
      const dir = await fixture({ eigenWeth: [POOL_HEADER, pool(T0, '0.0005'), pool(T0 + 3600, close), pool(T0 + 7200, '0.0005')] })
      try {
        const failure = loadHourlyHistory({ dataDir: dir })
        await expect(failure).rejects.toMatchObject({ name: 'SourceError', shortMessage: `Line 3 of ${join(dir, HISTORY_FILES.eigenWeth)} is malformed.` })
        await expect(loadHourlyHistory({ dataDir: dir })).rejects.toThrow(`Expected a "close" above zero, found "${close}".`)
      } finally {
        await rm(dir, { recursive: true })
      }
    }
  })

  it('refuses an oracle time that is not a UTC hour start, counting the comment lines', async () => {
    const dir = await fixture({ weethEth: [...ORACLE_HEADER, '2024-10-05 00:00:00+00:00,1.04,weETH,s,ETH', '2024-10-05 01:00:00+02:00,1.04,weETH,s,ETH'] })
    try {
      await expect(loadHourlyHistory({ dataDir: dir })).rejects.toThrow(
        `Line 9 of ${join(dir, HISTORY_FILES.weethEth)} is malformed.\nExpected "timestamp" as a UTC hour start such as 2024-05-12 01:00:00+00:00, found "2024-10-05 01:00:00+02:00".`,
      )
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('reads the fee tier of each pool and refuses one that changes or is no percentage', async () => {
    const fee = (tier: string) => [POOL_HEADER, pool(T0, '0.001'), pool(T0 + 3600, '0.001').replace('0.3%', tier)]
    const history = await loadHourlyHistory({ dataDir: await fixture({ ethUsdt: fee('0.3%').map((line) => line.replaceAll('0.3%', '0.05%')) }) })
    expect(history.feeBps.ethUsdt.toDecimalString(4)).toBe('5')
    expect(history.feeBps.eigenWeth.toDecimalString(4)).toBe('30')
    await expect(loadHourlyHistory({ dataDir: await fixture({ eigenWeth: fee('1%') }) })).rejects.toMatchObject({
      shortMessage: expect.stringMatching(/^Line 3 of .*uniswapv3_EIGENWETH.* is malformed\.$/),
      details: 'Expected "fee_tier" as a percentage equal to the first row\'s 0.3%, found "1%".',
    })
    await expect(loadHourlyHistory({ dataDir: await fixture({ ethfiWeth: fee('x').map((line, index) => (index === 1 ? line.replace('0.3%', 'x') : line)) }) })).rejects.toMatchObject({
      details: 'Expected "fee_tier" as a percentage such as 0.3%, found "x".',
    })
  })

  it('refuses rows out of order and a header without the column', async () => {
    const disordered = await fixture({ ethfiWeth: [POOL_HEADER, pool(T0 + 3600, '1'), pool(T0, '1')] })
    const headless = await fixture({ gas: ['timestamp,gas_gwei', '2024-10-05T00:00:00Z,3'] })
    try {
      await expect(loadHourlyHistory({ dataDir: disordered })).rejects.toThrow('Line 3 of')
      await expect(loadHourlyHistory({ dataDir: disordered })).rejects.toThrow('Expected a "timestamp" after 2024-10-05T01:00:00.000Z, found 2024-10-05T00:00:00.000Z.')
      await expect(loadHourlyHistory({ dataDir: headless })).rejects.toThrow('Expected a header with the columns "timestamp" and "gas_price_gwei", found "timestamp,gas_gwei".')
    } finally {
      await rm(disordered, { recursive: true })
      await rm(headless, { recursive: true })
    }
  })

  it.each([
    [
      'a pool time that is not unix seconds',
      { ethUsdt: [POOL_HEADER, pool(T0, '2418'), pool(T0, '2418').replace(String(T0), '1728086400.5')] },
      'ethUsdt',
      3,
      'Expected "timestamp" as unix seconds on an hour start, found "1728086400.5".',
    ],
    ['a pool time off the hour', { ethUsdt: [POOL_HEADER, pool(T0 + 60, '2418')] }, 'ethUsdt', 2, `Expected "timestamp" as unix seconds on an hour start, found "${T0 + 60}".`],
    [
      'a date that does not exist',
      { gas: [GAS_HEADER, '2024-02-30T00:00:00Z,ethereum,1,1,3.8,3.8,3.8,3.7,0.1,0.1,0.3,alchemy_rpc_fast,note'] },
      'gas',
      2,
      'Expected "timestamp" as a UTC hour start such as 2024-05-12 01:00:00+00:00, found "2024-02-30T00:00:00Z".',
    ],
    [
      'a row cut before its value',
      { gas: [GAS_HEADER, '2024-10-05T00:00:00Z,ethereum,1,1'] },
      'gas',
      2,
      'Expected 13 comma-separated cells as in the header, found 4 in "2024-10-05T00:00:00Z,ethereum,1,1".',
    ],
    [
      'an oracle row cut after its value',
      { weethEth: [...ORACLE_HEADER, '2024-10-05 00:00:00+00:00,1.04,weETH,s,ETH', '2024-10-05 01:00:00+00:00,1.0', '2024-10-05 02:00:00+00:00,1.04,weETH,s,ETH'] },
      'weethEth',
      9,
      'Expected 5 comma-separated cells as in the header, found 2 in "2024-10-05 01:00:00+00:00,1.0".',
    ],
    [
      'a row with a cell too many',
      { ethfiWeth: [POOL_HEADER, pool(T0, '0.0006'), `${pool(T0 + 3600, '0.0006')},extra`] },
      'ethfiWeth',
      3,
      `Expected 13 comma-separated cells as in the header, found 14 in "${pool(T0 + 3600, '0.0006')},extra".`,
    ],
    ['an empty time', { gas: ['gas_price_gwei,timestamp', '3.8,'] }, 'gas', 2, 'Expected "timestamp" as a UTC hour start such as 2024-05-12 01:00:00+00:00, found "".'],
    ['a pool row with an empty fee tier', { eigenWeth: [POOL_HEADER, pool(T0, '0.0014').replace('0.3%', '')] }, 'eigenWeth', 2, 'Expected "fee_tier" as a percentage such as 0.3%, found "".'],
    [
      'a pool header without the fee tier',
      { ethfiWeth: ['timestamp,close', `${T0},0.0006`] },
      'ethfiWeth',
      1,
      'Expected a header with the columns "timestamp", "close" and "fee_tier", found "timestamp,close".',
    ],
    [
      'a file of comments only',
      { weethEth: ['# Source: aave_oracle_derived', '# Records: 0'] },
      'weethEth',
      2,
      'Expected a header with the columns "timestamp" and "oracle_price_eth", found an empty file.',
    ],
  ] satisfies Array<[string, Partial<Record<keyof typeof HISTORY_FILES, string[]>>, keyof typeof HISTORY_FILES, number, string]>)(
    'refuses %s, naming the file and line',
    async (_case, overrides, file, line, details) => {
      const dir = await fixture(overrides)
      try {
        await expect(loadHourlyHistory({ dataDir: dir })).rejects.toMatchObject({ name: 'SourceError', shortMessage: `Line ${line} of ${join(dir, HISTORY_FILES[file])} is malformed.`, details })
      } finally {
        await rm(dir, { recursive: true })
      }
    },
  )

  it('quotes only the start of a long line with the wrong number of cells', async () => {
    // Four rows run together, the newlines lost: 4 × 13 − 3 cells, as each row's first cell joins the last of the one before.
    const dir = await fixture({ ethUsdt: [POOL_HEADER, [0, 1, 2, 3].map((h) => pool(T0 + h * 3600, '2418')).join('')] })
    try {
      const failure = await loadHourlyHistory({ dataDir: dir }).catch((error: unknown) => error)
      expect(failure).toMatchObject({ name: 'SourceError', shortMessage: `Line 2 of ${join(dir, HISTORY_FILES.ethUsdt)} is malformed.` })
      const details = (failure as { details: string }).details
      expect(details.startsWith('Expected 13 comma-separated cells as in the header, found 49 in "')).toBe(true)
      expect(details.endsWith('…".')).toBe(true)
      expect(details.length).toBeLessThan(400)
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('reads rows as the shipped files write them: CRLF endings, comment lines, a header of every column and empty cells kept', async () => {
    const crlf = (lines: string[]) => lines.map((line) => `${line}\r`)
    const dir = await fixture({
      // The pool and gas files of shared/data end their lines with CRLF; the oracle file starts with `#` lines.
      ethUsdt: crlf([POOL_HEADER, pool(T0, '2418'), pool(T0 + 3600, '2419')]),
      gas: crlf([GAS_HEADER, '2024-10-05T00:00:00Z,ethereum,1,1,3.8,3.8,3.8,3.7,0.1,0.1,0.3,alchemy_rpc_fast,', '2024-10-05T01:00:00Z,ethereum,1,1,3.9,,,,,,,,']),
    })
    try {
      const history = await loadHourlyHistory({ dataDir: dir })
      expect(history.hours).toEqual([T0 * 1000, (T0 + 3600) * 1000])
      expect(history.values.ethUsdt.map((value) => value.toDecimalString(6))).toEqual(['2418', '2419'])
      expect(history.values.gasGwei.map((value) => value.toDecimalString(6))).toEqual(['3.8', '3.9'])
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('names a file with a header and no row', async () => {
    const dir = await fixture({ ethfiWeth: [POOL_HEADER] })
    try {
      await expect(loadHourlyHistory({ dataDir: dir })).rejects.toMatchObject({
        name: 'SourceError',
        shortMessage: `The history file ${join(dir, HISTORY_FILES.ethfiWeth)} has no row.`,
        details: 'Expected hourly rows after its header, found none.',
      })
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('refuses a window before or after the data with one wording, naming the hours every series covers and the window asked', async () => {
    // The gas file starts an hour late: every series covers 01:00 to 03:00.
    const dir = await fixture({ gas: [GAS_HEADER, ...[1, 2, 3].map((h) => `2024-10-05T0${h}:00:00Z,ethereum,1,1,3.8,3.8,3.8,3.7,0.1,0.1,0.3,alchemy_rpc_fast,note`)] })
    const at = (hours: number) => (T0 + hours * 3600) * 1000
    const outside = (asked: string) => ({
      name: 'SourceError',
      shortMessage: `The window asked is outside the history in ${dir}.`,
      details: `Expected a window that meets 2024-10-05T01:00:00.000Z to 2024-10-05T03:00:00.000Z, the first and last hours every series covers, found ${asked}.`,
    })
    try {
      await expect(loadHourlyHistory({ dataDir: dir, from: at(10), to: at(12) })).rejects.toMatchObject(outside('2024-10-05T10:00:00.000Z to 2024-10-05T12:00:00.000Z'))
      await expect(loadHourlyHistory({ dataDir: dir, from: at(10) })).rejects.toMatchObject(outside('2024-10-05T10:00:00.000Z to the end of the data'))
      // Before the first row of every series, and before the first common hour only (the gas file starts later).
      await expect(loadHourlyHistory({ dataDir: dir, to: at(-1) })).rejects.toMatchObject(outside('the start of the data to 2024-10-04T23:00:00.000Z'))
      await expect(loadHourlyHistory({ dataDir: dir, from: at(-5), to: at(0) })).rejects.toMatchObject(outside('2024-10-04T19:00:00.000Z to 2024-10-05T00:00:00.000Z'))
      // A window that overlaps the data is cut to it.
      expect((await loadHourlyHistory({ dataDir: dir, from: at(-5), to: at(1) })).hours).toEqual([at(1)])
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('refuses a window inside the data that falls in a gap of one series, naming the window and the span', async () => {
    const dir = await fixture({ ethUsdt: [POOL_HEADER, pool(T0, '2418'), pool(T0 + 3 * 3600, '2419')] })
    try {
      await expect(loadHourlyHistory({ dataDir: dir, from: (T0 + 3600) * 1000, to: (T0 + 2 * 3600) * 1000 })).rejects.toMatchObject({
        shortMessage: `The history files in ${dir} share no hour in the window asked.`,
        details:
          'Expected an hour every series covers from 2024-10-05T01:00:00.000Z to 2024-10-05T02:00:00.000Z (the history covers 2024-10-05T00:00:00.000Z to 2024-10-05T03:00:00.000Z, with gaps), found none.',
      })
    } finally {
      await rm(dir, { recursive: true })
    }
  })
})
