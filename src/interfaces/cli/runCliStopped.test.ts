import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { EXIT, runCli } from './runCli.js'

const PAPER = `${FIXTURE_CONFIG_YAML}execution: { mode: paper, max_slippage_bps: 50 }\n`

let temp: Awaited<ReturnType<typeof cliTempDir>>
let paper: string

beforeAll(async () => {
  temp = await cliTempDir()
  paper = await temp.write('paper.yaml', PAPER)
})

afterAll(async () => {
  await temp.cleanup()
})

/** A stop signal already given, as Ctrl-C pressed while the configurations loaded. */
function stoppedAlready(): AbortSignal {
  const controller = new AbortController()
  controller.abort()
  return controller.signal
}

describe('commands that watch the stop signal, stopped before they start', () => {
  it('run --once starts no cycle, writes nothing and exits 130', async () => {
    const store = `${temp.dir}/run-stopped.db`
    const io = cliIo({ stopSignal: stoppedAlready() })
    expect(await runCli(['run', '--once', '-c', paper, '--store', store], io)).toBe(EXIT.stopped)
    expect(io.out()).toBe('')
    expect(io.err()).toBe('')
    const events = cliIo()
    expect(await runCli(['events', '--json', '-c', paper, '--store', store], events)).toBe(EXIT.ok)
    expect(events.out()).toBe('')
  })

  it('monitor starts no cycle (so converts nothing), writes nothing and says it stopped', async () => {
    const store = `${temp.dir}/monitor-stopped.db`
    const io = cliIo({ stopSignal: stoppedAlready() })
    expect(await runCli(['monitor', '-c', paper, '--store', store], io)).toBe(EXIT.ok)
    expect(io.out()).toBe('Monitoring usdt_test every 300s. Press Ctrl-C to stop.\nStopped.\n')
    expect(io.err()).toBe('')
    const events = cliIo()
    expect(await runCli(['events', '--json', '-c', paper, '--store', store], events)).toBe(EXIT.ok)
    expect(events.out()).toBe('')
  })

  it('serve listens on the port of api.port, then closes at once', async () => {
    const config = await temp.write('serve-port.yaml', `${FIXTURE_CONFIG_YAML}api: { port: 0 }\n`)
    const io = cliIo({ stopSignal: stoppedAlready() })
    expect(await runCli(['serve', '-c', config, '--store', `${temp.dir}/serve-stopped.db`], io)).toBe(EXIT.ok)
    expect(io.out()).toMatch(/^Serving usdt_test at http:\/\/127\.0\.0\.1:\d+ \(scan and convert are off: no api\.token\)\. Press Ctrl-C to stop\.\n/)
    expect(io.out()).not.toContain(':8080')
  })
})
