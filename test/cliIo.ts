import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CliIo } from '../src/interfaces/cli/runCli.js'
import { createRecordingLogger } from './fakePorts.js'
import { fixtureClock } from './fixtureMoney.js'

/** The CLI's io with stdout and stderr captured; a fixed clock and a recording logger unless told otherwise. */
export function cliIo(overrides: Partial<CliIo> = {}): CliIo & { out(): string; err(): string; logger: ReturnType<typeof createRecordingLogger> } {
  const stdout: string[] = []
  const stderr: string[] = []
  const logger = createRecordingLogger()
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
  } as CliIo & { out(): string; err(): string; logger: ReturnType<typeof createRecordingLogger> }
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
