import type { ConfigFiles } from '../src/config/ConfigFiles.js'
import { parseConfigText } from '../src/config/parseConfigText.js'
import { ConfigError } from '../src/errors/index.js'

/** Files for a configuration that references none: any read or resolve fails the test, naming the file. */
export const NO_FILES: ConfigFiles = {
  read: async ({ file }) => Promise.reject(new Error(`No file is read in this test, asked for ${file}.`)),
  resolve: async ({ file }) => Promise.reject(new Error(`No file is resolved in this test, asked for ${file}.`)),
}

/** The issues of a configuration text at /configs/strategy.yaml as path, expected and found; none when it parses. */
export async function configIssuesOf(text: string, files: ConfigFiles = NO_FILES) {
  try {
    await parseConfigText({ files, ccxtExchanges: async () => ['binance'] }, { text, file: '/configs/strategy.yaml', env: {} })
    return []
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error.issues.map(({ path, expected, found }) => ({ path, expected, found }))
  }
}
