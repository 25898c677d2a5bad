// The composition root hands the process's logger (pino, secrets redacted) to the interfaces, which never import adapters.
export { type CreateLoggerParameters, createLogger } from '../adapters/system/createLogger.js'
