export { BaseError, type BaseErrorParameters } from './BaseError.js'
export * from './errors.js'
