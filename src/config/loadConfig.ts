import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { ConfigError } from '../errors/index.js'
import { checkStrategyConfig, inlineFileReferences } from './checkStrategyConfig.js'
import { describeFound, hideSecrets, issuesFromZod, parseYaml } from './parseYaml.js'
import { type StrategyConfig, strategyConfigSchema } from './schema.js'

/** A configuration as loaded: the validated values, where they came from and which were secrets. */
export type LoadedConfig = {
  config: StrategyConfig
  /** Absolute path of the file. */
  file: string
  /** Key paths whose value came from a `${ENV_VAR}`; never printed. */
  secretPaths: ReadonlySet<string>
}

export type LoadConfigParameters = {
  file: string
  /** Environment for `${VAR}` substitution; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * Loads, validates and checks one strategy configuration file.
 *
 * Every problem is reported at once in one `ConfigError` that names the file, the key path,
 * the line, what was expected and what was found.
 */
export async function loadConfig(parameters: LoadConfigParameters): Promise<LoadedConfig> {
  const file = resolve(parameters.file)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new ConfigError(parameters.file, [
      { path: '', expected: 'a readable configuration file', found: code === 'ENOENT' ? 'no such file' : `an error (${code ?? String(cause)})` },
    ])
  }
  return parseConfigText({ text, file, env: parameters.env ?? process.env })
}

/** Validates configuration text as if it had been read from `file` (relative `file:` references resolve beside it). */
export async function parseConfigText(parameters: { text: string; file: string; env: Readonly<Record<string, string | undefined>> }): Promise<LoadedConfig> {
  const { text, file, env } = parameters
  const parsed = parseYaml(text, file, env)
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    throw new ConfigError(file, [{ path: '', expected: 'a mapping of configuration keys', found: describeFound(parsed.value) }])
  }
  const result = strategyConfigSchema.safeParse(parsed.value)
  if (!result.success) throw new ConfigError(file, hideSecrets(issuesFromZod(result.error, parsed.value, parsed.lineOf), parsed.secretPaths))
  const config = await inlineFileReferences(result.data, { baseDir: dirname(file), env, file, lineOf: parsed.lineOf })
  const issues = checkStrategyConfig(config)
  if (issues.length > 0) {
    throw new ConfigError(
      file,
      hideSecrets(
        issues.map((issue) => ({ ...issue, line: issue.line ?? parsed.lineOf(issue.keyPath) })),
        parsed.secretPaths,
      ),
    )
  }
  return { config, file, secretPaths: parsed.secretPaths }
}
