import { describe, expect, it } from 'vitest'
import { CONFIG_FILE_MAX_BYTES, REFERENCED_FILE_MAX_BYTES } from './ConfigFiles.js'
import { formatBytes } from './formatBytes.js'

describe('formatBytes', () => {
  it('writes the caps as documented', () => {
    expect(formatBytes(CONFIG_FILE_MAX_BYTES)).toBe('1 MiB')
    expect(formatBytes(REFERENCED_FILE_MAX_BYTES)).toBe('16 MiB')
    expect(formatBytes(2048)).toBe('2 KiB')
    expect(formatBytes(1000)).toBe('1000 bytes')
  })
})
