import type { LoadedConfig } from '../../config/index.js'
import { formatPath } from '../../config/parseYaml.js'
import { redactUrls } from '../../errors/index.js'

/** What a value from `${ENV_VAR}` is printed as. */
export const REDACTED_FROM_ENV = '[redacted: from the environment]'

/** What a secret written in the file itself (api.token, a private RPC URL) is printed as. */
export const REDACTED = '[redacted]'

/** Whether a key's whole value is a secret, even when written in the file. */
const isSecretKey = (path: readonly PropertyKey[]) => (path.length === 2 && path[0] === 'api' && path[1] === 'token') || (path.length === 3 && path[0] === 'chains' && path[2] === 'private_rpc_url')

/** Whether a key holds a URL that carries credentials in its user, path or query (RPC keys, webhook tokens, a rewards API key). */
const isUrlKey = (path: readonly PropertyKey[]) =>
  (path.length === 3 && path[0] === 'chains' && path[2] === 'rpc_url') ||
  (path.length === 3 && path[0] === 'venues' && path[2] === 'proofs_url') ||
  (path.length === 2 && path[0] === 'notifications' && path[1] === 'webhook_url')

/**
 * The validated configuration as JSON-ready data with every secret replaced: each value that
 * came from `${ENV_VAR}` (wherever it landed, aliases included), `api.token`, each chain's
 * `private_rpc_url`, and everything of an RPC or webhook URL after its host.
 */
export function redactConfig(loaded: LoadedConfig): unknown {
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (loaded.secretPaths.has(formatPath(path))) return REDACTED_FROM_ENV
    if (isSecretKey(path) && value !== undefined) return REDACTED
    if (isUrlKey(path) && typeof value === 'string') {
      const shown = redactUrls(value)
      return shown === value ? value : `${shown}/${REDACTED}`
    }
    if (typeof value === 'bigint') return value.toString()
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, [...path, name])]))
    }
    return value
  }
  return walk(loaded.config, [])
}
