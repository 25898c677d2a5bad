import { BaseError, type BaseErrorParameters } from './BaseError.js'

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
      (issue) =>
        `  ${file}${issue.line ? `:${issue.line}` : ''} ${issue.path || '(top level)'}: expected ${issue.expected}, found ${issue.found}`,
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

/** Is raised when a command is used in a way it refuses (e.g. live execution without `--execute`). */
export class UsageError extends BaseError {
  override name = 'UsageError' as const
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { code: 'usage', ...parameters })
  }
}
