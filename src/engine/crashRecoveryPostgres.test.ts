import { CRASH_BACKENDS } from '../../test/crash/crashHarness.js'
import { describeCrashRecovery } from '../../test/crash/describeCrashRecovery.js'

// On PostgreSQL, with the wallet's own key signing (crashRecovery.test.ts: the same on SQLite).
describeCrashRecovery(CRASH_BACKENDS.filter((backend) => backend.name === 'PostgreSQL').map((backend) => ({ ...backend, keeper: false, how: 'signed by the wallet' })))
