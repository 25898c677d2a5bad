/**
 * Benchmark: start-up of the built `dust` CLI against a bare `node -e 0`.
 *
 * Runs `./dust --help`, `./dust config check` and `./dust scan` on the static example
 * configuration as child processes, `BENCH_RUNS` times each (10 by default, interleaved so that a
 * busy moment of the machine falls on every command alike), and prints for each the median wall
 * time, the median peak RSS and both as a ratio to `node -e 0`. The peak RSS is the child's own
 * `process.resourceUsage().maxRSS`, written at exit by a module preloaded through NODE_OPTIONS.
 * A command that exits with another code than 0 fails the run (exit code 1). Times are a
 * measurement, not a test: nothing passes or fails on time.
 *
 * `npm run bench:cli` builds first; `npx tsx bench/cliStartup.bench.ts` alone measures the build at hand.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 10)
const CONFIG = 'configs/modes/usdt_eth_staking_hedged_simple.yaml'

const COMMANDS: ReadonlyArray<{ label: string; file: string; args: readonly string[] }> = [
  { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
  { label: 'dust --help', file: './dust', args: ['--help'] },
  { label: 'dust config check', file: './dust', args: ['config', 'check', '-c', CONFIG] },
  { label: 'dust scan', file: './dust', args: ['scan', '-c', CONFIG] },
]

/** The middle value of `values` (the mean of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  process.stderr.write('error: dist/ is missing; run `npm run build` first (this benchmark builds nothing)\n')
  process.exit(1)
}

const work = mkdtempSync(join(tmpdir(), 'dust-startup-'))
const rssFile = join(work, 'rss')
const preload = join(work, 'reportRss.mjs')
writeFileSync(preload, `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)))\n`)

const samples = new Map(COMMANDS.map(({ label }) => [label, { ms: [] as number[], rssKib: [] as number[] }]))
try {
  for (let run = 0; run < RUNS; run++) {
    for (const { label, file, args } of COMMANDS) {
      rmSync(rssFile, { force: true })
      const started = performance.now()
      const child = spawnSync(file, args, {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(preload).href}`.trim() },
        encoding: 'utf8',
      })
      const elapsed = performance.now() - started
      if (child.status !== 0) {
        process.stderr.write(`error: ${label} exited with ${child.status ?? child.signal}:\n${child.stderr}\n`)
        process.exit(1)
      }
      const sample = samples.get(label) as { ms: number[]; rssKib: number[] }
      sample.ms.push(elapsed)
      sample.rssKib.push(Number(readFileSync(rssFile, 'utf8')))
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

const base = samples.get('node -e 0') as { ms: number[]; rssKib: number[] }
const baseMs = median(base.ms)
const baseRss = median(base.rssKib)
process.stdout.write(`CLI start-up, median of ${RUNS} runs each (node ${process.version})\n\n`)
process.stdout.write(`${'command'.padEnd(20)}${'wall ms'.padStart(10)}${'× node'.padStart(9)}${'peak RSS MiB'.padStart(15)}${'× node'.padStart(9)}\n`)
for (const { label } of COMMANDS) {
  const { ms, rssKib } = samples.get(label) as { ms: number[]; rssKib: number[] }
  const wall = median(ms)
  const rss = median(rssKib)
  process.stdout.write(`${label.padEnd(20)}${wall.toFixed(0).padStart(10)}${(wall / baseMs).toFixed(1).padStart(9)}${(rss / 1024).toFixed(0).padStart(15)}${(rss / baseRss).toFixed(1).padStart(9)}\n`)
}
