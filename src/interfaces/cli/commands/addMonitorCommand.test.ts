import { describe, expect, it } from 'vitest'
import { cliIo } from '../../../../test/cliIo.js'
import { runCli } from '../runCli.js'

/** Runs `dust monitor` in-process with the given environment; nothing here reaches a loop or a database. */
async function monitor(args: string[], env: Record<string, string> = {}) {
  const io = cliIo({ env, stopSignal: AbortSignal.abort() })
  const code = await runCli(['monitor', ...args], io)
  return { code, err: io.err(), out: io.out() }
}

describe('addMonitorCommand: --workers', () => {
  it('refuses --workers without PostgreSQL in one clear message, before reading any configuration', async () => {
    const { code, err } = await monitor(['--workers', '--config', 'configs/modes/nope.yaml'])
    expect(code).toBe(2)
    expect(err).toContain('dust monitor --workers needs PostgreSQL: the workers share the strategies through leases in its tables, and DATABASE_URL is not set.')
    expect(err).toContain('Set DATABASE_URL to the postgres:// URL of the event store every worker uses')
    expect(err).not.toContain('nope.yaml')
  })

  it('refuses --worker-id and --lease-seconds without --workers, and --cycles with it', async () => {
    expect((await monitor(['--worker-id', 'a'])).err).toContain('--worker-id and --lease-seconds are options of --workers; add --workers or leave them out.')
    expect((await monitor(['--lease-seconds', '5'])).code).toBe(2)
    const cycles = await monitor(['--workers', '--cycles', '2'], { DATABASE_URL: 'postgres://db/dust' })
    expect(cycles.code).toBe(2)
    expect(cycles.err).toContain('--cycles counts the cycles of every strategy, which a worker sharing them with others does not run; leave it out with --workers.')
  })
})
