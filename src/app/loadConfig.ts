import { resolve } from 'node:path'
import { readConfigFile } from '../adapters/system/readConfigFile.js'
import { resolveFileReference } from '../adapters/system/resolveFileReference.js'
import { CONFIG_FILE_MAX_BYTES } from '../config/ConfigFiles.js'
import { type LoadedConfig, parseConfigText } from '../config/parseConfigText.js'
import { ConfigError, FileRefusedError } from '../errors/index.js'

export type LoadConfigParameters = {
  /** The configuration file; relative `file:` references resolve beside it. */
  file: string
  /** The file's text when it is already at hand (a test's fixture): `file` is then not read, only named. */
  text?: string | undefined
  /** Environment for `${VAR}` substitution and DUST_SECRETS_DIR; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * Loads, validates and checks one strategy configuration file.
 *
 * The file is read as untrusted input (see `readConfigFile`): a regular UTF-8 file of at most
 * 1 MiB; so are the files it references, inside its folder or DUST_SECRETS_DIR. ccxt is loaded
 * only when a ccxt venue is configured, to check its exchange id. Every problem is reported at
 * once in one `ConfigError` (see `parseConfigText`).
 */
export async function loadConfig(parameters: LoadConfigParameters): Promise<LoadedConfig> {
  const env = parameters.env ?? process.env
  const deps = { files: { read: readConfigFile, resolve: resolveFileReference }, ccxtExchanges: loadCcxtExchanges }
  if (parameters.text !== undefined) return parseConfigText(deps, { text: parameters.text, file: parameters.file, env })
  const file = resolve(parameters.file)
  let text: string
  try {
    text = await readConfigFile({ file, maxBytes: CONFIG_FILE_MAX_BYTES })
  } catch (cause) {
    if (!(cause instanceof FileRefusedError)) throw cause
    throw new ConfigError(parameters.file, [{ path: '', expected: 'a readable configuration file', found: cause.reason }])
  }
  return parseConfigText(deps, { text, file, env })
}

/** The exchange ids ccxt knows; ccxt is imported here only, when a configuration has a ccxt venue. */
async function loadCcxtExchanges(): Promise<readonly string[]> {
  const { default: ccxt } = await import('ccxt')
  return ccxt.exchanges
}
