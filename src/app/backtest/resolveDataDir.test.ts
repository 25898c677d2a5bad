import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from './resolveDataDir.js'

describe('resolveDataDir', () => {
  it('takes --data-dir resolved, else DUST_DATA_DIR, and refuses an empty --data-dir instead of falling back', () => {
    expect(resolveDataDir({ DUST_DATA_DIR: '/env/data' }, 'rel/data')).toBe(resolve('rel/data'))
    expect(resolveDataDir({ DUST_DATA_DIR: '/env/data' })).toBe('/env/data')
    for (const empty of ['', '  ']) {
      expect(() => resolveDataDir({ DUST_DATA_DIR: '/env/data' }, empty)).toThrow(`--data-dir takes the folder of the real history, such as ../shared/data, found "${empty}".`)
    }
  })
})
