import { pino } from 'pino'
import type { Logger } from '../../ports/index.js'

export type CreateLoggerParameters = {
  /** `silent`, `error`, `warn`, `info` or `debug`. */
  level: string
  /** File descriptor to write JSON lines to; 2 (stderr) keeps stdout for command output. */
  destination?: number | undefined
}

/** Field names whose values never reach a log line. */
const SECRET_FIELDS = ['private_key', 'privateKey', 'api_key', 'apiKey', 'secret', 'password']

/** Creates a pino logger writing JSON lines, with secrets' usual field names redacted. */
export function createLogger(parameters: CreateLoggerParameters): Logger {
  return pino(
    {
      level: parameters.level,
      base: null,
      // pino's `*.key` matches one level down only, so each name is listed at the top level as well.
      redact: { paths: SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: '[redacted]' },
    },
    pino.destination({ fd: parameters.destination ?? 2, sync: true }),
  )
}
