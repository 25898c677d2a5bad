import type { LoadedConfig } from '../../config/index.js'
import { formatPath } from '../../config/parseYaml.js'

/** The validated configuration as JSON-ready data, with every value that came from `${ENV_VAR}` replaced. */
export function redactConfig(loaded: LoadedConfig): unknown {
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (loaded.secretPaths.has(formatPath(path))) return '[redacted: from the environment]'
    if (typeof value === 'bigint') return value.toString()
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]))
    }
    return value
  }
  return walk(loaded.config, [])
}
