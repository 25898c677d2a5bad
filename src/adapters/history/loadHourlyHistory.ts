import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Fraction } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { HISTORY_FILES } from './readLastCloses.js'
import { requireDataFiles } from './requireDataFiles.js'

/** The five hourly series of a backtest: pool closes, the weETH oracle rate and the gas price. */
export type HourlySeries = 'eigenWeth' | 'ethfiWeth' | 'ethUsdt' | 'weethEth' | 'gasGwei'

export type LoadHourlyHistoryParameters = {
  /** The folder holding prices/, oracle/ and gas/ (see `defaultDataDir`). */
  readonly dataDir: string
  /** First hour wanted (ms since epoch, inclusive; rounded up to an hour start). */
  readonly from?: number | undefined
  /** Last hour wanted (ms since epoch, inclusive; rounded down to an hour start). */
  readonly to?: number | undefined
}

export type LoadHourlyHistoryReturnType = {
  /** UTC hour starts in ms, one per hour, without holes. */
  readonly hours: readonly number[]
  /** Per series, one exact value per entry of `hours`. */
  readonly values: Readonly<Record<HourlySeries, readonly Fraction[]>>
  /** Per series, how many hours of the grid had no row and carry the previous value. */
  readonly filled: Readonly<Record<HourlySeries, number>>
  /** Per series, the file read (relative to `dataDir`). */
  readonly files: Readonly<Record<HourlySeries, string>>
  /** Per pool series, its swap fee in basis points, from the file's `fee_tier` column (`0.3%` → 30). */
  readonly feeBps: Readonly<Record<PoolSeries, Fraction>>
}

/** The series that are Uniswap v3 pools, with a fee tier. */
export type PoolSeries = 'eigenWeth' | 'ethfiWeth' | 'ethUsdt'

const HOUR = 3_600_000

type Time = 'unix_seconds' | 'iso'

type Source = {
  readonly series: HourlySeries
  readonly file: string
  readonly timeColumn: string
  readonly valueColumn: string
  readonly time: Time
  /** A column that must hold one value on every row (a pool's `fee_tier`). */
  readonly feeColumn?: string
}

const SOURCES: readonly Source[] = [
  { series: 'eigenWeth', file: HISTORY_FILES.eigenWeth, timeColumn: 'timestamp', valueColumn: 'close', time: 'unix_seconds', feeColumn: 'fee_tier' },
  { series: 'ethfiWeth', file: HISTORY_FILES.ethfiWeth, timeColumn: 'timestamp', valueColumn: 'close', time: 'unix_seconds', feeColumn: 'fee_tier' },
  { series: 'ethUsdt', file: HISTORY_FILES.ethUsdt, timeColumn: 'timestamp', valueColumn: 'close', time: 'unix_seconds', feeColumn: 'fee_tier' },
  { series: 'weethEth', file: HISTORY_FILES.weethEth, timeColumn: 'timestamp', valueColumn: 'oracle_price_eth', time: 'iso' },
  { series: 'gasGwei', file: HISTORY_FILES.gas, timeColumn: 'timestamp', valueColumn: 'gas_price_gwei', time: 'iso' },
]

/** `2024-05-12 01:00:00+00:00` (oracle) and `2024-01-01T00:00:00Z` (gas): UTC only. */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:Z|\+00:00)$/
const UNIX_SECONDS = /^\d{1,12}$/
const NUMBER = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/

/** Reads `12.5`, `1e-05` or `3.7275160988569e-05` exactly; `undefined` when the text is no such number. */
function parseExact(text: string): Fraction | undefined {
  const match = NUMBER.exec(text)
  if (!match) return undefined
  const [, sign = '', whole, frac = '', exponent] = match
  const base = Fraction.fromDecimalString(`${sign}${whole}${frac ? `.${frac}` : ''}`)
  if (exponent === undefined) return base
  const power = BigInt(exponent)
  return (power >= 0n ? base.multiply(10n ** power) : base.divide(10n ** -power)).reduce()
}

function parseTime(text: string, time: Time): number | undefined {
  if (time === 'unix_seconds') return UNIX_SECONDS.test(text) ? Number(text) * 1000 : undefined
  const match = ISO_UTC.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number]
  const ms = Date.UTC(y, mo - 1, d, h, mi, s)
  // Date.UTC rolls 2024-02-30 over to March; a date that does not read back is malformed.
  const back = new Date(ms)
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 ? ms : undefined
}

type Rows = { readonly times: number[]; readonly values: Fraction[]; readonly feeBps: Fraction | undefined }

const FEE_TIER = /^(\d+(?:\.\d+)?)%$/

function malformed(path: string, line: number, expected: string, found: string): SourceError {
  return new SourceError('history', `Line ${line} of ${path} is malformed.`, { details: `Expected ${expected}, found ${found}.` })
}

/** Streams one file, keeping the rows of the window plus the last row before it (to carry into it). */
async function readSeries(dataDir: string, source: Source, from: number, to: number): Promise<Rows> {
  const path = join(dataDir, source.file)
  try {
    await access(path)
  } catch (cause) {
    throw new SourceError('history', `The history file ${path} is missing.`, {
      cause,
      details: `The backtest reads the ${source.series} series from ${source.file}; set DUST_DATA_DIR to the folder that holds prices/, oracle/ and gas/.`,
    })
  }
  const times: number[] = []
  const values: Fraction[] = []
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  let lineNumber = 0
  let timeIndex = -1
  let valueIndex = -1
  let previous = Number.NEGATIVE_INFINITY
  let feeIndex = -1
  let feeText: string | undefined
  for await (const raw of lines) {
    lineNumber += 1
    const line = raw.trim()
    if (line.length === 0 || line.startsWith('#')) continue
    const cells = line.split(',')
    if (timeIndex < 0) {
      timeIndex = cells.indexOf(source.timeColumn)
      valueIndex = cells.indexOf(source.valueColumn)
      feeIndex = source.feeColumn === undefined ? -1 : cells.indexOf(source.feeColumn)
      if (timeIndex < 0 || valueIndex < 0 || (source.feeColumn !== undefined && feeIndex < 0)) {
        const columns = [source.timeColumn, source.valueColumn, ...(source.feeColumn === undefined ? [] : [source.feeColumn])]
        const quoted = columns.map((column) => `"${column}"`)
        throw malformed(path, lineNumber, `a header with the columns ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`, `"${line}"`)
      }
      continue
    }
    const timeText = cells[timeIndex] ?? ''
    const at = parseTime(timeText, source.time)
    if (at === undefined || at % HOUR !== 0) {
      const shape = source.time === 'unix_seconds' ? 'unix seconds on an hour start' : 'a UTC hour start such as 2024-05-12 01:00:00+00:00'
      throw malformed(path, lineNumber, `"${source.timeColumn}" as ${shape}`, `"${timeText}"`)
    }
    if (at <= previous) {
      throw malformed(path, lineNumber, `a "${source.timeColumn}" after ${new Date(previous).toISOString()}`, `${new Date(at).toISOString()}`)
    }
    previous = at
    const valueText = cells[valueIndex] ?? ''
    const value = parseExact(valueText)
    if (value === undefined) throw malformed(path, lineNumber, `a decimal "${source.valueColumn}" such as 0.0014866`, `"${valueText}"`)
    if (feeIndex >= 0) {
      const fee = cells[feeIndex] ?? ''
      feeText ??= fee
      if (!FEE_TIER.test(fee) || fee !== feeText) {
        throw malformed(path, lineNumber, `"${source.feeColumn}" as a percentage${feeText === fee ? ' such as 0.3%' : ` equal to the first row's ${feeText}`}`, `"${fee}"`)
      }
    }
    if (at > to) continue // later rows are still read so that a malformed line anywhere is reported
    if (at < from) {
      // Only the latest row before the window matters: it is the value carried into the window.
      times.length = 0
      values.length = 0
    }
    times.push(at)
    values.push(value)
  }
  if (timeIndex < 0) throw malformed(path, lineNumber, `a header with the columns "${source.timeColumn}" and "${source.valueColumn}"`, 'an empty file')
  const feeBps = feeText === undefined ? undefined : Fraction.fromDecimalString(feeText.slice(0, -1)).multiply(100n).reduce()
  return { times, values, feeBps }
}

/**
 * Loads the hourly EIGEN/WETH, ETHFI/WETH and WETH/USDT closes, the weETH/ETH oracle rate and the
 * gas price onto one grid of UTC hours, each value exact as written.
 *
 * The grid runs from the first hour where every series has a value (or `from`) to the last hour
 * every series reaches (or `to`). An hour missing from a series carries its previous value and is
 * counted in `filled`. Files are streamed line by line; every line is checked, even outside the window.
 * Missing files are all named in one error, sorted by path (`requireDataFiles`).
 */
export async function loadHourlyHistory(parameters: LoadHourlyHistoryParameters): Promise<LoadHourlyHistoryReturnType> {
  const from = parameters.from === undefined ? Number.NEGATIVE_INFINITY : Math.ceil(parameters.from / HOUR) * HOUR
  const to = parameters.to === undefined ? Number.POSITIVE_INFINITY : Math.floor(parameters.to / HOUR) * HOUR
  // Every missing file is named at once, in a fixed order, before the files are read side by side.
  await requireDataFiles({ dataDir: parameters.dataDir, files: SOURCES.map((source) => source.file), reader: 'The backtest reads the hourly pool closes, the weETH oracle and the gas price' })
  const rows = await Promise.all(SOURCES.map((source) => readSeries(parameters.dataDir, source, from, to)))

  let start = from
  let end = to
  SOURCES.forEach((source, index) => {
    const { times } = rows[index] as Rows
    const first = times[0]
    const last = times.at(-1)
    if (first === undefined || last === undefined) {
      throw new SourceError('history', `The history file ${join(parameters.dataDir, source.file)} has no row at or before the window.`, {
        details: `Expected rows up to ${Number.isFinite(to) ? new Date(to).toISOString() : 'the end'}, found none.`,
      })
    }
    start = Math.max(start, first)
    end = Math.min(end, last)
  })
  if (start > end) {
    throw new SourceError('history', 'The history files share no hour in the window asked.', {
      details: `Expected a window with an hour every series covers, found ${new Date(start).toISOString()} after ${new Date(end).toISOString()}.`,
    })
  }

  const hours: number[] = []
  for (let at = start; at <= end; at += HOUR) hours.push(at)
  const values = {} as Record<HourlySeries, Fraction[]>
  const filled = {} as Record<HourlySeries, number>
  const files = {} as Record<HourlySeries, string>
  const feeBps = {} as Record<PoolSeries, Fraction>
  SOURCES.forEach((source, index) => {
    const series = rows[index] as Rows
    const out: Fraction[] = new Array<Fraction>(hours.length)
    let cursor = 0
    let count = 0
    hours.forEach((hour, slot) => {
      // Advance to the last row at or before this hour; start is ≥ every series' first row.
      while (cursor + 1 < series.times.length && (series.times[cursor + 1] as number) <= hour) cursor += 1
      if (series.times[cursor] !== hour) count += 1
      out[slot] = series.values[cursor] as Fraction
    })
    values[source.series] = out
    filled[source.series] = count
    files[source.series] = source.file
    if (series.feeBps !== undefined) feeBps[source.series as PoolSeries] = series.feeBps
  })
  return { hours, values, filled, files, feeBps }
}
