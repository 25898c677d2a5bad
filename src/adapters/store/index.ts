// What the SQLite and PostgreSQL stores share. Nothing here imports a store: the factory that
// chooses one lives in src/app/createEventStore.ts.
export { type CheckedReadParameters, checkReadParameters } from './checkReadParameters.js'
export { checkTokenDiscoveryKey } from './checkTokenDiscoveryKey.js'
export { checkTokenDiscoveryRecord } from './checkTokenDiscoveryRecord.js'
export { EventStoreError, closedStoreError } from './EventStoreError.js'
export { type Dialect, type Migration, MIGRATIONS, SCHEMA_MIGRATIONS_TABLE, pendingMigrations } from './migrations.js'
export { type AppendPlan, type EventRow, conversionIdsOf, planAppend, projectConversion } from './planAppend.js'
export { type ReadEventsQuery, readEventsQuery } from './readEventsQuery.js'
export { redactDatabaseUrl } from './redactDatabaseUrl.js'
export {
  CONVERTED_PAYLOAD,
  type ConversionRow,
  type ProjectedConversion,
  conversionFromRow,
  conversionToRow,
  outcomeOf,
  parseStoredEvent,
  storedConversionFromRow,
  storedEventFromRow,
} from './rows.js'
