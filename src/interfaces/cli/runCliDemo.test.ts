import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliIo, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { defaultDataDir } from '../../app/readLastCloses.js'
import { EXIT, runCli } from './runCli.js'

/** Runs the CLI in-process and returns its exit code with what it printed. */
async function dust(argv: string[], overrides: Parameters<typeof cliIo>[0] = {}) {
  const io = cliIo(overrides)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('dust demo', () => {
  it.each(['21', '-1', '1.5', 'two'])('refuses --cycles %s before starting anything (exit 2)', async (cycles) => {
    const { code, out, err } = await dust(['demo', '--cycles', cycles])
    expect(code).toBe(EXIT.usage)
    expect(out).toBe('')
    expect(err).toContain(`expected a whole number from 0 to 20, found "${cycles}"`)
  })

  it('names every missing history file of --data-dir and starts no node (exit 1)', async () => {
    const { code, out, err } = await dust(['demo', '--data-dir', '/nonexistent/history'])
    expect(code).toBe(EXIT.failure)
    expect(out).toBe('')
    expect(err).toMatch(/^error: 5 history files are missing from \/nonexistent\/history: gas\/ethereum_gas_prices_1h_2024-01-01_2025-09-26\.csv, /)
  })

  it('reads the history from DUST_DATA_DIR, resolved from the working folder, when no --data-dir is given', async () => {
    const { code, err } = await dust(['demo'], { env: { DUST_DATA_DIR: 'no-such-history' } })
    expect(code).toBe(EXIT.failure)
    expect(err).toContain(`history files are missing from ${resolve('no-such-history')}: `)
  })

  it('exits 130 with the interruption as the error when stopped while deploying', async () => {
    const controller = new AbortController()
    const io = cliIo({ stopSignal: controller.signal })
    const stdout = io.stdout
    const code = await runCli(['demo', '--data-dir', defaultDataDir({})], {
      ...io,
      stdout: (text) => {
        stdout(text)
        if (text.startsWith('Deploying')) controller.abort()
      },
    })
    expect(code).toBe(EXIT.stopped)
    expect(io.err()).toBe('error: The demo was interrupted; the local node is stopped.\n')
    expect(io.out()).toMatch(/\nStopped the local node after \d+\.\d s\.\n$/)
  }, 90_000)

  it('converts the dust of the default history without a cycle after it when --cycles is 0 (exit 0)', async () => {
    const { code, out, err } = await dust(['demo', '--cycles', '0'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    expect(out).toContain('== Cycle 1: detect, plan, claim and convert ==')
    expect(out).toContain(`Last real prices from ${defaultDataDir({})}:`)
    expect(out).not.toContain('== Cycle 2 ==')
    expect(out).toMatch(/dust ratio 0\.00299388 \(29\.94 bps\) → 0 \(0 bps\)/)
  }, 90_000)

  it('runs the same conversion with the funds in a Safe and the bot key a keeper of its Roles modifier (--keeper)', async () => {
    const { code, out, err } = await dust(['demo', '--keeper', '--cycles', '0'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    expect(out).toMatch(/funds held by the Safe 0x[0-9a-fA-F]{40} \(Safe 1\.5\.0, one owner: the desk\)/)
    expect(out).toMatch(/the bot key 0x[0-9a-fA-F]{40} owns nothing: it is a member of the role "dust-keeper" of the Zodiac Roles modifier 0x[0-9a-fA-F]{40}/)
    expect(out).toMatch(/the role allows 8 functions, each with its conditions \(dust keeper permissions\), applied by the desk in Safe transaction 0x[0-9a-f]{64}/)
    // The same steps and hashes as without the Safe, and the same before-and-after, the Safe holding what the wallet held.
    expect(out).toMatch(/claim on etherfi_eigen: 0x[0-9a-f]{64} in block \d+\n {4}transfer on binance: 0x[0-9a-f]{64} in block \d+/)
    expect(out).toMatch(/approve on uniswap: 0x[0-9a-f]{64} in block \d+\n {4}swap on uniswap: 0x[0-9a-f]{64} in block \d+/)
    expect(out).toMatch(/EIGEN +safe \(wallet\) +1200 +0 +-1200/)
    expect(out).toMatch(/dust ratio 0\.00299388 \(29\.94 bps\) → 0 \(0 bps\)/)
  }, 90_000)
})

describe('runCli and the stop signal', () => {
  it('exits 130 at once when a command that does not watch the signal starts after the signal was given', async () => {
    const temp = await cliTempDir()
    try {
      const config = await temp.write('usdt_test.yaml', FIXTURE_CONFIG_YAML)
      const controller = new AbortController()
      controller.abort()
      expect((await dust(['config', 'check', '--config', config], { stopSignal: controller.signal })).code).toBe(EXIT.stopped)
      // With the signal not given, the same command runs to its end.
      const { code, out } = await dust(['config', 'check', '--config', config], { stopSignal: new AbortController().signal })
      expect(code).toBe(EXIT.ok)
      expect(out).toContain(`${config}: valid`)
    } finally {
      await temp.cleanup()
    }
  })
})
