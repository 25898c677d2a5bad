import { dirname, resolve } from 'node:path'
import { ConfigError, type ConfigIssue } from '../errors/index.js'
import type { ConfigFiles, FileRoot } from './ConfigFiles.js'
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

/**
 * Whether a key holds a secret even when written in the file: the API token, URLs that carry API
 * keys or webhook tokens, and the names of variables, in whose place a key is easily pasted.
 */
export function isSecretKey(path: readonly PropertyKey[]): boolean {
  const [first, , third] = path
  const last = path.at(-1)
  return (
    (path.length === 2 && first === 'api' && last === 'token') ||
    (path.length === 3 && first === 'chains' && (third === 'rpc_url' || third === 'private_rpc_url')) ||
    (path.length === 3 && first === 'venues' && third === 'proofs_url') ||
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

export type ParseConfigTextDeps = {
  /** Reads the files the configuration references and checks those it only names. */
  files: ConfigFiles
  /** The exchange ids ccxt knows; asked for only when a ccxt venue is configured (loading ccxt takes a second). */
  ccxtExchanges: () => Promise<readonly string[]>
}

export type ParseConfigTextParameters = {
  text: string
  /** The file the text was read from: messages name it, and relative `file:` references resolve beside it. */
  file: string
  /** Environment for `${VAR}` substitution and DUST_SECRETS_DIR. */
  env: Readonly<Record<string, string | undefined>>
}

/**
 * Validates and checks configuration text as if it had been read from `file`, reading the files
 * it references through `deps.files`.
 *
 * The text is untrusted input (see `parseYaml`). Every problem is reported at once in one
 * `ConfigError` that names the file, the key path, the line, what was expected and what was
 * found; no secret and no value read from a referenced file is shown.
 */
export async function parseConfigText(deps: ParseConfigTextDeps, parameters: ParseConfigTextParameters): Promise<LoadedConfig> {
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
    files: deps.files,
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
  const ccxtExchanges = Object.values(config.venues).some((venue) => venue.type === 'ccxt') ? await deps.ccxtExchanges() : undefined
  const issues = [...checkStrategyConfig(config, { ccxtExchanges }), ...(await checkFileReferences(config, { files: deps.files, baseDir, roots: fileRoots }))]
  if (issues.length > 0) {
    const inlined = inlinedKeyPaths(config)
    throw new ConfigError(
      file,
      hideSecrets(
        issues.map(
          (issue): ConfigIssue => ({
            path: issue.path,
            line: issue.line ?? parsed.lineOf(issue.keyPath),
            expected: issue.expected,
            found: inlined.some((prefix) => issue.path === prefix || issue.path.startsWith(`${prefix}.`) || issue.path.startsWith(`${prefix}[`))
              ? 'a value read from the referenced file (not shown)'
              : issue.found,
          }),
        ),
        secrets,
      ),
    )
  }
  return { config, file, secretPaths: new Set(secrets.paths.keys()), fileRoots }
}
