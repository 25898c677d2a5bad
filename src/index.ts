// The public API of the `dust-manager` package (package.json "exports" ".": dist/index.js).
// Anything not named here is internal and may change without notice; the event JSON Schema is
// shipped beside it as `dust-manager/event-schema`.

// The manager: finds, values and converts dust for the strategies registered with it.
export { type CreateDustManagerParameters, type CycleResult, type DustEventHandler, type DustManager, type RunCycleOptions, createDustManager } from './engine/createDustManager.js'
// The base class of a strategy manager whose dust selling takes precedence over its rebalancing.
export { StrategyManager, type StrategyAction, type StrategyStepResult } from './engine/StrategyManager.js'
export type { PlanningSettings, PriceChecks, Strategy } from './engine/Strategy.js'

// Configuration: read and check a file (`loadConfig`), or check a text already at hand (`parseConfigText`).
export { type LoadConfigParameters, loadConfig } from './app/loadConfig.js'
export { type LoadedConfig, type ParseConfigTextDeps, type ParseConfigTextParameters, parseConfigText } from './config/parseConfigText.js'
// Strategies from loaded configurations (each venue built by the builder of its type), and the clock they run on.
export { type LoadStrategiesParameters, loadStrategies } from './app/loadStrategies.js'
export { createSystemClock } from './app/createSystemClock.js'

// The events the manager records: their types and the zod schemas they derive from.
export type {
  ConversionStateChanged,
  ConversionStepJson,
  CustodyJson,
  DustChecked,
  DustConversionFailed,
  DustConverted,
  DustCycleFailed,
  DustDetected,
  DustEvent,
  DustEventType,
  DustSnapshotJson,
  DustWarningRaised,
  InstructionJson,
  RouteCandidateJson,
  SkippedJson,
  StepRecord,
} from './domain/events.js'
export {
  conversionStateChangedSchema,
  dustCheckedSchema,
  dustConversionFailedSchema,
  dustConvertedSchema,
  dustCycleFailedSchema,
  dustDetectedSchema,
  dustEventSchema,
  dustWarningSchema,
} from './domain/events/eventSchemas.js'

// Money: amounts in base units of a currency, exact fractions and prices.
export { Amount, type Currency, createCurrency, Fraction, isSameCurrency, Price, type PriceOrigin, type Rounding, sumAmounts } from './domain/money/index.js'

// Errors: one base class with a stable `code`, and the families a caller may tell apart.
export { BaseError, type BaseErrorParameters, ConfigError, type ErrorCode, ERROR_CODES, SourceError, VenueError } from './errors/index.js'

// The ports a custom source, venue or event store implements.
export type { BalanceSource, Clock, ConversionVenue, EquitySource, EventSink, EventStore, Logger, PriceSource, StoredEvent } from './ports/index.js'
