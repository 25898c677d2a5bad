import { resolve } from 'node:path'
import { defaultDataDir } from '../../adapters/history/readLastCloses.js'
import { UsageError } from '../../errors/index.js'

/**
 * The folder of the real history: `dir` (`--data-dir`) when given, resolved against the working
 * folder, else `DUST_DATA_DIR`, else `../shared/data` beside the project. An empty `dir` is refused
 * rather than read as not given.
 */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>>, dir?: string | undefined): string {
  if (dir !== undefined && dir.trim() === '') throw new UsageError(`--data-dir takes the folder of the real history, such as ../shared/data, found "${dir}".`)
  return dir === undefined ? defaultDataDir(env) : resolve(dir)
}
