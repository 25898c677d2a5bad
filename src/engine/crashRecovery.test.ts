import { CRASH_BACKENDS } from '../../test/crash/crashHarness.js'
import { describeCrashRecovery } from '../../test/crash/describeCrashRecovery.js'

// Each store, with the wallet's own key signing (crashRecoveryKeeper.test.ts crashes conversions sent through a Safe's keeper role).
describeCrashRecovery(CRASH_BACKENDS.map((backend) => ({ ...backend, keeper: false, how: 'signed by the wallet' })))
