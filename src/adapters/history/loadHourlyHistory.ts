import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { HourlySeries, HourlyHistory, PoolSeries } from '../../domain/backtest/History.js'
import { Fraction } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { HISTORY_FILES } from './readLastCloses.js'
import { requireDataFiles } from './requireDataFiles.js'

export type LoadHourlyHistoryParameters = {
  /** The folder holding prices/, oracle/ and gas/ (see `defaultDataDir`). */
  readonly dataDir: string
  /** First hour wanted (ms since epoch, inclusive; rounded up to an hour start). */
  readonly from?: number | undefined
  /** Last hour wanted (ms since epoch, inclusive; rounded down to an hour start). */
  readonly to?: number | undefined
}

export type LoadHourlyHistoryReturnType = HourlyHistory

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

/** The files read, in the order their errors are reported. */
const SOURCES = {
  eigenWeth: { series: 'eigenWeth', file: HISTORY_FILES.eigenWeth, timeColumn: 'timestamp', valueColumn: 'close', time: 'unix_seconds', feeColumn: 'fee_tier' },
  ethfiWeth: { series: 'ethfiWeth', file: HISTORY_FILES.ethfiWeth, timeColumn: 'timestamp', valueColumn: 'close', time: 'unix_seconds', feeColumn: 'fee_tier' },
  ethUsdt: { series: 'ethUsdt', file: HISTORY_FILES.ethUsdt, timeColumn: 'timestamp', valueColumn: 'close', time: 'unix_seconds', feeColumn: 'fee_tier' },
  weethEth: { series: 'weethEth', file: HISTORY_FILES.weethEth, timeColumn: 'timestamp', valueColumn: 'oracle_price_eth', time: 'iso' },
  gasGwei: { series: 'gasGwei', file: HISTORY_FILES.gas, timeColumn: 'timestamp', valueColumn: 'gas_price_gwei', time: 'iso' },
} as const satisfies { readonly [S in HourlySeries]: Source & { readonly series: S } }

/** One value per series, in the order of `SOURCES`. */
function bySeries<T>(value: (series: HourlySeries) => T): Record<HourlySeries, T> {
  return { eigenWeth: value('eigenWeth'), ethfiWeth: value('ethfiWeth'), ethUsdt: value('ethUsdt'), weethEth: value('weethEth'), gasGwei: value('gasGwei') }
}

/** `2024-05-12 01:00:00+00:00` (oracle) and `2024-01-01T00:00:00Z` (gas): UTC only. */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:Z|\+00:00)$/
const UNIX_SECONDS = /^\d{1,12}$/
const NUMBER = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/
const FEE_TIER = /^(\d+(?:\.\d+)?)%$/
/** How much of a line with the wrong number of cells its error quotes. */
const LINE_QUOTED = 240

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
  const [, year, month, day, hour, minute, second] = match
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second))
  // Date.UTC rolls 2024-02-30 over to March; a date that does not read back is malformed.
  const back = new Date(ms)
  return back.getUTCDate() === Number(day) && back.getUTCMonth() === Number(month) - 1 ? ms : undefined
}

/** One row of a series: its hour and its exact value. */
type Row = { readonly at: number; readonly value: Fraction }

/** The rows of a series kept for the window, the hours of its first and last rows (the whole file's), and its pool fee when it has one. */
type Rows = { readonly rows: readonly Row[]; readonly span: { readonly first: number; readonly last: number } | undefined; readonly feeBps: Fraction | undefined }

/** Where a file's columns are, and how many cells its header has (every data row must have as many). */
type Columns = { readonly time: number; readonly value: number; readonly fee: number; readonly count: number }

function malformed(path: string, line: number, expected: string, found: string): SourceError {
  return new SourceError('history', `Line ${line} of ${path} is malformed.`, { details: `Expected ${expected}, found ${found}.` })
}

/** Finds the columns a source needs in its header line. */
function readHeader(source: Source, cells: readonly string[], path: string, lineNumber: number, line: string): Columns {
  const columns = {
    time: cells.indexOf(source.timeColumn),
    value: cells.indexOf(source.valueColumn),
    fee: source.feeColumn === undefined ? -1 : cells.indexOf(source.feeColumn),
    count: cells.length,
  }
  if (columns.time < 0 || columns.value < 0 || (source.feeColumn !== undefined && columns.fee < 0)) {
    const names = [source.timeColumn, source.valueColumn, ...(source.feeColumn === undefined ? [] : [source.feeColumn])]
    const quoted = names.map((name) => `"${name}"`)
    throw malformed(path, lineNumber, `a header with the columns ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`, `"${line}"`)
  }
  return columns
}

/** What a file read so far says: the time of its last row and the fee tier of its first. */
type Reading = { previous: number; feeText: string | undefined }

/**
 * Reads one data line: its hour (after the previous row's) and exact value, its fee tier checked against the first row's.
 * A line with more or fewer cells than the header is refused first: a row cut short would otherwise still yield the cells it kept.
 */
function readRow(source: Source, cells: readonly string[], columns: Columns, reading: Reading, path: string, lineNumber: number, line: string): Row {
  if (cells.length !== columns.count) {
    // A damaged line can be long (two rows run together): the message quotes its start only.
    const quoted = line.length > LINE_QUOTED ? `${line.slice(0, LINE_QUOTED)}…` : line
    throw malformed(path, lineNumber, `${columns.count} comma-separated cells as in the header`, `${cells.length} in "${quoted}"`)
  }
  const timeText = cells[columns.time] ?? ''
  const at = parseTime(timeText, source.time)
  if (at === undefined || at % HOUR !== 0) {
    const shape = source.time === 'unix_seconds' ? 'unix seconds on an hour start' : 'a UTC hour start such as 2024-05-12 01:00:00+00:00'
    throw malformed(path, lineNumber, `"${source.timeColumn}" as ${shape}`, `"${timeText}"`)
  }
  if (at <= reading.previous) {
    throw malformed(path, lineNumber, `a "${source.timeColumn}" after ${new Date(reading.previous).toISOString()}`, `${new Date(at).toISOString()}`)
  }
  reading.previous = at
  const valueText = cells[columns.value] ?? ''
  const value = parseExact(valueText)
  if (value === undefined) throw malformed(path, lineNumber, `a decimal "${source.valueColumn}" such as 0.0014866`, `"${valueText}"`)
  // Every series is a price, a rate or a gas price: one at or under zero is damage, and would silently value dust at nothing (or below).
  if (!value.greaterThan(Fraction.ZERO)) throw malformed(path, lineNumber, `a "${source.valueColumn}" above zero`, `"${valueText}"`)
  if (columns.fee >= 0) {
    const fee = cells[columns.fee] ?? ''
    reading.feeText ??= fee
    if (!FEE_TIER.test(fee) || fee !== reading.feeText) {
      throw malformed(path, lineNumber, `"${source.feeColumn}" as a percentage${reading.feeText === fee ? ' such as 0.3%' : ` equal to the first row's ${reading.feeText}`}`, `"${fee}"`)
    }
  }
  return { at, value }
}

/** Opens a file line by line, with an error that says which series it holds when it is missing. */
async function openLines(dataDir: string, source: Source): Promise<{ path: string; lines: AsyncIterable<string> }> {
  const path = join(dataDir, source.file)
  try {
    await access(path)
  } catch (cause) {
    throw new SourceError('history', `The history file ${path} is missing.`, {
      cause,
      details: `The backtest reads the ${source.series} series from ${source.file}; set DUST_DATA_DIR to the folder that holds prices/, oracle/ and gas/.`,
    })
  }
  return { path, lines: createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity }) }
}

/** Streams one file, keeping the rows of the window plus the last row before it (to carry into it). */
async function readSeries(dataDir: string, source: Source, from: number, to: number): Promise<Rows> {
  const { path, lines } = await openLines(dataDir, source)
  let rows: Row[] = []
  let first: number | undefined
  let lineNumber = 0
  let columns: Columns | undefined
  const reading: Reading = { previous: Number.NEGATIVE_INFINITY, feeText: undefined }
  for await (const raw of lines) {
    lineNumber += 1
    const line = raw.trim()
    if (line.length === 0 || line.startsWith('#')) continue
    const cells = line.split(',')
    if (columns === undefined) {
      columns = readHeader(source, cells, path, lineNumber, line)
      continue
    }
    const row = readRow(source, cells, columns, reading, path, lineNumber, line)
    first ??= row.at
    if (row.at > to) continue // later rows are still read so that a malformed line anywhere is reported
    // Only the latest row before the window matters: it is the value carried into the window.
    if (row.at < from) rows = []
    rows.push(row)
  }
  if (columns === undefined) throw malformed(path, lineNumber, `a header with the columns "${source.timeColumn}" and "${source.valueColumn}"`, 'an empty file')
  const feeBps = reading.feeText === undefined ? undefined : Fraction.fromDecimalString(reading.feeText.slice(0, -1)).multiply(100n).reduce()
  return { rows, span: first === undefined ? undefined : { first, last: reading.previous }, feeBps }
}

/** An hour as `2024-10-05T00:00:00.000Z`, or the open end of a window. */
function hourText(at: number, open: string): string {
  return Number.isFinite(at) ? new Date(at).toISOString() : open
}

/** The first and last hours every series covers, over the whole files: what a window is checked against. */
function dataSpan(dataDir: string, rows: Readonly<Record<HourlySeries, Rows>>): { readonly first: number; readonly last: number } {
  let first = Number.NEGATIVE_INFINITY
  let last = Number.POSITIVE_INFINITY
  for (const source of Object.values(SOURCES)) {
    const { span } = rows[source.series]
    if (span === undefined) throw new SourceError('history', `The history file ${join(dataDir, source.file)} has no row.`, { details: 'Expected hourly rows after its header, found none.' })
    first = Math.max(first, span.first)
    last = Math.min(last, span.last)
  }
  if (first > last) {
    throw new SourceError('history', `The history files in ${dataDir} share no hour.`, {
      details: `Expected series that cover at least one hour together, found the latest first row at ${hourText(first, '')} after the earliest last row at ${hourText(last, '')}.`,
    })
  }
  return { first, last }
}

/** The grid of hours every series covers, within `from` and `to`; a window without one is refused, naming the span the data covers. */
function commonHours(dataDir: string, rows: Readonly<Record<HourlySeries, Rows>>, from: number, to: number): number[] {
  const span = dataSpan(dataDir, rows)
  const asked = `${hourText(from, 'the start of the data')} to ${hourText(to, 'the end of the data')}`
  const covered = `${hourText(span.first, '')} to ${hourText(span.last, '')}`
  const refuse = () =>
    to < span.first || from > span.last
      ? new SourceError('history', `The window asked is outside the history in ${dataDir}.`, {
          details: `Expected a window that meets ${covered}, the first and last hours every series covers, found ${asked}.`,
        })
      : // Inside the span but in a gap of one series: no hour of the window has a row of every series at or before it.
        new SourceError('history', `The history files in ${dataDir} share no hour in the window asked.`, {
          details: `Expected an hour every series covers from ${asked} (the history covers ${covered}, with gaps), found none.`,
        })
  let start = from
  let end = to
  for (const source of Object.values(SOURCES)) {
    const series = rows[source.series].rows
    const first = series[0]
    const last = series.at(-1)
    if (first === undefined || last === undefined) throw refuse()
    start = Math.max(start, first.at)
    end = Math.min(end, last.at)
  }
  if (start > end) throw refuse()
  const hours: number[] = []
  for (let at = start; at <= end; at += HOUR) hours.push(at)
  return hours
}

/** A series on the grid: each hour takes the last row at or before it, and the hours without a row of their own are counted. */
function alignToHours(rows: readonly Row[], hours: readonly number[]): { values: Fraction[]; filled: number } {
  const values: Fraction[] = []
  let filled = 0
  let cursor = 0
  let current = rows[0]
  for (const hour of hours) {
    for (let next = rows[cursor + 1]; next !== undefined && next.at <= hour; next = rows[cursor + 1]) {
      cursor += 1
      current = next
    }
    // The grid starts at or after every series' first row, so a row is always current.
    if (current === undefined) throw new RangeError(`A series has no row at or before ${new Date(hour).toISOString()}.`)
    if (current.at !== hour) filled += 1
    values.push(current.value)
  }
  return { values, filled }
}

/** A pool's fee tier, which every pool file has on each row. */
function poolFee(dataDir: string, rows: Readonly<Record<HourlySeries, Rows>>, series: PoolSeries): Fraction {
  const { feeBps } = rows[series]
  if (feeBps === undefined)
    throw new SourceError('history', `The history file ${join(dataDir, SOURCES[series].file)} gives no fee tier.`, { details: 'Expected a "fee_tier" such as 0.3% on every row, found none.' })
  return feeBps
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
  const { dataDir } = parameters
  const from = parameters.from === undefined ? Number.NEGATIVE_INFINITY : Math.ceil(parameters.from / HOUR) * HOUR
  const to = parameters.to === undefined ? Number.POSITIVE_INFINITY : Math.floor(parameters.to / HOUR) * HOUR
  // Every missing file is named at once, in a fixed order, before the files are read side by side.
  await requireDataFiles({ dataDir, files: Object.values(SOURCES).map((source) => source.file), reader: 'The backtest reads the hourly pool closes, the weETH oracle and the gas price' })
  const read = (series: HourlySeries) => readSeries(dataDir, SOURCES[series], from, to)
  const [eigenWeth, ethfiWeth, ethUsdt, weethEth, gasGwei] = await Promise.all([read('eigenWeth'), read('ethfiWeth'), read('ethUsdt'), read('weethEth'), read('gasGwei')])
  const rows = { eigenWeth, ethfiWeth, ethUsdt, weethEth, gasGwei }
  const hours = commonHours(dataDir, rows, from, to)
  const aligned = bySeries((series) => alignToHours(rows[series].rows, hours))
  return {
    hours,
    values: bySeries((series) => aligned[series].values),
    filled: bySeries((series) => aligned[series].filled),
    files: bySeries((series) => SOURCES[series].file),
    feeBps: { eigenWeth: poolFee(dataDir, rows, 'eigenWeth'), ethfiWeth: poolFee(dataDir, rows, 'ethfiWeth'), ethUsdt: poolFee(dataDir, rows, 'ethUsdt') },
  }
}
