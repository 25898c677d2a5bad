import { CRASH_BACKENDS } from '../../test/crash/crashHarness.js'
import { describeCrashRecovery } from '../../test/crash/describeCrashRecovery.js'

// The funds in a Safe, every step sent by a keeper key through its Zodiac Roles modifier, on SQLite.
describeCrashRecovery(CRASH_BACKENDS.filter((backend) => backend.name === 'SQLite').map((backend) => ({ ...backend, keeper: true, how: "sent through a Safe's keeper role" })))
