import { CRASH_BACKENDS } from '../../test/crash/crashHarness.js'
import { describeCrashRecovery } from '../../test/crash/describeCrashRecovery.js'

// On SQLite, with the wallet's own key signing. crashRecoveryPostgres.test.ts crashes the same
// conversions on PostgreSQL, and crashRecoveryKeeper.test.ts those sent through a Safe's keeper
// role: three files, so that the test run can spread them over its workers.
describeCrashRecovery(CRASH_BACKENDS.filter((backend) => backend.name === 'SQLite').map((backend) => ({ ...backend, keeper: false, how: 'signed by the wallet' })))
