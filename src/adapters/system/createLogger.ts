import { pino } from 'pino'
import type { Logger } from '../../ports/index.js'

export type CreateLoggerParameters = {
  /** `silent`, `error`, `warn`, `info` or `debug`. */
  level: string
  /** File descriptor to write JSON lines to; 2 (stderr) keeps stdout for command output. */
  destination?: number | undefined
}

/** Creates a pino logger writing JSON lines, with secrets' usual field names redacted. */
export function createLogger(parameters: CreateLoggerParameters): Logger {
  return pino(
    {
      level: parameters.level,
      base: null,
      redact: { paths: ['*.private_key', '*.privateKey', '*.api_key', '*.apiKey', '*.secret', '*.password'], censor: '[redacted]' },
    },
    pino.destination({ fd: parameters.destination ?? 2, sync: true }),
  )
}
