import { createRequire } from 'node:module'
import type { pino as Pino } from 'pino'
import { BaseError, redactSecrets } from '../../errors/index.js'
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

/** pino's numeric levels: a line below the logger's level is dropped without loading pino. */
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50, silent: Number.POSITIVE_INFINITY } as const satisfies Readonly<Record<string, number>>

/** Tells whether a name is one of the logger's levels (an own key: `toString` is not a level). */
function isLevel(name: string): name is keyof typeof LEVELS {
  return Object.hasOwn(LEVELS, name)
}

/** Field names whose values never reach a log line. */
const SECRET_FIELDS = ['private_key', 'privateKey', 'api_key', 'apiKey', 'secret', 'password']

/**
 * Creates a pino logger writing JSON lines, with secrets' usual field names and every known
 * secret value redacted. pino is loaded with the first line written at the logger's level, so a
 * command that logs nothing (a scan at `error`) starts without it.
 */
export function createLogger(parameters: CreateLoggerParameters): Logger {
  if (!isLevel(parameters.level)) throw new BaseError(`The log level must be one of ${Object.keys(LEVELS).join(', ')}, was ${parameters.level}.`)
  const threshold = LEVELS[parameters.level]
  let logger: Logger | undefined
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (fields: object, message: string) => {
    if (LEVELS[level] < threshold) return
    logger ??= createPinoLogger(parameters)
    logger[level](fields, message)
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

function createPinoLogger(parameters: CreateLoggerParameters): Logger {
  // pino is CommonJS: required in place, synchronously, when the first line is written.
  const { pino }: { pino: typeof Pino } = createRequire(import.meta.url)('pino')
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
