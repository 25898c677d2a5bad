import { pino } from 'pino'
import { redactSecrets } from '../../errors/index.js'
import type { Logger } from '../../ports/index.js'

export type CreateLoggerParameters = {
  /** `silent`, `error`, `warn`, `info` or `debug`. */
  level: string
  /** File descriptor to write JSON lines to; 2 (stderr) keeps stdout for command output. */
  destination?: number | undefined
  /**
   * Values that never reach a log line, wherever they appear in it (the API token, key and
   * password values, credentials of RPC, webhook and database URLs): each is replaced with
   * `[redacted]` in the written line, whatever field, message or error carries it.
   */
  secrets?: readonly string[] | undefined
}

/** Field names whose values never reach a log line. */
const SECRET_FIELDS = ['private_key', 'privateKey', 'api_key', 'apiKey', 'secret', 'password']

/** Creates a pino logger writing JSON lines, with secrets' usual field names and every known secret value redacted. */
export function createLogger(parameters: CreateLoggerParameters): Logger {
  const secrets = parameters.secrets ?? []
  return pino(
    {
      level: parameters.level,
      base: null,
      // pino's `*.key` matches one level down only, so each name is listed at the top level as well.
      redact: { paths: SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: '[redacted]' },
      // The last guard: a secret inside a message or an error's cause (an RPC URL in viem's
      // error text) is caught in the line as written, in its raw, JSON-escaped and URL-encoded forms.
      ...(secrets.length === 0 ? {} : { hooks: { streamWrite: (line: string) => redactSecrets(line, secrets) } }),
    },
    pino.destination({ fd: parameters.destination ?? 2, sync: true }),
  )
}
