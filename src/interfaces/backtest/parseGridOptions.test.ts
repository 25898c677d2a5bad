import { describe, expect, it } from 'vitest'
import { parseGridOptions } from './parseGridOptions.js'

const files: Record<string, string> = {
  'grid.txt': '# dust_delta values\n0.001, 0.002\n0.0035 # a comment\n',
  'empty.txt': '# nothing\n',
  'bad.txt': '0.001 1.5',
  'twice.txt': '0.001 0.0010',
  'tiny.txt': '0.00000000000000000000000000000000000000001\n0.00000000000000000000000000000000000000002\n',
  'tiny-twice.txt': '0.00000000000000000000000000000000000000001 0.000000000000000000000000000000000000000010',
  'runs/a:b:c': '0.003 0.004',
  '0.001:0.002:2': '0.005',
}
/** Folders, which reading refuses as Node's readFileSync does. */
const folders = new Set(['grids', 'runs/x:y:z'])
const read = (file: string) => {
  if (folders.has(file)) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' })
  const text = files[file]
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' })
  return text
}
const values = (options: Parameters<typeof parseGridOptions>[0]) => parseGridOptions(options, read)?.values.map((value) => value.toDecimalString(8))

describe('parseGridOptions', () => {
  it('returns nothing without a grid option, and 50 values from 0.0005 to 0.01 for --walk-forward alone', () => {
    expect(parseGridOptions({}, read)).toBeUndefined()
    const grid = parseGridOptions({ walkForward: true }, read)
    expect(grid?.walkForward).toBe(true)
    expect(grid?.workers).toBeUndefined()
    expect(grid?.values.length).toBe(50)
    expect(grid?.values[0]?.toDecimalString(8)).toBe('0.0005')
    expect(grid?.values.at(-1)?.toDecimalString(8)).toBe('0.01')
  })

  it('reads --grid as a sweep or as a file of values, and --grid-size as that many values of the default range', () => {
    expect(values({ grid: '0.001:0.003:3' })).toEqual(['0.001', '0.002', '0.003'])
    expect(values({ grid: 'grid.txt', walkForward: true })).toEqual(['0.001', '0.002', '0.0035'])
    expect(values({ gridSize: '2' })).toEqual(['0.0005', '0.01'])
    expect(parseGridOptions({ gridSize: '3', workers: '2' }, read)?.workers).toBe(2)
  })

  it('refuses each bad combination or value with one sentence naming the option', () => {
    const cases: Array<[Parameters<typeof parseGridOptions>[0], string]> = [
      [{ grid: '0.001:0.002:3', gridSize: '5' }, '--grid (0.001:0.002:3) and --grid-size (5) both say which values to replay; give one of them.'],
      [{ walkForward: true, sweep: '0.001:0.002:2' }, '--sweep does not mix with --grid, --grid-size, --walk-forward or --workers; use --grid from:to:count instead.'],
      [{ gridSize: '0' }, '--grid-size takes a whole number of dust_delta values from 1 to 1000, found "0".'],
      [{ gridSize: 'many' }, '--grid-size takes a whole number of dust_delta values from 1 to 1000, found "many".'],
      [{ workers: '2' }, '--workers (2) sets the threads of --grid, --grid-size or --walk-forward; give one of them too.'],
      [{ workers: '65', walkForward: true }, '--workers takes a whole number from 0 (no worker: the command\'s own thread) to 64, found "65".'],
      [{ grid: '0.001:0.002:x' }, '--grid takes from:to:count, such as 0.0005:0.01:50 (count is a whole number from 1 to 1000), found "0.001:0.002:x".'],
      [{ grid: 'none.txt' }, '--grid takes from:to:count or a file of dust_delta values, found "none.txt", which cannot be read: there is no such file.'],
      [{ grid: 'empty.txt' }, '--grid empty.txt holds no value of dust_delta; expected decimals under 1 such as 0.002, separated by spaces, commas or new lines.'],
      [{ grid: 'bad.txt' }, '--grid bad.txt holds "1.5"; expected values of dust_delta under 1 such as 0.002.'],
      [{ grid: 'twice.txt' }, '--grid twice.txt holds 0.0010 twice; expected each value of dust_delta once.'],
    ]
    for (const [options, message] of cases) expect(() => parseGridOptions(options, read), JSON.stringify(options)).toThrow(message)
  })

  it('tells distinct values apart however small, by their exact fractions, and still refuses one written twice', () => {
    const tiny = parseGridOptions({ grid: 'tiny.txt' }, read)?.values.map((value) => `${value.numerator}/${value.denominator}`)
    expect(tiny).toEqual([`1/${10n ** 41n}`, `1/${5n * 10n ** 40n}`])
    expect(() => parseGridOptions({ grid: 'tiny-twice.txt' }, read)).toThrow('--grid tiny-twice.txt holds 0.000000000000000000000000000000000000000010 twice; expected each value of dust_delta once.')
  })

  it('says a folder is a folder, not a file, whatever its name', () => {
    expect(() => parseGridOptions({ grid: 'grids' }, read)).toThrow('--grid takes from:to:count or a file of dust_delta values, found "grids", which is a folder, not a file.')
    expect(() => parseGridOptions({ grid: 'runs/x:y:z' }, read)).toThrow('--grid takes from:to:count or a file of dust_delta values, found "runs/x:y:z", which is a folder, not a file.')
  })

  it('reads a file whose name has colons as a file, and refuses a name that is both a sweep and a file', () => {
    expect(values({ grid: 'runs/a:b:c' })).toEqual(['0.003', '0.004'])
    expect(() => parseGridOptions({ grid: '0.001:0.002:2' }, read)).toThrow(
      '--grid 0.001:0.002:2 reads both as a sweep from:to:count and as the name of a file; expected one reading, found both: give the file as ./0.001:0.002:2, or rename it to replay the sweep.',
    )
    // Without a file of that name, the sweep's own refusal.
    expect(() => parseGridOptions({ grid: 'runs/q:r:s' }, read)).toThrow('--grid takes from:to:count, such as 0.0005:0.01:50 (from and to are decimals such as 0.002), found "runs/q:r:s".')
  })
})
