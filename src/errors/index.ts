export { BaseError, type BaseErrorParameters } from './BaseError.js'
export * from './errors.js'
export { redactUrls } from './redactUrls.js'
export { MIN_SECRET_LENGTH, REDACTED, redactSecrets } from './redactSecrets.js'
