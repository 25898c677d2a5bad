export type { BalanceSource } from './BalanceSource.js'
export type { Clock } from './Clock.js'
export type { ConversionVenue } from './ConversionVenue.js'
export type { EquityContext, EquitySource } from './EquitySource.js'
export type { EventSink } from './EventSink.js'
export type {
  ClaimExecutor,
  ExecutionJournal,
  ExecutionManager,
  ExecutionOutcome,
  SellExecutor,
  StepReceipt,
  StepJournal,
  SignedTransaction,
  StepLookup,
  StepQuery,
  StepResult,
  SwapExecutor,
  TransferExecutor,
} from './ExecutionManager.js'
export type { GasPriceSource } from './GasPriceSource.js'
export type { Logger } from './Logger.js'
export type { PriceSource } from './PriceSource.js'
export type { LeaseRound, ScanRequest, StrategyLeases } from './StrategyLeases.js'
export type {
  ConversionOutcome,
  ConversionRecord,
  ConversionState,
  DiscoveredToken,
  EventStore,
  ReadEventsParameters,
  StoredConversion,
  StoredEvent,
  TokenDiscoveryKey,
  TokenDiscoveryState,
} from './EventStore.js'
