import { dirname, resolve } from 'node:path'
import { CONFIG_FILE_MAX_BYTES, readConfigFile } from '../adapters/system/readConfigFile.js'
import type { FileRoot } from '../adapters/system/resolveFileReference.js'
import { ConfigError, type ConfigIssue, FileRefusedError } from '../errors/index.js'
import { checkFileReferences, checkStrategyConfig, inlineFileReferences, inlinedKeyPaths } from './checkStrategyConfig.js'
import { describeFound, describeKind, hideSecrets, issuesFromZod, parseYaml } from './parseYaml.js'
import { type StrategyConfig, strategyConfigSchema } from './schema.js'

/** A configuration as loaded: the validated values, where they came from and which were secrets. */
export type LoadedConfig = {
  config: StrategyConfig
  /** Absolute path of the file. */
  file: string
  /** Key paths whose value came from a `${ENV_VAR}`; never printed. */
  secretPaths: ReadonlySet<string>
  /** Folders its file references may lead into: its own folder, and DUST_SECRETS_DIR when set. */
  fileRoots: readonly FileRoot[]
}

export type LoadConfigParameters = {
  file: string
  /** Environment for `${VAR}` substitution and DUST_SECRETS_DIR; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * Loads, validates and checks one strategy configuration file.
 *
 * The file is read as untrusted input (see `readConfigFile` and `parseYaml`): a regular UTF-8
 * file of at most 1 MiB. Every problem is reported at once in one `ConfigError` that names the
 * file, the key path, the line, what was expected and what was found; no secret and no value
 * read from a referenced file is shown.
 */
export async function loadConfig(parameters: LoadConfigParameters): Promise<LoadedConfig> {
  const file = resolve(parameters.file)
  let text: string
  try {
    text = await readConfigFile({ file, maxBytes: CONFIG_FILE_MAX_BYTES })
  } catch (cause) {
    if (!(cause instanceof FileRefusedError)) throw cause
    throw new ConfigError(parameters.file, [{ path: '', expected: 'a readable configuration file', found: cause.reason }])
  }
  return parseConfigText({ text, file, env: parameters.env ?? process.env })
}

/**
 * Whether a key holds a secret even when written in the file: the API token, URLs that carry API
 * keys or webhook tokens, and the names of variables, in whose place a key is easily pasted.
 */
export function isSecretKey(path: readonly PropertyKey[]): boolean {
  const [first, , third] = path
  const last = path.at(-1)
  return (
    (path.length === 2 && first === 'api' && last === 'token') ||
    (path.length === 3 && first === 'chains' && third === 'rpc_url') ||
    (path.length === 2 && first === 'notifications' && last === 'webhook_url') ||
    (typeof last === 'string' && ['private_key_env', 'keystore_password_env', 'api_key_env', 'secret_env'].includes(last))
  )
}

/** Describes a value found in the configuration, by its kind alone where the key holds a secret. */
function describeUnlessSecret(value: unknown, path: readonly PropertyKey[]): string {
  return isSecretKey(path) ? `${describeKind(value)} (not shown: the key holds a secret)` : describeFound(value)
}

/** The folders file references of a configuration in `file` may lead into. */
export function fileRootsOf(file: string, env: Readonly<Record<string, string | undefined>>): FileRoot[] {
  const roots: FileRoot[] = [{ path: dirname(file), name: "the configuration's folder" }]
  const secrets = env.DUST_SECRETS_DIR?.trim()
  if (secrets) roots.push({ path: resolve(secrets), name: 'DUST_SECRETS_DIR' })
  return roots
}

/** Validates configuration text as if it had been read from `file` (relative `file:` references resolve beside it). */
export async function parseConfigText(parameters: { text: string; file: string; env: Readonly<Record<string, string | undefined>> }): Promise<LoadedConfig> {
  const { text, file, env } = parameters
  const parsed = parseYaml(text, file, env)
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    // Not a configuration at all (a key, a .env, a log): what it holds is not shown.
    throw new ConfigError(file, [{ path: '', expected: 'a mapping of configuration keys', found: describeKind(parsed.value) }])
  }
  const result = strategyConfigSchema.safeParse(parsed.value)
  if (!result.success) throw new ConfigError(file, hideSecrets(issuesFromZod(result.error, parsed.value, parsed.lineOf, describeUnlessSecret), parsed.secrets))
  const secrets = { paths: new Map(parsed.secrets.paths), values: new Map(parsed.secrets.values) }
  const fileRoots = fileRootsOf(file, env)
  const baseDir = dirname(file)
  const config = await inlineFileReferences(result.data, {
    baseDir,
    env,
    file,
    lineOf: parsed.lineOf,
    roots: fileRoots,
    onSecret: (path, names, values) => {
      secrets.paths.set(path, names)
      for (const [value, name] of values) secrets.values.set(value, name)
    },
  })
  const issues = [...checkStrategyConfig(config), ...(await checkFileReferences(config, { baseDir, roots: fileRoots }))]
  if (issues.length > 0) {
    const inlined = inlinedKeyPaths(config)
    throw new ConfigError(
      file,
      hideSecrets(
        issues.map((issue): ConfigIssue => ({
          path: issue.path,
          line: issue.line ?? parsed.lineOf(issue.keyPath),
          expected: issue.expected,
          found: inlined.some((prefix) => issue.path === prefix || issue.path.startsWith(`${prefix}.`) || issue.path.startsWith(`${prefix}[`))
            ? 'a value read from the referenced file (not shown)'
            : issue.found,
        })),
        secrets,
      ),
    )
  }
  return { config, file, secretPaths: new Set(secrets.paths.keys()), fileRoots }
}

