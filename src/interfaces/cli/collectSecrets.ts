import { type LoadedConfig, signerKeySource } from '../../config/index.js'

/** A path segment or query value of a URL at least this long is taken for an API key (`/v2/<key>`). */
const KEY_IN_URL_LENGTH = 20

/**
 * The credentials a URL carries: its password (or its user when there is no password: a key
 * given as `https://<key>@host`), and the path segments and query values long enough to be keys.
 */
function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return []
  const parsed = new URL(url)
  const userinfo = parsed.password === '' ? parsed.username : parsed.password
  const parts = [userinfo, ...parsed.pathname.split('/'), ...[...parsed.searchParams.values()]]
  const decoded = parts.map((part) => {
    try {
      return decodeURIComponent(part)
    } catch {
      return part
    }
  })
  return [userinfo, decoded[0] ?? '', ...[...parts, ...decoded].filter((part) => part.length >= KEY_IN_URL_LENGTH)]
}

/**
 * Lists the secrets of a `dust serve` process, for the HTTP API to keep out of its answers and
 * log lines: `api.token`, `DATABASE_URL` and its password, the credentials of each chain's
 * `rpc_url`, of a rewards venue's `proofs_url` and of `notifications.webhook_url` (the whole URL
 * when it came from `${ENV_VAR}`),
 * each chain's `private_rpc_url` whole,
 * and the values of the environment variables the configuration names for keys
 * (`api_key_env`, `secret_env`, `private_key_env`, `keystore_password_env`).
 */
export function collectSecrets(parameters: { loaded: readonly LoadedConfig[]; env: Readonly<Record<string, string | undefined>> }): string[] {
  const { env } = parameters
  const secrets: string[] = []
  const add = (...values: Array<string | undefined>) => {
    for (const value of values) if (value !== undefined && value.trim() !== '') secrets.push(value, value.trim())
  }
  const database = env.DATABASE_URL
  if (database) add(database, ...urlSecrets(database.trim()))
  for (const { config, secretPaths } of parameters.loaded) {
    add(config.api?.token)
    const urls: Array<[string, string]> = Object.entries(config.chains).map(([name, chain]) => [`chains.${name}.rpc_url`, chain.rpc_url])
    if (config.notifications) urls.push(['notifications.webhook_url', config.notifications.webhook_url])
    for (const [name, venue] of Object.entries(config.venues)) if ('proofs_url' in venue && venue.proofs_url !== undefined) urls.push([`venues.${name}.proofs_url`, venue.proofs_url])
    for (const [path, url] of urls) {
      if (secretPaths.has(path)) add(url)
      add(...urlSecrets(url))
    }
    // A private endpoint is a secret whole: its host alone tells which relay a desk trusts, and a short key can hide in its path.
    for (const chain of Object.values(config.chains)) if (chain.private_rpc_url !== undefined) add(chain.private_rpc_url, ...urlSecrets(chain.private_rpc_url))
    for (const venue of Object.values(config.venues)) {
      if (venue.type === 'ccxt') add(...[venue.api_key_env, venue.secret_env].map((name) => (name === undefined ? undefined : env[name])))
    }
    const signer = config.execution.signer
    if (signer) {
      const source = signerKeySource(signer)
      add(env[source.private_key_env ?? source.keystore_password_env])
    }
  }
  // A private key is also written without its 0x.
  for (const secret of [...secrets]) if (/^0x[0-9a-fA-F]{64}$/.test(secret)) secrets.push(secret.slice(2))
  return [...new Set(secrets)]
}
