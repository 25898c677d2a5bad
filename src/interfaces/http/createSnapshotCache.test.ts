import { describe, expect, it } from 'vitest'
import { createTestStrategy } from '../../../test/createTestStrategy.js'
import { createRecordingLogger } from '../../../test/fakePorts.js'
import { fixtureClock } from '../../../test/fixtureMoney.js'
import { createDustManager } from '../../engine/createDustManager.js'
import { createSnapshotCache } from './createSnapshotCache.js'

describe('createSnapshotCache', () => {
  it('holds nothing before a cycle, then the last snapshot of each strategy as JSON, until closed', async () => {
    const manager = createDustManager({ strategies: [createTestStrategy()], clock: fixtureClock(), logger: createRecordingLogger() })
    const cache = createSnapshotCache(manager)
    expect(cache.get('usdt_test')).toBeUndefined()
    await manager.runOnce()
    expect(cache.get('usdt_test')).toMatchObject({ strategy_mode: 'usdt_test', total_dust_value: '2660', dust_ratio: '0.00266', exceeds_threshold: true })
    expect(cache.get('nope')).toBeUndefined()
    cache.close()
  })
})
