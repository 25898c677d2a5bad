import { resolve } from 'node:path'
import { defaultDataDir } from '../../adapters/history/readLastCloses.js'

/** The folder of the real history: `dir` when given (resolved against the working folder), else `DUST_DATA_DIR`, else `../shared/data` beside the project. */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>>, dir?: string | undefined): string {
  return dir ? resolve(dir) : defaultDataDir(env)
}
