import type { AskedWindow } from '../../app/backtest/backtestStrategy.js'

/** An hour as the reports write it: `2025-01-31 13:00 UTC`. */
export const hourText = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`

/**
 * The line that says a replay ran on less than the window asked, since not every series of the
 * history had a row at its start or its end (the replay runs on the hours all of them have, from
 * the first to the last); `undefined` when it ran on the whole window asked.
 */
export function clippedWindowLine(asked: AskedWindow, from: number, to: number): string | undefined {
  const parts: string[] = []
  if (asked.from !== undefined && asked.from < from)
    parts.push(`begins at ${hourText(asked.from)}, before the first hour from it at which every series of the history has a row, so the replay begins at ${hourText(from)}`)
  if (asked.to !== undefined && asked.to > to)
    parts.push(`ends at ${hourText(asked.to)}, after the last hour up to it at which every series of the history has a row, so the replay ends at ${hourText(to)}`)
  return parts.length === 0 ? undefined : `The window asked ${parts.join('; and it ')}.`
}

/** The window asked, as ISO times, `null` where the data's own end was meant. */
export const askedJson = (asked: AskedWindow) => ({
  from: asked.from === undefined ? null : new Date(asked.from).toISOString(),
  to: asked.to === undefined ? null : new Date(asked.to).toISOString(),
})
