import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { createSqliteEventStore } from '../../adapters/sqlite/createSqliteEventStore.js'
import { EXIT, runCli } from './runCli.js'

const PAPER = `${FIXTURE_CONFIG_YAML}execution: { mode: paper, max_slippage_bps: 50 }\n`

let temp: Awaited<ReturnType<typeof cliTempDir>>
let paper: string
let store: string

beforeAll(async () => {
  temp = await cliTempDir()
  paper = await temp.write('paper.yaml', PAPER)
  store = `${temp.dir}/events.db`
  // One paper cycle writes eight events: a check, a detection, and two conversions planned, confirmed and converted.
  expect(await runCli(['run', '--once', '-c', paper, '--store', store], cliIo())).toBe(EXIT.ok)
})

afterAll(async () => {
  await temp.cleanup()
})

/**
 * A clock that stops the command from inside its wait, after the given number of waits, as
 * Ctrl-C during `--follow` does; it records each wait it was asked for.
 */
function stoppingClock(controller: AbortController, stopAtWait: number) {
  const waits: number[] = []
  return {
    waits,
    clock: {
      now: () => FIXED_TIME,
      sleep: async (ms: number) => {
        waits.push(ms)
        if (waits.length === stopAtWait) controller.abort()
      },
    },
  }
}

describe('dust events', () => {
  it('prints the log for people, one event a line after its right-aligned seq', async () => {
    const io = cliIo()
    expect(await runCli(['events', '--limit', '2', '-c', paper, '--store', store], io)).toBe(EXIT.ok)
    const lines = io
      .out()
      .split('\n')
      .filter((line) => line.length > 0)
    expect(lines.map((line) => line.slice(0, 7))).toEqual(['     1 ', '     2 '])
    expect(io.err()).toBe('')
  })

  it('stops following once --limit events were printed, without waiting', async () => {
    const controller = new AbortController()
    const { waits, clock } = stoppingClock(controller, 1)
    const io = cliIo({ clock })
    expect(await runCli(['events', '--follow', '--json', '--limit', '3', '-c', paper, '--store', store], io)).toBe(EXIT.ok)
    expect(cliJsonLines(io.out()).map((line) => line.seq)).toEqual([1, 2, 3])
    expect(waits).toEqual([])
  })

  it('follows the log a second apart until stopped, printing each event once', async () => {
    const controller = new AbortController()
    const { waits, clock } = stoppingClock(controller, 2)
    const io = cliIo({ clock, stopSignal: controller.signal })
    expect(await runCli(['events', '--follow', '--json', '--since', '6', '-c', paper, '--store', store], io)).toBe(EXIT.ok)
    expect(cliJsonLines(io.out()).map((line) => line.seq)).toEqual([7, 8])
    expect(waits).toEqual([1_000, 1_000])
  })

  it('prints one page and does not wait when stopped before it starts following', async () => {
    const controller = new AbortController()
    controller.abort()
    const { waits, clock } = stoppingClock(controller, 1)
    const io = cliIo({ clock, stopSignal: controller.signal })
    expect(await runCli(['events', '--follow', '--json', '--since', '7', '-c', paper, '--store', store], io)).toBe(EXIT.ok)
    expect(cliJsonLines(io.out()).map((line) => line.seq)).toEqual([8])
    expect(waits).toEqual([])
  })

  it('prints the newest events with --last, oldest first, within --since and --strategy', async () => {
    const seqs = async (...args: string[]) => {
      const io = cliIo()
      expect(await runCli(['events', '--json', ...args, '-c', paper, '--store', store], io)).toBe(EXIT.ok)
      return cliJsonLines(io.out()).map((line) => line.seq)
    }
    expect(await seqs('--last', '3')).toEqual([6, 7, 8])
    expect(await seqs('--last', '3', '--since', '7')).toEqual([8])
    expect(await seqs('--last', '100')).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(await seqs('--last', '2', '--strategy', 'no_such_mode')).toEqual([])
  })

  it('refuses --last with --limit, saying which reads which end, before opening the store', async () => {
    const io = cliIo()
    expect(await runCli(['events', '--last', '2', '--limit', '3', '-c', paper, '--store', `${temp.dir}/never.db`], io)).toBe(EXIT.usage)
    expect(io.err()).toContain('--limit 3 prints the oldest events and --last 2 the newest; give one of them, not both.')
    expect(io.out()).toBe('')
    expect(existsSync(`${temp.dir}/never.db`)).toBe(false)
  })

  it('follows on from the tail with --last --follow, printing what is appended after it', async () => {
    const own = `${temp.dir}/tail.db`
    expect(await runCli(['run', '--once', '-c', paper, '--store', own], cliIo())).toBe(EXIT.ok)
    const controller = new AbortController()
    const waits: number[] = []
    const clock = {
      now: () => FIXED_TIME,
      sleep: async (ms: number) => {
        waits.push(ms)
        if (waits.length === 1) {
          // What another process records while the command waits.
          const writer = await createSqliteEventStore({ file: own })
          await writer.append([{ event_type: 'dust_warning', strategy_mode: 'usdt_test', timestamp: FIXED_TIME, code: 'source_failed', message: 'appended while following' }])
          await writer.close()
        } else controller.abort()
      },
    }
    const io = cliIo({ clock, stopSignal: controller.signal })
    expect(await runCli(['events', '--follow', '--json', '--last', '2', '-c', paper, '--store', own], io)).toBe(EXIT.ok)
    expect(cliJsonLines(io.out()).map((line) => [line.seq, line.event_type])).toEqual([
      [7, 'conversion_state_changed'],
      [8, 'dust_converted'],
      [9, 'dust_warning'],
    ])
    expect(waits).toEqual([1_000, 1_000])
  })
})
