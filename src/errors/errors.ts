import { BaseError, type BaseErrorParameters } from './BaseError.js'
import type { ErrorCode } from './ErrorCode.js'

/** Is raised when two amounts or prices of different currencies are combined. */
export class CurrencyMismatchError extends BaseError {
  override name = 'CurrencyMismatchError' as const
  constructor(operation: string, expected: string, found: string) {
    super(`Cannot ${operation}: expected an amount in ${expected}, found one in ${found}.`, {
      code: 'currency_mismatch',
    })
  }
}

/** Is raised when a decimal string or number cannot be read exactly. */
export class InvalidAmountError extends BaseError {
  override name = 'InvalidAmountError' as const
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { code: 'invalid_amount', ...parameters })
  }
}

/** One problem found in a configuration file. */
export type ConfigIssue = {
  /** Dotted key path, e.g. `venues.wallet.balances.EIGEN`. */
  path: string
  /** 1-based line in the file, when known. */
  line?: number | undefined
  /** 1-based column in the line, when known (YAML syntax errors). */
  column?: number | undefined
  expected: string
  found: string
}

/** Is raised when a configuration file is missing, unreadable or invalid. */
export class ConfigError extends BaseError {
  override name = 'ConfigError' as const
  readonly file: string
  readonly issues: readonly ConfigIssue[]
  constructor(file: string, issues: readonly ConfigIssue[], parameters: BaseErrorParameters = {}) {
    const lines = issues.map(
      (issue) => `  ${file}${issue.line ? `:${issue.line}${issue.column ? `:${issue.column}` : ''}` : ''} ${issue.path || '(top level)'}: expected ${issue.expected}, found ${issue.found}`,
    )
    super(`Invalid configuration in ${file} (${issues.length} problem${issues.length === 1 ? '' : 's'}).`, {
      code: 'invalid_config',
      details: lines.join('\n'),
      ...parameters,
    })
    this.file = file
    this.issues = issues
  }
}

/** Is raised when a price, balance or equity source cannot answer. */
export class SourceError extends BaseError {
  override name = 'SourceError' as const
  readonly source: string
  constructor(source: string, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { code: 'source_failed', ...parameters })
    this.source = source
  }
}

/** Is raised when a conversion venue cannot quote or execute. */
export class VenueError extends BaseError {
  override name = 'VenueError' as const
  readonly venue: string
  readonly retryable: boolean
  constructor(venue: string, shortMessage: string, parameters: BaseErrorParameters & { retryable?: boolean } = {}) {
    super(shortMessage, { code: 'venue_failed', ...parameters })
    this.venue = venue
    this.retryable = parameters.retryable ?? false
  }
}

/**
 * Is raised when a file is refused before or while it is read: outside the folders it may come
 * from, not a regular file, over its size cap, or not UTF-8 text. `reason` says what was found,
 * never what the file holds.
 */
export class FileRefusedError extends BaseError {
  override name = 'FileRefusedError' as const
  readonly file: string
  readonly reason: string
  constructor(file: string, reason: string, parameters: BaseErrorParameters = {}) {
    super(`Refused to read ${file}: ${reason}.`, { code: 'file_refused', ...parameters })
    this.file = file
    this.reason = reason
  }
}

/** Is raised when a command is used in a way it refuses (e.g. live execution without `--execute`). */
export class UsageError extends BaseError {
  override name = 'UsageError' as const
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { code: 'usage', ...parameters })
  }
}

/**
 * Is raised at the HTTP edge with a code and a message written for the client: the only error
 * whose message an HTTP answer repeats as it is (statuses come from `errorStatus`).
 */
export class HttpError extends BaseError {
  override name = 'HttpError' as const
  constructor(code: ErrorCode, shortMessage: string, parameters: Omit<BaseErrorParameters, 'code'> = {}) {
    super(shortMessage, { ...parameters, code })
  }
}
