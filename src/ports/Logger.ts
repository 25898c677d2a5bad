/** The structured logger the engine writes to (pino's call shape: fields first, then the message). */
export type Logger = {
  debug(fields: object, message: string): void
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
  error(fields: object, message: string): void
}
