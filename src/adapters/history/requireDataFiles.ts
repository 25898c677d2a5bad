import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SourceError } from '../../errors/index.js'

export type RequireDataFilesParameters = {
  /** The folder holding prices/, oracle/, gas/ and rewards/ (see `defaultDataDir`). */
  readonly dataDir: string
  /** The files needed, relative to `dataDir`. */
  readonly files: readonly string[]
  /** What reads them and why, the start of the error's details: `The backtest replays the hourly history and the ether.fi rewards`. */
  readonly reader: string
}

/** Quotes a list of names as `a`, `a and b` or `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** What looking for one file found: whether it is a regular file, or why it could not be looked at. */
type Look = { readonly file: string; readonly found: boolean | undefined; readonly failure?: unknown }

async function look(dataDir: string, file: string): Promise<Look> {
  try {
    return { file, found: (await stat(join(dataDir, file))).isFile() }
  } catch (failure) {
    return { file, found: undefined, failure }
  }
}

/** The `code` of a Node.js system error (`ENOENT`), if the failure has one. */
function errorCode(failure: unknown): string | undefined {
  return failure instanceof Error && 'code' in failure && typeof failure.code === 'string' ? failure.code : undefined
}

/**
 * Checks that every file a reader needs is there before any is read, and names every file that is
 * not, in one `SourceError`.
 *
 * The files are named sorted by their path relative to `dataDir` (plain string order, each once),
 * whatever the order of `files` and whichever check finishes first, so the message is the same on
 * every run: `The history file <dataDir>/<file> is missing.` for one, else
 * `<n> history files are missing from <dataDir>: <file>, <file> and <file>.`. A path that is there
 * but is no regular file counts as missing; any other failure to look (a folder that cannot be
 * read) is raised as is, for the first such file in that same order.
 */
export async function requireDataFiles(parameters: RequireDataFilesParameters): Promise<void> {
  const files = [...new Set(parameters.files)].sort()
  const looks = await Promise.all(files.map((file) => look(parameters.dataDir, file)))
  const missing: string[] = []
  for (const { file, found, failure } of looks) {
    if (found === true) continue
    const code = errorCode(failure)
    if (found === false || code === 'ENOENT' || code === 'ENOTDIR') missing.push(file)
    else {
      throw new SourceError('history', `The history file ${join(parameters.dataDir, file)} cannot be read.`, {
        cause: failure,
        details: `Expected a readable file, found ${code ?? String(failure)}.`,
      })
    }
  }
  const [only, ...others] = missing
  if (only === undefined) return
  const folders = [...new Set(files.map((file) => `${file.split('/')[0]}/`))].sort()
  const details = `${parameters.reader}; set DUST_DATA_DIR to the folder that holds ${listed(folders)}.`
  if (others.length === 0) throw new SourceError('history', `The history file ${join(parameters.dataDir, only)} is missing.`, { details })
  throw new SourceError('history', `${missing.length} history files are missing from ${parameters.dataDir}: ${listed(missing)}.`, { details })
}
