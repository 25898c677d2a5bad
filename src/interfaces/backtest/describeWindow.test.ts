import { describe, expect, it } from 'vitest'
import { askedJson, clippedWindowLine, hourText } from './describeWindow.js'

const FROM = Date.UTC(2024, 9, 5)
const TO = Date.UTC(2025, 8, 26, 23)

describe('clippedWindowLine', () => {
  it('says nothing when the window asked lies within the history, or was not asked', () => {
    expect(clippedWindowLine({ from: undefined, to: undefined }, FROM, TO)).toBeUndefined()
    expect(clippedWindowLine({ from: FROM, to: TO }, FROM, TO)).toBeUndefined()
    expect(clippedWindowLine({ from: FROM + 3_600_000, to: TO - 3_600_000 }, FROM + 3_600_000, TO - 3_600_000)).toBeUndefined()
  })

  it('names the asked start the history lacked, the asked end, or both, with where the replay ran', () => {
    expect(clippedWindowLine({ from: Date.UTC(2024, 0, 1), to: undefined }, FROM, TO)).toBe(
      'The window asked begins at 2024-01-01 00:00 UTC, before the first hour from it at which every series of the history has a row, so the replay begins at 2024-10-05 00:00 UTC.',
    )
    expect(clippedWindowLine({ from: undefined, to: Date.UTC(2026, 0, 1, 23) }, FROM, TO)).toBe(
      'The window asked ends at 2026-01-01 23:00 UTC, after the last hour up to it at which every series of the history has a row, so the replay ends at 2025-09-26 23:00 UTC.',
    )
    expect(clippedWindowLine({ from: Date.UTC(2024, 0, 1), to: Date.UTC(2026, 0, 1, 23) }, FROM, TO)).toBe(
      'The window asked begins at 2024-01-01 00:00 UTC, before the first hour from it at which every series of the history has a row, so the replay begins at 2024-10-05 00:00 UTC; and it ends at 2026-01-01 23:00 UTC, after the last hour up to it at which every series of the history has a row, so the replay ends at 2025-09-26 23:00 UTC.',
    )
  })
})

describe('hourText and askedJson', () => {
  it('write an hour to the minute in UTC, and the window asked as ISO times or null', () => {
    expect(hourText(Date.UTC(2025, 0, 31, 13))).toBe('2025-01-31 13:00 UTC')
    expect(askedJson({ from: FROM, to: undefined })).toEqual({ from: '2024-10-05T00:00:00.000Z', to: null })
  })
})
