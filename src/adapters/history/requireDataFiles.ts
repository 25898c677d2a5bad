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
  /** What named `dataDir`, which the error tells to change: `--data-dir`, or `DUST_DATA_DIR` (the default). */
  readonly setBy?: string | undefined
}

/** Quotes a list of names as `a`, `a and b` or `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** What looking for one file found: a regular file, a folder, something else, or why it could not be looked at. */
type Look = { readonly file: string; readonly found: 'file' | 'folder' | 'other' | undefined; readonly failure?: unknown }

async function look(dataDir: string, file: string): Promise<Look> {
  try {
    const stats = await stat(join(dataDir, file))
    return { file, found: stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : 'other' }
  } catch (failure) {
    return { file, found: undefined, failure }
  }
}

/** Whether `dataDir` is there but is no folder (a file); a folder, a missing path or one that cannot be looked at is left to the files' own checks. */
async function isNoFolder(dataDir: string): Promise<boolean> {
  try {
    return !(await stat(dataDir)).isDirectory()
  } catch {
    // Missing or unreadable: each file is then missing or unreadable, and is named as such below.
    return false
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
 * A `dataDir` that is a file is refused as such, first. The files are named sorted by their path
 * relative to `dataDir` (plain string order, each once), whatever the order of `files` and whichever
 * check finishes first, so the message is the same on every run: `The history file <dataDir>/<file>
 * is missing.` for one, else `<n> history files are missing from <dataDir>: <file>, <file> and <file>.`;
 * a folder where a file should be is named as a folder, not a file. A path that is there but is no
 * regular file nor folder counts as missing; any other failure to look (a folder that cannot be
 * read) is raised as is, for the first such file in that same order. The error's details say which
 * folders `dataDir` must hold and what to change: `setBy`.
 */
export async function requireDataFiles(parameters: RequireDataFilesParameters): Promise<void> {
  const { dataDir, reader, setBy = 'DUST_DATA_DIR' } = parameters
  const files = [...new Set(parameters.files)].sort()
  const folders = [...new Set(files.map((file) => `${file.split('/')[0]}/`))].sort()
  const details = `${reader}; ${setBy.startsWith('--') ? `give ${setBy}` : `set ${setBy} to`} the folder that holds ${listed(folders)}.`
  if (await isNoFolder(dataDir)) throw new SourceError('history', `The history folder ${dataDir} is a file, not a folder.`, { details })
  const looks = await Promise.all(files.map((file) => look(dataDir, file)))
  const missing: string[] = []
  const misplaced: string[] = []
  for (const { file, found, failure } of looks) {
    if (found === 'file') continue
    if (found === 'folder') {
      misplaced.push(file)
      continue
    }
    const code = errorCode(failure)
    if (found === 'other' || code === 'ENOENT' || code === 'ENOTDIR') missing.push(file)
    else {
      throw new SourceError('history', `The history file ${join(dataDir, file)} cannot be read.`, {
        cause: failure,
        details: `Expected a readable file, found ${code ?? String(failure)}.`,
      })
    }
  }
  const message = absentMessage(dataDir, missing, misplaced)
  if (message !== undefined) throw new SourceError('history', message, { details })
}

/** The one sentence naming the missing files and the folders found in place of files; `undefined` when there is none. */
function absentMessage(dataDir: string, missing: readonly string[], misplaced: readonly string[]): string | undefined {
  const count = missing.length + misplaced.length
  if (count === 0) return undefined
  if (count === 1) {
    const [file] = [...missing, ...misplaced]
    return `The history file ${join(dataDir, file ?? '')} ${missing.length === 1 ? 'is missing' : 'is a folder, not a file'}.`
  }
  if (misplaced.length === 0) return `${count} history files are missing from ${dataDir}: ${listed(missing)}.`
  const folders = misplaced.length === 1 ? `${misplaced[0]} is a folder, not a file` : `${listed(misplaced)} are folders, not files`
  if (missing.length === 0) return `${count} history files in ${dataDir} are folders, not files: ${listed(misplaced)}.`
  return `${count} history files cannot be read from ${dataDir}: ${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} missing, and ${folders}.`
}
