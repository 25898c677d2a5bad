import { Fraction } from '../../domain/money/index.js'
import { UsageError } from '../../errors/index.js'
import { parseSweep } from './parseBacktestOptions.js'

/** The grid the walk-forward replays when neither `--grid` nor `--grid-size` says: 50 values of dust_delta. */
export const DEFAULT_GRID_SIZE = 50
const GRID_RANGE = '0.0005:0.01'
const UNDER_ONE = /^0(\.\d+)?$/
const SPEC = /^[^:]+:[^:]+:[^:]+$/

/** The options of `dust backtest` that replay a grid on workers. */
export type GridOptionsText = {
  readonly grid?: string | undefined
  readonly gridSize?: string | undefined
  readonly walkForward?: boolean | undefined
  readonly workers?: string | undefined
  readonly sweep?: string | undefined
}

/** What the grid options ask for; `undefined` when none of them was given. */
export type GridOptions = {
  /** The values of dust_delta the grid replays each policy at. */
  readonly values: readonly Fraction[]
  readonly walkForward: boolean
  readonly workers: number | undefined
}

/** Reads the values of a grid file: decimals under 1 separated by spaces, commas or new lines; `#` starts a comment. */
function valuesOfFile(file: string, text: string): Fraction[] {
  const words = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join(' ')
    .split(/[\s,]+/)
    .filter((word) => word !== '')
  if (words.length === 0) throw new UsageError(`--grid ${file} holds no value of dust_delta; expected decimals under 1 such as 0.002, separated by spaces, commas or new lines.`)
  if (words.length > 1000) throw new UsageError(`--grid ${file} holds ${words.length} values of dust_delta; expected at most 1000.`)
  const bad = words.find((word) => !UNDER_ONE.test(word))
  if (bad !== undefined) throw new UsageError(`--grid ${file} holds "${bad}"; expected values of dust_delta under 1 such as 0.002.`)
  const values = words.map((word) => Fraction.fromDecimalString(word))
  // Keyed by the exact fraction: any rounding would merge values finer than its last place (1e-41 and 2e-41).
  const seen = new Set<string>()
  for (const [index, value] of values.entries()) {
    const key = value.exactKey()
    if (seen.has(key)) throw new UsageError(`--grid ${file} holds ${words[index]} twice; expected each value of dust_delta once.`)
    seen.add(key)
  }
  return values
}

/**
 * Reads `--grid <file|from:to:count>`, `--grid-size <N>`, `--walk-forward` and `--workers <n>`.
 * `--grid` takes a sweep like `--sweep`, or a file of values (read with `readText`);
 * `--grid-size N` is `--grid 0.0005:0.01:N`; `--walk-forward` alone replays 50 such values.
 * `--sweep` does not mix with them, nor `--grid` with `--grid-size`.
 */
export function parseGridOptions(options: GridOptionsText, readText: (file: string) => string): GridOptions | undefined {
  const { grid, gridSize, walkForward = false, workers } = options
  if (grid === undefined && gridSize === undefined && !walkForward) {
    if (workers !== undefined) throw new UsageError(`--workers (${workers}) sets the threads of --grid, --grid-size or --walk-forward; give one of them too.`)
    return undefined
  }
  if (options.sweep !== undefined) throw new UsageError('--sweep does not mix with --grid, --grid-size, --walk-forward or --workers; use --grid from:to:count instead.')
  if (grid !== undefined && gridSize !== undefined) throw new UsageError(`--grid (${grid}) and --grid-size (${gridSize}) both say which values to replay; give one of them.`)
  let parsedWorkers: number | undefined
  if (workers !== undefined) {
    if (!/^\d+$/.test(workers) || Number(workers) > 64) throw new UsageError(`--workers takes a whole number from 0 (no worker: the command's own thread) to 64, found "${workers}".`)
    parsedWorkers = Number(workers)
  }
  let values: Fraction[]
  if (grid !== undefined) {
    values = valuesOfGrid(grid, readText)
  } else {
    const size = gridSize ?? String(DEFAULT_GRID_SIZE)
    if (!/^\d+$/.test(size) || Number(size) < 1 || Number(size) > 1000) throw new UsageError(`--grid-size takes a whole number of dust_delta values from 1 to 1000, found "${size}".`)
    values = parseSweep(`${GRID_RANGE}:${size}`)
  }
  return { values, walkForward, workers: parsedWorkers }
}

/** Reads `--grid from:to:count` as `--sweep` reads its value, its errors naming `--grid`. */
function sweepOfGrid(grid: string): Fraction[] {
  try {
    return parseSweep(grid)
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.shortMessage.replace('--sweep', '--grid'))
    throw error
  }
}

/**
 * Reads `--grid` as a sweep or as a file. A value shaped like from:to:count that is no sweep
 * (`runs/a:b:c`) is read as a file when one has that name; one that is both a sweep and the name
 * of a file is refused, since either reading could be meant.
 */
function valuesOfGrid(grid: string, readText: (file: string) => string): Fraction[] {
  const file = readGrid(grid, readText)
  if (!SPEC.test(grid.trim())) {
    if (file.text === undefined) throw gridReadError(grid, file.failure)
    return valuesOfFile(grid, file.text)
  }
  let sweep: Fraction[]
  try {
    sweep = sweepOfGrid(grid)
  } catch (error) {
    if (file.text !== undefined) return valuesOfFile(grid, file.text)
    // Something by that name that cannot be read (a folder) says more than the sweep's syntax.
    if (errorCode(file.failure) !== 'ENOENT') throw gridReadError(grid, file.failure)
    throw error
  }
  if (file.text !== undefined) {
    throw new UsageError(
      `--grid ${grid} reads both as a sweep from:to:count and as the name of a file; expected one reading, found both: give the file as ./${grid.trim()}, or rename it to replay the sweep.`,
    )
  }
  return sweep
}

/** The code of a Node.js system error (`ENOENT`), if the failure has one. */
function errorCode(failure: unknown): unknown {
  return failure instanceof Error && 'code' in failure ? failure.code : undefined
}

/** The text of the grid file, or why it cannot be read. */
function readGrid(file: string, readText: (file: string) => string): { readonly text: string; readonly failure?: undefined } | { readonly text?: undefined; readonly failure: unknown } {
  try {
    return { text: readText(file) }
  } catch (failure) {
    return { failure }
  }
}

function gridReadError(file: string, failure: unknown): UsageError {
  const code = errorCode(failure)
  if (code === 'EISDIR') return new UsageError(`--grid takes from:to:count or a file of dust_delta values, found "${file}", which is a folder, not a file.`)
  const reason = code === 'ENOENT' ? 'there is no such file' : failure instanceof Error ? failure.message : String(failure)
  return new UsageError(`--grid takes from:to:count or a file of dust_delta values, found "${file}", which cannot be read: ${reason}.`)
}
