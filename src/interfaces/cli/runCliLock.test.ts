import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { type TestDatabase, createTestDatabase } from '../../../test/createTestDatabase.js'
import { createEventStore } from '../../app/createEventStore.js'
import type { EventStore } from '../../ports/index.js'
import { EXIT, runCli } from './runCli.js'

const PAPER = `${FIXTURE_CONFIG_YAML}execution: { mode: paper, max_slippage_bps: 50 }\n`

describe('one executor per strategy on a shared PostgreSQL', () => {
  let database: TestDatabase | undefined
  let url: string
  let other: EventStore
  let temp: Awaited<ReturnType<typeof cliTempDir>>
  let file: string

  beforeAll(async () => {
    database = await createTestDatabase('cli_lock')
    url = database.url
    temp = await cliTempDir()
    file = await temp.write('paper.yaml', PAPER.replace('mode: usdt_test', `mode: usdt_lock_${Date.now()}`))
    // The other executor: a second connection, as another monitor process would hold.
    other = await createEventStore({ env: { DATABASE_URL: url }, sqliteFile: '' })
  }, 60_000)

  afterAll(async () => {
    await other?.close()
    await temp?.cleanup()
    await database?.drop()
  })

  it('does not convert while another process holds the strategy, and converts once it lets go', async () => {
    const mode = /mode: (usdt_lock_\d+)/.exec(await (await import('node:fs/promises')).readFile(file, 'utf8'))?.[1] as string
    const lock = await other.tryLock(mode)
    expect(lock).toBeDefined()
    const held = cliIo({ env: { DATABASE_URL: url } })
    expect(await runCli(['run', '--once', '-c', file], held)).toBe(EXIT.failure)
    expect(held.out()).toContain(`${mode}: cycle failed: Another process is executing strategy ${mode}; this one does not convert it.`)
    expect((await other.conversions({ strategyMode: mode })).length).toBe(0)

    await lock?.release()
    const free = cliIo({ env: { DATABASE_URL: url } })
    expect(await runCli(['run', '--once', '-c', file], free)).toBe(EXIT.ok)
    expect((await other.conversions({ strategyMode: mode })).map((record) => [record.token, record.state])).toEqual([
      ['EIGEN', 'confirmed'],
      ['ETHFI', 'confirmed'],
    ])
  }, 60_000)
})
