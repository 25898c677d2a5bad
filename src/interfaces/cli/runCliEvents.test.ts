import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
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
})
