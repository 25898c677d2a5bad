import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CliIo } from '../src/interfaces/cli/runCli.js'
import type { Logger } from '../src/ports/index.js'
import { fixtureClock } from './fixtureMoney.js'

/** A log entry the recording logger kept. */
export type LoggedEntry = { level: 'debug' | 'info' | 'warn' | 'error'; fields: object; message: string }

/** An in-memory logger: the Logger port, recording instead of writing. */
export function cliRecordingLogger(): Logger & { entries: LoggedEntry[] } {
  const entries: LoggedEntry[] = []
  const record = (level: LoggedEntry['level']) => (fields: object, message: string) => {
    entries.push({ level, fields, message })
  }
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }
}

/** The CLI's io with stdout and stderr captured; a fixed clock and a recording logger unless told otherwise. */
export function cliIo(overrides: Partial<CliIo> = {}): CliIo & { out(): string; err(): string; logger: ReturnType<typeof cliRecordingLogger> } {
  const stdout: string[] = []
  const stderr: string[] = []
  const logger = cliRecordingLogger()
  return {
    env: {},
    clock: fixtureClock(),
    logger,
    ...overrides,
    stdout: (text) => {
      stdout.push(text)
    },
    stderr: (text) => {
      stderr.push(text)
    },
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  } as CliIo & { out(): string; err(): string; logger: ReturnType<typeof cliRecordingLogger> }
}

/** Parses every line of `--json` output. */
export function cliJsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** A temporary directory for configuration files, removed by `cleanup`. */
export async function cliTempDir(): Promise<{ dir: string; write(name: string, text: string): Promise<string>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dust-cli-'))
  return {
    dir,
    async write(name, text) {
      const file = join(dir, name)
      await writeFile(file, text)
      return file
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}
