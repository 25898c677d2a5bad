import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from './resolveDataDir.js'
import { decodeGridValue } from './runPolicyGridTransfer.js'
import type { GridJob, GridMessage } from './runPolicyGridWorker.js'

/** Runs the worker entry from its TypeScript source in a real worker thread, and collects what it posts until it reports. */
function runEntry(job: GridJob): Promise<GridMessage[]> {
  const source = new URL('./runPolicyGridWorker.ts', import.meta.url).href
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href
  const worker = new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`, { eval: true, workerData: job })
  const messages: GridMessage[] = []
  return new Promise((resolve, reject) => {
    worker.on('message', (message: GridMessage) => {
      messages.push(message)
      if (message.kind !== 'progress') void worker.terminate().then(() => resolve(messages))
    })
    worker.on('error', reject)
  })
}

const job: GridJob = {
  configFile: 'configs/modes/usdt_eth_staking_hedged_simple.yaml',
  env: {},
  dataDir: resolveDataDir({}),
  position: [1000n, 1n],
  from: Date.UTC(2025, 0, 1),
  to: Date.UTC(2025, 0, 7, 23),
  sweep: [[1n, 1000n]],
  policies: ['threshold'],
}

describe('runPolicyGridWorker', () => {
  it('replays its slice in a worker thread, tells of its progress, then posts its report encoded for the clone', async () => {
    const messages = await runEntry(job)
    const last = messages.at(-1)
    expect(messages.slice(0, -1).every((message) => message.kind === 'progress')).toBe(true)
    expect(messages.at(-2)).toEqual({ kind: 'progress', done: 168, total: 168, runs: 2 })
    expect(last?.kind).toBe('done')
    const report = last?.kind === 'done' ? (decodeGridValue(last.report) as { runs: Array<{ policy: string; dustDelta: { toDecimalString(digits: number): string } }> }) : undefined
    // The configuration's own dust_delta first, then the slice's value.
    expect(report?.runs.map((run) => `${run.policy}@${run.dustDelta.toDecimalString(3)}`)).toEqual(['threshold@0.002', 'threshold@0.001'])
  }, 60_000)

  it("posts the failure's own words and code, never a bare crash", async () => {
    const messages = await runEntry({ ...job, dataDir: '/nonexistent/history' })
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ kind: 'failed', code: 'source_failed' })
    expect(messages[0]?.kind === 'failed' ? messages[0].shortMessage : '').toMatch(/^7 history files are missing from \/nonexistent\/history: /)
  }, 60_000)
})
